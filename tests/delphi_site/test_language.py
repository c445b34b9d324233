"""Thai first, English on request, and the switcher keeps the reader where they were."""

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

SET_LANGUAGE = "/i18n/setlang/"


def test_first_visit_lands_on_the_sign_in_page(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response.url == reverse("login")


def test_sign_in_page_is_in_thai_by_default(client):
    page = client.get("/", follow=True).content.decode()

    assert 'lang="th"' in page
    # Django's own catalogue translates the form's labels: "Username" and "Password".
    assert "ชื่อผู้ใช้" in page
    assert "รหัสผ่าน" in page


def test_an_english_browser_still_gets_thai_until_the_reader_chooses(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()

    assert 'lang="th"' in page
    assert "รหัสผ่าน" in page


def test_choosing_english_switches_the_pages_to_english(client):
    client.post(SET_LANGUAGE, {"language": "en", "next": reverse("login")})

    page = client.get(reverse("login")).content.decode()

    assert client.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert 'lang="en"' in page
    assert "Password" in page
    assert "รหัสผ่าน" not in page


def test_choosing_thai_again_switches_back(client):
    client.post(SET_LANGUAGE, {"language": "en", "next": reverse("login")})
    client.post(SET_LANGUAGE, {"language": "th", "next": reverse("login")})

    page = client.get(reverse("login")).content.decode()

    assert 'lang="th"' in page


def test_switcher_keeps_the_reader_on_the_same_page(alice_client, study):
    page = study.get_absolute_url() + "?tab=panels"
    switcher = alice_client.get(page).content.decode()

    response = alice_client.post(SET_LANGUAGE, {"language": "en", "next": page})

    assert f'name="next" type="hidden" value="{study.get_absolute_url()}?tab=panels"' in switcher
    assert response.status_code == 302
    assert response.url == page


def test_switcher_does_not_send_the_reader_to_another_site(client):
    response = client.post(
        SET_LANGUAGE, {"language": "en", "next": "https://phishing.example/accounts/login/"}
    )

    assert response.url == "/"
