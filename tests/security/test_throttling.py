"""Throttling counts per client, also behind a reverse proxy where every request arrives from the
proxy's own address — and a client cannot escape it by sending a header of its choice."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from rounds.answering.views.access import BAD_TOKEN_LIMIT
from rounds.links import expert_token
from tests.panels.factories import ExpertFactory, PanelFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PROXY = "127.0.0.1"
GUESSER, NEIGHBOUR = "203.0.113.5", "203.0.113.9"


@pytest.fixture
def behind_proxy(settings):
    """As deployed behind nginx, which puts the client's address in X-Real-IP."""
    settings.DELPHI_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"


@pytest.fixture
def token(study):
    return expert_token(ExpertFactory(panel=PanelFactory(study=study)))


def _sign_in(client, username, password, address):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_REAL_IP=address,
    )


def _start(client, token, **meta):
    return client.get(reverse("expert:start", kwargs={"token": token}), **meta)


def test_sign_in_lock_behind_a_proxy_holds_the_guesser_only(behind_proxy, client, alice, password):
    for _ in range(5):
        _sign_in(client, "alice", "wrong", GUESSER)

    refused = _sign_in(client, "alice", password, GUESSER)
    assert refused.status_code == 429
    assert SESSION_KEY not in client.session

    # Alice herself, at another address behind the same proxy, is not locked out.
    accepted = _sign_in(client, "alice", password, NEIGHBOUR)
    assert accepted.status_code == 302
    assert client.session[SESSION_KEY] == str(alice.pk)


def test_link_guessing_behind_a_proxy_blocks_the_guesser_only(behind_proxy, client, token):
    for n in range(BAD_TOKEN_LIMIT):
        _start(client, f"{n}-guess", REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=GUESSER)

    assert _start(client, token, REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=GUESSER).status_code == 429
    assert _start(client, token, REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=NEIGHBOUR).status_code == 200


def test_a_forged_forwarding_header_does_not_reset_the_count(client, token):
    # Without a configured proxy header only the socket's address counts, whatever the client says.
    for n in range(BAD_TOKEN_LIMIT):
        _start(client, f"{n}-guess", REMOTE_ADDR=GUESSER, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")

    forged = _start(client, token, REMOTE_ADDR=GUESSER, HTTP_X_FORWARDED_FOR="198.51.100.200")

    assert forged.status_code == 429


def test_sign_in_lock_ignores_a_forged_forwarding_header(client, alice, password):
    for n in range(5):
        client.post(
            LOGIN,
            {"username": "alice", "password": "wrong"},
            REMOTE_ADDR=GUESSER,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )

    response = client.post(
        LOGIN,
        {"username": "alice", "password": password},
        REMOTE_ADDR=GUESSER,
        HTTP_X_FORWARDED_FOR="198.51.100.200",
    )

    assert response.status_code == 429
