"""A qualified person certifies the model on a phone (390 x 844), rating every component on
the three criteria with autosave; the researcher closes the round and reads the verdict."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from rounds.models import Rating, Submission
from tests.e2e.conftest import has_no_horizontal_scroll, sign_in
from tests.panels.factories import PASSWORD, StudyFactory, UserFactory
from tests.rounds.factories import confirmation_round, consented_expert

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODES = ("appropriateness", "usefulness", "feasibility")


def test_qualified_person_confirms_on_a_phone_and_researcher_reads_the_verdict(
    phone, page, live_server
):
    researcher = UserFactory(username="researcher")
    study = StudyFactory(owner=researcher, title="รูปแบบเครือข่ายความร่วมมือ")
    delphi_round, items = confirmation_round(study, statements=2, title="การรับรองแบบจำลอง")
    expert, token = consented_expert(delphi_round.panel)
    domain_pk = items[0].statement.domain_id

    phone.goto(reverse("expert:round", kwargs={"token": token, "round_pk": delphi_round.pk}))
    assert "ความเป็นประโยชน์" in phone.locator("main").inner_text()
    for item in items:
        for code in CODES:
            # 5 · highest, except one 4 · high: still high or highest with consensus.
            value = 4 if (item, code) == (items[1], "feasibility") else 5
            phone.locator(f"label[for='rating-{item.pk}-{code}-{value}']").click()
            phone.locator(f"#status-{item.pk}-{code} .text-success").wait_for()
    box = phone.locator(f"#suggestion-{domain_pk}")
    box.fill("ควรกำหนดผู้รับผิดชอบให้ชัดเจน")
    box.press("End")
    phone.locator(f"#suggestion-status-{domain_pk} .text-success").wait_for()
    assert has_no_horizontal_scroll(phone)
    assert Rating.objects.filter(submission__expert=expert).count() == 6

    phone.locator("#submit-answers").click()
    phone.wait_for_url(re.compile(r"/thanks/"))
    summary = phone.locator("#summary").inner_text()
    assert "ความเป็นไปได้: 4" in summary
    assert "ควรกำหนดผู้รับผิดชอบให้ชัดเจน" in summary
    assert Submission.objects.get(expert=expert).is_submitted

    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    sign_in(page, researcher.username, PASSWORD)
    page.goto(delphi_round.get_absolute_url())
    page.get_by_role("link", name="Close round").click()
    page.locator("main form button[type=submit]").click()
    page.get_by_role("link", name="Results", exact=True).click()
    page.wait_for_url("**/results/")

    verdict = page.locator("#confirmation-verdict").inner_text()
    assert "The panel confirmed the model on every criterion." in verdict
    for label in ("ความเหมาะสม", "ความเป็นประโยชน์", "ความเป็นไปได้"):
        assert f"{label}: confirmed — every component was rated high or highest" in verdict
    assert "ควรกำหนดผู้รับผิดชอบให้ชัดเจน" in page.locator("#suggestions").inner_text()
    assert not phone.foreign_requests and not page.foreign_requests
