"""A researcher in Thai types a round's deadline in the Buddhist era and sees the same date back."""

import datetime
import re
import zoneinfo

import pytest

from rounds.models import Round
from tests.e2e.conftest import sign_in
from tests.panels.factories import PanelFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")


def test_a_thai_researcher_creates_a_round_with_a_buddhist_era_deadline(page, password):
    panel = PanelFactory(study__owner=UserFactory(username="alice"), name="ผู้เชี่ยวชาญ")
    sign_in(page, "alice", password)
    page.goto(f"/studies/{panel.study.pk}/rounds/new/")

    closes = page.locator("input[name=closes_at]")
    assert closes.get_attribute("type") == "text"
    assert closes.get_attribute("placeholder") == "วว/ดด/ปปปป ชช:นน"
    page.fill("input[name=title]", "รอบที่ 1")
    page.select_option("select[name=kind]", "open")
    page.select_option("select[name=panel]", str(panel.pk))
    page.fill("input[name=opens_at]", "01/12/2569 09:00")
    # A Common-Era year typed by habit is refused, naming the Buddhist-era year it would be.
    closes.fill("20/12/2026 17:00")
    page.click("main form [type=submit]")
    page.wait_for_load_state()
    assert Round.objects.count() == 0
    assert "2569" in page.locator("main").inner_text()
    assert "พ.ศ." in page.locator("main").inner_text()

    page.locator("input[name=closes_at]").fill("20/12/2569 17:00")
    page.click("main form [type=submit]")
    page.wait_for_url(re.compile(r"/rounds/\d+/$"))

    delphi_round = Round.objects.get()
    assert delphi_round.closes_at == datetime.datetime(2026, 12, 20, 17, 0, tzinfo=BANGKOK)
    assert "20 ธันวาคม 2569" in page.locator("main").inner_text()

    page.goto(f"/studies/{panel.study.pk}/rounds/{delphi_round.pk}/edit/")
    assert page.locator("input[name=closes_at]").input_value() == "20/12/2569 17:00"
    assert page.locator("input[name=opens_at]").input_value() == "01/12/2569 09:00"
