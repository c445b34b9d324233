"""Researcher accounts: sign-in and its throttling, sign-out, password change and reset, sign-up."""

import re

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core import mail
from django.urls import reverse

from tests.panels.factories import StudyFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
NEW_PASSWORD = "ranked-median-iqr-4271"
RESET_LINK = re.compile(r"https?://testserver(/accounts/reset/[^/\s]+/[^/\s]+/)")


def _sign_in(client, username: str, password: str, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def _signed_in_user_pk(client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value is not None else None


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Every sign-in here hashes a password; the production hasher would make each take ~0.5 s."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def english(client):
    """Read the page in English: the project's own strings are checked in their source language."""
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def signup_open(settings):
    settings.DELPHI_ALLOW_SIGNUP = True


# Sign-in ----------------------------------------------------------------------------------------


def test_right_password_signs_in_and_lands_on_the_study_list(client, alice, password):
    response = _sign_in(client, "alice", password)

    assert response.status_code == 302
    assert response.url == reverse("panels:study_list")
    assert _signed_in_user_pk(client) == alice.pk


def test_wrong_password_shows_the_form_again_with_an_error(client, alice):
    response = _sign_in(client, "alice", "not-the-password")

    assert response.status_code == 200
    assert response.context["form"].has_error("__all__", code="invalid_login")
    assert 'value="alice"' in response.content.decode()
    assert _signed_in_user_pk(client) is None


def test_sign_in_returns_to_the_page_that_asked_for_it(client, alice, password):
    study = StudyFactory(owner=alice)
    asked = client.get(study.get_absolute_url())
    login_page = client.get(asked.url)

    response = _sign_in(client, "alice", password, next=study.get_absolute_url())

    assert asked.url == f"{LOGIN}?next={study.get_absolute_url()}"
    assert f'name="next" value="{study.get_absolute_url()}"' in login_page.content.decode()
    assert response.url == study.get_absolute_url()


def test_signed_in_researcher_visiting_sign_in_goes_to_the_study_list(alice_client):
    response = alice_client.get(LOGIN)

    assert response.status_code == 302
    assert response.url == reverse("panels:study_list")


def test_login_page_offers_password_reset(client):
    response = client.get(LOGIN)

    assert f'href="{reverse("password_reset")}"' in response.content.decode()


def test_login_page_hides_sign_up_when_it_is_closed(client, settings):
    settings.DELPHI_ALLOW_SIGNUP = False

    response = client.get(LOGIN)

    assert reverse("signup") not in response.content.decode()


def test_login_page_links_to_sign_up_when_it_is_open(client, signup_open):
    response = client.get(LOGIN)

    assert f'href="{reverse("signup")}"' in response.content.decode()


def test_phone_keyboards_do_not_capitalise_the_user_name(client):
    page = client.get(LOGIN).content.decode()

    username_input = re.search(r'<input[^>]*name="username"[^>]*>', page).group(0)
    assert 'autocapitalize="none"' in username_input


# Throttling ------------------------------------------------------------------------------------


def test_first_failures_are_plain_wrong_password_answers(client, alice):
    statuses = [_sign_in(client, "alice", "wrong").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 200]


def test_after_five_failures_even_the_right_password_is_refused(client, alice, password):
    for _ in range(5):
        _sign_in(client, "alice", "wrong")

    response = _sign_in(client, "alice", password)

    assert response.status_code == 429
    assert _signed_in_user_pk(client) is None


def test_locked_out_page_says_how_long_to_wait_and_offers_a_reset(english, alice, password):
    for _ in range(5):
        _sign_in(english, "alice", "wrong")

    page = _sign_in(english, "alice", password).content.decode()

    wait = re.search(r'id="lockout-wait">(.*?)</p>', page, flags=re.DOTALL).group(1)
    assert "about 15 minutes" in wait
    assert f'href="{reverse("password_reset")}"' in page


def test_lock_on_one_user_name_leaves_colleagues_free_to_sign_in(client, alice, bob, password):
    for _ in range(5):
        _sign_in(client, "alice", "wrong")

    response = _sign_in(client, "bob", password)

    assert response.status_code == 302
    assert _signed_in_user_pk(client) == bob.pk


def test_successful_sign_in_forgets_earlier_failures(client, alice, password):
    for _ in range(4):
        _sign_in(client, "alice", "wrong")
    _sign_in(client, "alice", password)
    client.post(reverse("logout"))
    for _ in range(4):
        _sign_in(client, "alice", "wrong")

    response = _sign_in(client, "alice", password)

    assert response.status_code == 302
    assert _signed_in_user_pk(client) == alice.pk


# Sign-out --------------------------------------------------------------------------------------


def test_sign_out_by_link_is_refused_so_a_stray_get_cannot_sign_anyone_out(alice_client, alice):
    response = alice_client.get(reverse("logout"))

    assert response.status_code == 405
    assert _signed_in_user_pk(alice_client) == alice.pk


def test_sign_out_by_post_signs_out_and_returns_to_sign_in(alice_client):
    response = alice_client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("login")
    assert _signed_in_user_pk(alice_client) is None


# Password change -------------------------------------------------------------------------------


def test_password_change_takes_the_new_password_and_keeps_the_session(
    alice_client, alice, password
):
    data = {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}

    response = alice_client.post(reverse("password_change"), data)

    alice.refresh_from_db()
    assert response.url == reverse("password_change_done")
    assert alice.check_password(NEW_PASSWORD)
    assert alice_client.get(reverse("panels:study_list")).status_code == 200


def test_password_change_with_a_wrong_current_password_changes_nothing(
    alice_client, alice, password
):
    data = {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}

    response = alice_client.post(reverse("password_change"), data)

    alice.refresh_from_db()
    assert response.status_code == 200
    assert response.context["form"].has_error("old_password", code="password_incorrect")
    assert alice.check_password(password)


# Password reset --------------------------------------------------------------------------------


def test_reset_link_by_e_mail_lets_the_researcher_set_a_new_password_and_sign_in(client, alice):
    client.post(reverse("password_reset"), {"email": "ALICE@example.org"})
    [message] = mail.outbox
    link = RESET_LINK.search(message.body).group(1)

    form_page = client.get(link, follow=True)
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    signed_in = _sign_in(client, "alice", NEW_PASSWORD)

    assert message.to == [alice.email]
    assert "alice" in message.body
    assert form_page.context["validlink"] is True
    assert done.url == reverse("password_reset_complete")
    assert signed_in.status_code == 302
    assert _signed_in_user_pk(client) == alice.pk


def test_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client, alice):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_tampered_reset_link_shows_a_friendly_page_with_a_way_to_ask_again(client, alice, password):
    client.post(reverse("password_reset"), {"email": alice.email})
    link = RESET_LINK.search(mail.outbox[0].body).group(1)
    tampered = link[:-2] + ("0" if link[-2] != "0" else "1") + "/"

    response = client.get(tampered, follow=True)

    alice.refresh_from_db()
    assert response.status_code == 200
    assert response.context["validlink"] is False
    assert "new_password1" not in response.content.decode()
    assert f'href="{reverse("password_reset")}"' in response.content.decode()
    assert alice.check_password(password)


# Sign-up ---------------------------------------------------------------------------------------

SIGNUP = {
    "username": "somchai",
    "email": "somchai@example.ac.th",
    "first_name": "สมชาย",
    "last_name": "ใจดี",
    "password1": NEW_PASSWORD,
    "password2": NEW_PASSWORD,
}


def test_sign_up_does_not_exist_when_closed(client, settings):
    settings.DELPHI_ALLOW_SIGNUP = False

    assert client.get(reverse("signup")).status_code == 404
    assert client.post(reverse("signup"), SIGNUP).status_code == 404
    assert not get_user_model().objects.filter(username="somchai").exists()


def test_new_researcher_signs_up_is_signed_in_and_lands_on_the_study_list(client, signup_open):
    response = client.post(reverse("signup"), SIGNUP)

    user = get_user_model().objects.get(username="somchai")
    assert response.url == reverse("panels:study_list")
    assert _signed_in_user_pk(client) == user.pk
    assert user.email == "somchai@example.ac.th"
    assert user.check_password(NEW_PASSWORD)


def test_sign_up_refuses_an_e_mail_address_already_in_use(client, signup_open):
    UserFactory(username="existing", email="Somchai@Example.ac.th")

    response = client.post(reverse("signup"), SIGNUP)

    assert response.status_code == 200
    assert response.context["form"].has_error("email", code="email_taken")
    assert not get_user_model().objects.filter(username="somchai").exists()


def test_sign_up_refuses_a_weak_password_and_keeps_the_other_answers(client, signup_open):
    data = SIGNUP | {"password1": "password", "password2": "password"}

    response = client.post(reverse("signup"), data)

    assert response.status_code == 200
    assert response.context["form"].has_error("password2", code="password_too_common")
    assert 'value="somchai@example.ac.th"' in response.content.decode()
    assert not get_user_model().objects.filter(username="somchai").exists()
