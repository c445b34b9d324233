"""Issue 14 item 17: round 3 is gentle. A pre-marked answer outside [Q1, Q3] shows its reason
box up front; an answer kept from the expert's previous round needs no reason unless the round
asks for one; a refused submit lists the statements to see to, as links."""

import re

import pytest
from django.urls import reverse

from rounds.models import Round, Submission
from tests.e2e.conftest import TOUCH_PHONE, close_page, new_page
from tests.panels.factories import PanelFactory, StudyFactory
from tests.rounds.factories import (
    ItemResultFactory,
    RatingFactory,
    SubmissionFactory,
    consented_expert,
    next_round_items,
    rating_round,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _round_three(*, previous_values, **fields):
    """Round 3 after a closed round 2 (Q1 3.25, Q3 4.25 everywhere) in which the expert gave
    `previous_values` (None: no answer to that statement)."""
    study = StudyFactory()
    panel = PanelFactory(study=study)
    expert, token = consented_expert(panel)
    previous, previous_items = rating_round(
        study, panel, statements=len(previous_values), number=2, status=Round.Status.CLOSED
    )
    earlier = SubmissionFactory(delphi_round=previous, expert=expert)
    for item, value in zip(previous_items, previous_values, strict=True):
        ItemResultFactory(item=item)
        if value is not None:
            RatingFactory(submission=earlier, item=item, value=value)
    delphi_round, _none = rating_round(
        study,
        panel,
        statements=0,
        number=3,
        previous_round=previous,
        require_reason_outside_iqr=True,
        **fields,
    )
    items = next_round_items(delphi_round, previous_items)
    url = reverse("expert:round", kwargs={"token": token, "round_pk": delphi_round.pk})
    return delphi_round, items, url


def test_an_unchanged_answer_outside_the_range_needs_no_reason(phone):
    _round, items, url = _round_three(previous_values=[5, 4])
    phone.goto(url)
    first = items[0]
    reason_box = phone.locator(f"#reason-box-{first.pk}")

    assert phone.locator(f"#rating-{first.pk}-5").is_checked()
    assert not reason_box.is_visible()
    phone.locator(f"label[for=rating-{first.pk}-1]").click()
    reason_box.wait_for(state="visible")
    phone.locator(f"label[for=rating-{first.pk}-5]").click()
    reason_box.wait_for(state="hidden")

    phone.click("#submit-answers")
    phone.wait_for_url(re.compile(r"/thanks/$"))
    assert Submission.objects.get(delphi_round=_round).status == Submission.Status.SUBMITTED


@pytest.mark.parametrize("javascript", [True, False])
def test_a_round_asking_about_unchanged_answers_shows_the_reason_box_up_front(
    browser, live_server, javascript
):
    _round, items, url = _round_three(previous_values=[5, 4], require_reason_when_unchanged=True)
    page = new_page(browser, live_server, TOUCH_PHONE, java_script_enabled=javascript)
    try:
        page.goto(url)
        first, second = items
        assert page.locator(f"#rating-{first.pk}-5").is_checked()
        assert page.locator(f"#reason-box-{first.pk}").is_visible()
        assert not page.locator(f"#reason-box-{second.pk}").is_visible()
        if javascript:
            page.locator(f"label[for=rating-{first.pk}-4]").click()
            page.locator(f"#reason-box-{first.pk}").wait_for(state="hidden")
    finally:
        close_page(page)


def test_a_refused_submit_lists_the_statements_to_see_to_as_links(phone):
    _round, items, url = _round_three(
        previous_values=[5, 4, None], require_reason_when_unchanged=True
    )
    phone.goto(url)

    phone.click("#submit-answers")

    summary = phone.locator("#submit-error")
    summary.wait_for()
    assert summary.get_attribute("role") == "alert"
    assert phone.evaluate("document.activeElement.id") == "submit-error"
    links = summary.locator("a")
    assert [links.nth(n).get_attribute("href") for n in range(links.count())] == [
        f"#item-{items[0].pk}",
        f"#item-{items[2].pk}",
    ]
    links.nth(1).click()
    assert phone.url.endswith(f"#item-{items[2].pk}")
    assert phone.locator(f"#item-{items[2].pk}").is_visible()
    assert Submission.objects.get(delphi_round=_round).status == Submission.Status.DRAFT
