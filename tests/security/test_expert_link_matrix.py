"""A valid personal link opens only its own study: every expert URL, filled with the numbers of
another study's round, item, question or domain, answers 404 and writes nothing; a revoked link
gets the friendly refusal everywhere. The matrix comes from the URL configuration, so a new
expert view is covered the day it is added.
"""

import pytest
from django.urls import reverse

from rounds.links import expert_link_revoke
from rounds.models import DomainSuggestion, OpenAnswer, Rating, Submission
from tests.panels.factories import PanelFactory, StudyFactory
from tests.rounds.factories import (
    OpenQuestionFactory,
    confirmation_round,
    consented_expert,
    open_round,
    rating_round,
)
from tests.url_patterns import url_names

pytestmark = pytest.mark.django_db

WRITTEN = (Rating, OpenAnswer, DomainSuggestion, Submission)


def _expert_url_names() -> list[tuple[str, list[str]]]:
    return url_names(lambda namespace, _arguments: namespace == "expert")


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in WRITTEN}


@pytest.fixture
def study_a_expert(alice):
    study = StudyFactory(owner=alice)
    panel = PanelFactory(study=study, code_prefix="E")
    open_round(study, panel)
    own_round, own_items = rating_round(study, panel)
    expert, token = consented_expert(panel)
    return expert, token, {"round_pk": own_round.pk, "item_pk": own_items[0].pk}


@pytest.fixture
def study_b_objects(bob):
    """Open rounds of every kind in another study, with an expert there so they are live."""
    study = StudyFactory(owner=bob)
    panel = PanelFactory(study=study, code_prefix="E")
    round_one = open_round(study, panel)
    question = OpenQuestionFactory(delphi_round=round_one)
    rating, items = rating_round(study, panel)
    confirmation, confirmation_items = confirmation_round(study)
    consented_expert(panel)
    return [
        {"round_pk": round_one.pk, "question_pk": question.pk},
        {"round_pk": rating.pk, "item_pk": items[0].pk},
        {
            "round_pk": confirmation.pk,
            "item_pk": confirmation_items[0].pk,
            "domain_pk": confirmation_items[0].statement.domain_id,
        },
    ]


def _filled(arguments: list[str], objects: dict, token: str) -> dict | None:
    values = {"token": token, "position": 1, **objects}
    if any(arg not in values for arg in arguments):
        return None
    return {arg: values[arg] for arg in arguments}


def _payload(objects: dict) -> dict:
    """What a real page would post for these objects, so a missing check would write."""
    data = {}
    if "item_pk" in objects:
        data[f"rating_{objects['item_pk']}"] = "5"
        data[f"comment_{objects['item_pk']}"] = "แทรก"
    if "question_pk" in objects:
        data[f"answer_{objects['question_pk']}_1"] = "แทรก"
    if "domain_pk" in objects:
        data[f"suggestion_{objects['domain_pk']}"] = "แทรก"
    return data


def test_matrix_covers_the_expert_views():
    names = {name for name, _args in _expert_url_names()}

    assert {
        "expert:start",
        "expert:round",
        "expert:autosave_rating",
        "expert:autosave_open",
        "expert:autosave_suggestion",
    } <= names


@pytest.mark.parametrize("method", ["get", "post"])
def test_valid_link_cannot_reach_another_studys_objects(
    client, study_a_expert, study_b_objects, method
):
    _expert, token, _own = study_a_expert
    before = _counts()
    checked = set()
    for name, arguments in _expert_url_names():
        if arguments == ["token"]:
            continue  # start and consent hold no object of any study
        for objects in study_b_objects:
            kwargs = _filled(arguments, objects, token)
            if kwargs is None:
                continue
            url = reverse(name, kwargs=kwargs)
            if method == "post":
                response = client.post(url + "?criterion=appropriateness", _payload(objects))
            else:
                response = client.get(url + "?position=2")

            # 405 (a GET on a POST-only action) is answered before anything is looked up.
            assert response.status_code in {404, 405}, f"{method.upper()} {name} {url}"
            checked.add(name)

    assert checked == {name for name, args in _expert_url_names() if args != ["token"]}
    assert _counts() == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_revoked_link_gets_the_friendly_page_everywhere(client, study_a_expert, method):
    expert, token, _own = study_a_expert
    expert_link_revoke(expert=expert)
    before = _counts()
    objects = {"round_pk": 1, "item_pk": 1, "question_pk": 1, "domain_pk": 1}

    for name, arguments in _expert_url_names():
        url = reverse(name, kwargs=_filled(arguments, objects, token))

        response = getattr(client, method)(url)

        assert response.status_code == 404, f"{method.upper()} {name} {url}"
        assert "rounds/expert/link_unavailable.html" in [t.name for t in response.templates]
    assert _counts() == before


def test_the_same_request_on_the_experts_own_item_writes(client, study_a_expert):
    """The control: the matrix's payload is one the views accept, so its 404s are refusals."""
    expert, token, own = study_a_expert
    url = reverse("expert:autosave_rating", kwargs={"token": token, **own})

    response = client.post(url, _payload(own))

    assert response.status_code == 200
    assert Rating.objects.get(submission__expert=expert).value == 5
