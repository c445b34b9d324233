"""A wrong link or a failure shows a friendly page in the reader's language, never a trace."""

import pytest
from django.conf import settings as django_settings
from django.template.loader import render_to_string
from django.test import Client
from django.urls import path, reverse
from django.utils import translation

from tests.panels.factories import StudyMemberFactory


def _explode(request):
    raise RuntimeError("boom: internal detail that must not reach the reader")


# Used as ROOT_URLCONF by the 500 test: the real routes plus one view that fails.
urlpatterns = [path("explode/", _explode)]


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    return settings


@pytest.fixture
def english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.django_db
def test_missing_page_is_friendly_and_in_thai_by_default(client, production):
    response = client.get("/no-such-page/")

    page = response.content.decode()
    assert response.status_code == 404
    assert 'lang="th"' in page
    assert f'href="{reverse("home")}"' in page
    assert "Traceback" not in page


@pytest.mark.django_db
def test_missing_page_speaks_english_when_the_reader_chose_it(english, production):
    response = english.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_someone_elses_study_gets_the_same_friendly_not_found_page(bob_client, study, production):
    response = bob_client.get(study.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 404
    assert f'href="{reverse("home")}"' in page
    assert study.title not in page


@pytest.mark.django_db
def test_viewer_trying_to_edit_gets_a_friendly_not_allowed_page(bob, study, production):
    StudyMemberFactory(study=study, user=bob)
    viewer = Client()
    viewer.force_login(bob)
    viewer.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"

    response = viewer.get(reverse("panels:study_edit", args=[study.pk]))

    page = response.content.decode()
    assert response.status_code == 403
    assert "Not allowed" in page
    assert f'href="{reverse("home")}"' in page


@pytest.mark.django_db
def test_server_error_shows_the_plain_error_page_without_details(production):
    production.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)

    response = client.get("/explode/")

    page = response.content.decode()
    assert response.status_code == 500
    assert 'lang="th"' in page
    assert 'href="/"' in page
    assert "boom" not in page
    assert "Traceback" not in page


def test_server_error_page_renders_without_request_or_database():
    # No django_db mark: any query while rendering would fail this test.
    with translation.override("en"):
        page = render_to_string("500.html")

    assert 'lang="en"' in page
    assert "Something went wrong" in page
    assert 'href="/"' in page


@pytest.mark.django_db
def test_forged_host_gets_the_plain_bad_request_page(production):
    response = Client(HTTP_HOST="attacker.example").get("/")

    page = response.content.decode()
    assert response.status_code == 400
    assert 'href="/"' in page
    assert "Traceback" not in page


@pytest.mark.django_db
def test_expired_form_gets_a_friendly_page_not_a_bare_error(alice):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    browser.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"

    response = browser.post(reverse("panels:study_create"), {"title": "x"})

    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()
