"""A researcher opens a round on a phone and copies an expert's LINE message."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.urls import resolve
from django.utils import timezone

from rounds.links import expert_for_token
from rounds.models import Round
from tests.e2e.conftest import has_no_horizontal_scroll, sign_in
from tests.panels.factories import ExpertFactory, StudyFactory, UserFactory
from tests.rounds.factories import OpenQuestionFactory, RoundFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_researcher_opens_a_round_and_copies_a_line_message_on_a_phone(phone_page, password):
    alice = UserFactory(username="alice")
    study = StudyFactory(owner=alice, title="เครือข่ายความร่วมมือ")
    delphi_round = RoundFactory(study=study, closes_at=timezone.now() + datetime.timedelta(days=14))
    OpenQuestionFactory(delphi_round=delphi_round)
    expert = ExpertFactory(panel=delphi_round.panel, name="ดร.สมชาย ใจดี")
    ExpertFactory(panel=delphi_round.panel)
    page = phone_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(page, "alice", password)

    page.goto(delphi_round.get_absolute_url())
    page.click("a[href$='/open/']")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/tracking/")

    delphi_round.refresh_from_db()
    assert delphi_round.status == Round.Status.OPEN
    assert has_no_horizontal_scroll(page)
    row = page.locator(f"#expert-{expert.pk}")
    row.locator("summary").click()
    assert has_no_horizontal_scroll(page)
    row.locator(f"[data-copy='line-{expert.pk}']").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "ดร.สมชาย ใจดี" in copied
    link = next(word for word in copied.split() if "://" in word)
    assert expert_for_token(resolve(urlsplit(link).path).kwargs["token"]) == expert
    assert page.foreign_requests == []
