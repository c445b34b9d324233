"""Every validation message on a Thai page reads in Thai: Django's own messages (which its
Thai catalogue lacks or words badly) and the model constraints, never a constraint's name."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.panels.factories import ExpertFactory, PanelFactory
from tests.rounds.factories import DomainFactory, RoundFactory

pytestmark = pytest.mark.django_db

LONG = "ก" * 10000
# Words a Thai message may keep: the study's own codes and technical names.
ALLOWED_LATIN = {"URL", "JSON", "IQR", "Q1", "Q3", "LINE", "ID"}
ERRORS = re.compile(
    r'class="[^"]*(?:invalid-feedback|alert-danger|errorlist)[^"]*"[^>]*>(.*?)</(?:span|div|ul)>',
    re.S,
)


def _values(form) -> dict:
    """The form as its page would post it unchanged."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = "on" if value is True else str(value)
    return data


def _errors(client, url: str, **changes) -> list[str]:
    form = client.get(url).context["form"]
    response = client.post(url, {**_values(form), **changes})
    assert response.status_code == 200, f"{url} accepted {changes}"
    page = response.content.decode()
    return [re.sub(r"<[^>]+>", " ", found).strip() for found in ERRORS.findall(page)]


@pytest.fixture
def thai_client(alice_client):
    alice_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
    return alice_client


def test_no_english_and_no_constraint_name_on_a_thai_page(thai_client, study):
    panel = PanelFactory(study=study, code_prefix="A")
    PanelFactory(study=study, code_prefix="B")
    expert = ExpertFactory(panel=panel)
    ExpertFactory(panel=panel, code="A99")
    domain = DomainFactory(study=study)
    delphi_round = RoundFactory(study=study, panel=panel)
    study_url = reverse("panels:study_edit", args=[study.pk])
    cases = [
        (study_url, {"title": LONG}),
        (study_url, {"band_cutoff_1": "4.5", "band_cutoff_2": "2.0"}),
        (study_url, {"consensus_iqr_threshold": "abc", "agreement_threshold": "1e9"}),
        (study_url, {"language": "ไทย"}),
        (reverse("panels:panel_create", args=[study.pk]), {"name": LONG, "code_prefix": "B"}),
        (reverse("panels:expert_edit", args=[study.pk, expert.pk]), {"code": "A99"}),
        (reverse("panels:expert_edit", args=[study.pk, expert.pk]), {"email": "ไม่ใช่อีเมล"}),
        (reverse("rounds:domain_create", args=[study.pk]), {"title": LONG, "order": "x"}),
        (
            reverse("rounds:round_edit", args=[study.pk, delphi_round.pk]),
            {"title": LONG, "number": "-1"},
        ),
        (
            reverse("rounds:question_create", args=[study.pk, delphi_round.pk]),
            {"text": "", "domain": str(domain.pk + 100)},
        ),
    ]
    shown = {}
    for url, changes in cases:
        shown[(url, tuple(changes))] = _errors(thai_client, url, **changes)

    assert all(shown.values()), {case: errors for case, errors in shown.items() if not errors}
    english = {
        case: [
            error
            for error in errors
            if set(re.findall(r"[A-Za-z][A-Za-z0-9]+", error)) - ALLOWED_LATIN
        ]
        for case, errors in shown.items()
    }
    assert {case: errors for case, errors in english.items() if errors} == {}
    # The form's own message on the cut-offs, not the model constraint's repeating it.
    assert "จุดตัดของระดับ" not in str(shown[(study_url, ("band_cutoff_1", "band_cutoff_2"))])


def test_the_domain_form_asks_for_the_domains_name(thai_client, study):
    page = thai_client.get(reverse("rounds:domain_create", args=[study.pk])).content.decode()

    assert "ชื่อด้าน" in page
    assert "ชื่อเรื่อง" not in page


def test_the_sign_up_page_explains_a_weak_password_in_thai(client, settings):
    settings.DELPHI_ALLOW_SIGNUP = True
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
    url = reverse("signup")
    data = {
        "username": "ผู้ใช้ ที่มีช่องว่าง",
        "email": "researcher@example.org",
        "first_name": "สมชาย",
        "last_name": "ใจดี",
        "password1": "1234",
        "password2": "12345",
    }

    response = client.post(url, data)
    page = response.content.decode()
    errors = [re.sub(r"<[^>]+>", " ", found).strip() for found in ERRORS.findall(page)]

    assert errors
    assert [e for e in errors if set(re.findall(r"[A-Za-z][A-Za-z0-9]+", e))] == []
    assert "Enter the same password as before" not in page
