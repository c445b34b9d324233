"""/healthz tells a probe whether the server can reach its database, without a session."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse


@pytest.mark.django_db
def test_health_answers_ok_when_the_database_answers(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.content == b"ok\n"
    # Probes hit it every few seconds: nothing may be cached, and no cookie set.
    assert "no-cache" in response.headers["Cache-Control"]
    assert not response.cookies


@pytest.mark.django_db
def test_health_answers_503_without_details_when_the_database_is_down(client, caplog):
    detail = 'connection to server at "10.0.0.9" failed: secret detail'
    with mock.patch("delphi_site.health.connection.cursor", side_effect=OperationalError(detail)):
        response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert b"10.0.0.9" not in response.content
    # The reason is kept for the administrator.
    assert detail in caplog.text


def test_health_refuses_writes(client):
    assert client.post(reverse("healthz")).status_code == 405
