"""A late answer, seen from the tracking page of a closed round and in the audit log, on a
phone (issue 14, items 6 and 9)."""

import datetime

import pytest
from django.utils import timezone

from panels.models import AuditEvent
from rounds.models import Round
from tests.e2e.conftest import has_no_horizontal_scroll, sign_in
from tests.panels.factories import ExpertFactory, StudyFactory, UserFactory
from tests.rounds.factories import OpenQuestionFactory, RoundFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_late_answer_leads_from_tracking_to_the_audit_log_on_a_phone(phone_page, password):
    alice = UserFactory(username="alice")
    study = StudyFactory(owner=alice, title="เครือข่ายความร่วมมือ")
    now = timezone.now()
    delphi_round = RoundFactory(
        study=study,
        status=Round.Status.CLOSED,
        opens_at=now - datetime.timedelta(days=7),
        closes_at=now + datetime.timedelta(days=14),
        closed_at=now - datetime.timedelta(hours=1),
    )
    question = OpenQuestionFactory(delphi_round=delphi_round, text="ปัจจัยแห่งความสำเร็จคืออะไร")
    expert = ExpertFactory(panel=delphi_round.panel, code="E01")
    AuditEvent.objects.create(
        study=study,
        action="answer.late",
        detail={
            "expert": "E01",
            "round": delphi_round.number,
            "content": {"answers": [{"question": question.pk, "texts": ["ครูเป็นแกนนำ"]}]},
        },
    )
    page = phone_page
    sign_in(page, "alice", password)

    page.goto(f"/studies/{study.pk}/rounds/{delphi_round.pk}/tracking/")
    summary = page.locator("[data-count=days_left]").inner_text()
    assert "เหลือ" not in summary and "ปิดรอบเมื่อ" in summary
    row = page.locator(f"#expert-{expert.pk}")
    assert "ได้รับคำตอบที่ส่งช้าเมื่อ" in row.inner_text()
    row.locator(".late-answer summary").click()
    assert "ครูเป็นแกนนำ" in row.inner_text()
    assert has_no_horizontal_scroll(page)

    row.locator(".late-answer a").click()
    page.wait_for_url("**/audit/**")
    events = page.locator("#audit-events tbody tr")
    assert events.count() == 1
    assert "ครูเป็นแกนนำ" in events.first.inner_text()
    assert has_no_horizontal_scroll(page)
    assert page.foreign_requests == []
