"""An expert answers on a phone (390 x 844): consent, round 1, reload, submit, feedback, links."""

import re

import pytest
from django.urls import reverse

from rounds.links import expert_link_revoke, expert_token
from rounds.models import OpenAnswer, Rating, Round, Submission
from tests.e2e.conftest import has_no_horizontal_scroll
from tests.panels.factories import ExpertFactory, PanelFactory, StudyFactory
from tests.rounds.factories import (
    ItemResultFactory,
    OpenQuestionFactory,
    RatingFactory,
    SubmissionFactory,
    consented_expert,
    next_round_items,
    open_round,
    rating_round,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _start_url(expert) -> str:
    return reverse("expert:start", kwargs={"token": expert_token(expert)})


def _saved(page, status_id: str) -> None:
    page.locator(f"#{status_id} .text-success").wait_for()


def _htmx_idle(page) -> None:
    """Wait until htmx has settled: new content is wired up 20 ms after it is swapped in."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-added')"
    )


def _type(locator, text: str) -> None:
    """Type as a Thai keyboard would: Playwright inserts Thai text without key events, so
    a real key press follows to fire the keyup the autosave listens for."""
    locator.fill(text)
    locator.press("End")


def test_expert_consents_answers_round_one_reloads_and_submits(phone):
    study = StudyFactory(title="รูปแบบเครือข่ายความร่วมมือ", description="เพื่อยกระดับคุณภาพการศึกษา")
    panel = PanelFactory(study=study)
    expert = ExpertFactory(panel=panel)
    delphi_round = open_round(study, panel, title="รอบที่ 1")
    first = OpenQuestionFactory(delphi_round=delphi_round, text="องค์ประกอบของเครือข่ายมีอะไรบ้าง")
    second = OpenQuestionFactory(delphi_round=delphi_round, text="ขั้นตอนการสร้างเครือข่าย")

    phone.goto(_start_url(expert))
    assert "เพื่อยกระดับคุณภาพการศึกษา" in phone.locator("main").inner_text()
    assert phone.locator("#anonymity").is_visible()
    phone.click("#consent-button")
    phone.get_by_role("link", name=re.compile("เริ่มตอบ|Start answering")).click()
    phone.wait_for_url(re.compile(r"/rounds/\d+/$"))

    box = phone.locator(f"#answer-{first.pk}-1")
    box.fill("การประชุมร่วมกันทุกเดือน")
    box.blur()
    _saved(phone, f"status-{first.pk}-1")
    _type(phone.locator(f"#answer-{second.pk}-2"), "สร้างความตระหนัก")
    _saved(phone, f"status-{second.pk}-2")
    phone.locator(f"#add-box-{first.pk}").click()
    _htmx_idle(phone)
    phone.locator(f"#answer-{first.pk}-4").fill("แลกเปลี่ยนเรียนรู้")
    phone.locator(f"#answer-{first.pk}-4").blur()
    _saved(phone, f"status-{first.pk}-4")
    assert has_no_horizontal_scroll(phone)

    phone.reload()
    assert phone.locator(f"#answer-{first.pk}-1").input_value() == "การประชุมร่วมกันทุกเดือน"
    assert phone.locator(f"#answer-{second.pk}-2").input_value() == "สร้างความตระหนัก"
    assert phone.locator(f"#answer-{first.pk}-4").input_value() == "แลกเปลี่ยนเรียนรู้"

    phone.click("#submit-answers")
    phone.wait_for_url(re.compile(r"/thanks/$"))
    summary = phone.locator("#summary").inner_text()
    assert "การประชุมร่วมกันทุกเดือน" in summary and "สร้างความตระหนัก" in summary
    assert Submission.objects.get().status == Submission.Status.SUBMITTED
    assert OpenAnswer.objects.count() == 3
    assert phone.foreign_requests == []


def test_feedback_premarks_the_previous_answer_and_asks_for_a_reason(phone):
    study = StudyFactory()
    panel = PanelFactory(study=study)
    expert, token = consented_expert(panel)
    previous, previous_items = rating_round(study, panel, statements=2, number=2)
    previous.status = Round.Status.CLOSED
    previous.save()
    earlier = SubmissionFactory(delphi_round=previous, expert=expert)
    for item in previous_items:
        ItemResultFactory(item=item)  # median 3.80, Q1 3.25, Q3 4.25
        RatingFactory(submission=earlier, item=item, value=4)
    delphi_round, _none = rating_round(
        study,
        panel,
        statements=0,
        number=3,
        previous_round=previous,
        require_reason_outside_iqr=True,
    )
    items = next_round_items(delphi_round, previous_items)
    item = items[0]

    phone.goto(reverse("expert:round", kwargs={"token": token, "round_pk": delphi_round.pk}))

    assert phone.locator(f"#rating-{item.pk}-4").is_checked()
    assert "4" in phone.locator(f"#item-{item.pk} .own-previous").inner_text()
    assert "3.80" in phone.locator(f"#item-{item.pk} .feedback").inner_text()
    reason_box = phone.locator(f"#reason-box-{item.pk}")
    assert not reason_box.is_visible()

    phone.locator(f"label[for=rating-{item.pk}-1]").click()
    reason_box.wait_for(state="visible")
    phone.locator(f"#status-{item.pk} .text-danger").wait_for()
    assert not Rating.objects.filter(item=item).exists()
    _type(phone.locator(f"#reason-{item.pk}"), "โรงเรียนขนาดเล็กทำได้ยาก")
    _saved(phone, f"status-{item.pk}")

    rating = Rating.objects.get(item=item)
    assert (rating.value, rating.reason) == (1, "โรงเรียนขนาดเล็กทำได้ยาก")
    assert has_no_horizontal_scroll(phone)
    assert phone.foreign_requests == []


def test_an_answer_made_offline_is_kept_on_the_page_and_saved_later(phone):
    study = StudyFactory()
    panel = PanelFactory(study=study)
    _expert, token = consented_expert(panel)
    delphi_round, items = rating_round(study, panel, statements=2)
    item = items[0]
    phone.goto(reverse("expert:round", kwargs={"token": token, "round_pk": delphi_round.pk}))

    phone.context.set_offline(True)
    phone.locator(f"label[for=rating-{item.pk}-5]").click()
    phone.locator(f"#status-{item.pk} .text-danger").wait_for()
    assert phone.locator(f"#rating-{item.pk}-5").is_checked()
    assert not Rating.objects.exists()

    phone.context.set_offline(False)
    _saved(phone, f"status-{item.pk}")
    assert Rating.objects.get().value == 5


def test_a_revoked_link_shows_the_friendly_page(phone):
    expert = ExpertFactory(panel=PanelFactory())
    url = _start_url(expert)
    expert_link_revoke(expert=expert)

    response = phone.goto(url)

    assert response.status == 404
    assert phone.locator("main h1").is_visible()
    assert "Traceback" not in phone.content()
    assert has_no_horizontal_scroll(phone)
