"""Every page tells the browser to run only our own scripts, never to be framed, and not to guess
content types; the inline scripts the pages do have carry the response's nonce."""

import re

import pytest
from django.urls import reverse

from rounds.models import Round
from tests.panels.factories import PanelFactory
from tests.rounds.factories import consented_expert, open_round, rating_round

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>", flags=re.IGNORECASE)


def _directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def _assert_protected(response, where: str) -> int:
    """Check the headers and every inline script; return how many inline scripts there were."""
    assert response.status_code == 200, where
    policy = _directives(response)
    scripts = policy["script-src"]
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, where
    assert policy["default-src"] == ["'self'"], where
    assert policy["frame-ancestors"] == ["'none'"], where
    assert policy["object-src"] == ["'none'"], where
    # The nonce is only announced by pages that use it.
    nonces = [value[len("'nonce-") : -1] for value in scripts if value.startswith("'nonce-")]
    inline = INLINE_SCRIPT.findall(response.content.decode())
    for attributes in inline:
        assert nonces, f"{where}: an inline script but no nonce in the policy"
        assert f'nonce="{nonces[0]}"' in attributes, f"{where}: an inline script without the nonce"
    assert response.headers["X-Frame-Options"] == "DENY", where
    assert response.headers["X-Content-Type-Options"] == "nosniff", where
    assert response.headers["Referrer-Policy"] == "same-origin", where
    return len(inline)


@pytest.fixture
def pages(study):
    panel = PanelFactory(study=study)
    round_one = open_round(study, panel)
    round_two, _items = rating_round(study, panel, number=2)
    # The coding workspace opens once an open round is closed.
    coded = open_round(study, PanelFactory(study=study), number=3, status=Round.Status.CLOSED)
    _expert, token = consented_expert(panel)
    researcher = {
        "study list": reverse("panels:study_list"),
        "study": study.get_absolute_url(),
        "tracking": reverse("rounds:tracking", args=[study.pk, round_two.pk]),
        "coding": reverse("rounds:coding", args=[study.pk, coded.pk]),
    }
    expert = {
        "start": reverse("expert:start", kwargs={"token": token}),
        "open round": reverse("expert:round", kwargs={"token": token, "round_pk": round_one.pk}),
        "rating round": reverse("expert:round", kwargs={"token": token, "round_pk": round_two.pk}),
    }
    return researcher, expert


def test_researcher_pages_carry_the_policy_and_nonce_their_scripts(alice_client, pages):
    researcher, _expert = pages
    scripts = {
        where: _assert_protected(alice_client.get(url), where) for where, url in researcher.items()
    }

    # The copy buttons and the coding workspace's script are there, and allowed to run.
    assert scripts["tracking"] >= 1 and scripts["coding"] >= 1


def test_expert_pages_carry_the_policy_and_nonce_their_scripts(client, pages):
    _researcher, expert = pages
    responses = {where: client.get(url) for where, url in expert.items()}
    for where, response in responses.items():
        _assert_protected(response, where)

    # The questionnaire's script of both kinds of questionnaire: a file of our own ('self').
    for where in ("open round", "rating round"):
        assert '<script src="/static/js/answering.js" defer>' in responses[where].content.decode()


def test_each_response_gets_a_fresh_nonce(alice_client, pages):
    researcher, _expert = pages
    first = _directives(alice_client.get(researcher["tracking"]))["script-src"]
    second = _directives(alice_client.get(researcher["tracking"]))["script-src"]

    assert first != second


def test_sign_in_page_is_protected_too(client):
    _assert_protected(client.get("/accounts/login/"), "sign-in")
