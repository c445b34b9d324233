"""Before opening a round the researcher sees what would stop it and what opening fixes; the
builder of round 2 offers no feedback that needs an earlier rating round."""

import re

import pytest

from rounds.models import Round
from tests.e2e.conftest import sign_in
from tests.panels.factories import ExpertFactory, PanelFactory, UserFactory
from tests.rounds.factories import rating_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_first_rating_round_warns_before_the_click(page, password):
    panel = PanelFactory(study__owner=UserFactory(username="alice"), name="ผู้เชี่ยวชาญ")
    study = panel.study
    round_two, _items = rating_round(study, panel, statements=0, status=Round.Status.DRAFT)
    sign_in(page, "alice", password)

    page.goto(f"/studies/{study.pk}/rounds/{round_two.pk}/build/")
    assert page.locator("input[name=show_median]").count() == 0
    assert page.locator("input[name=require_reason_outside_iqr]").count() == 0
    assert page.locator("#no-previous-feedback").is_visible()
    assert page.locator("input[name=allow_cannot_judge]").count() == 1

    page.goto(f"/studies/{study.pk}/rounds/{round_two.pk}/open/")
    problems = page.locator("#open-problems")
    assert problems.is_visible()
    assert problems.locator("[data-problem]").evaluate_all(
        "nodes => nodes.map(n => n.dataset.problem)"
    ) == ["no_items", "no_experts"]
    assert page.locator("main form button[type=submit]").is_disabled()
    assert page.locator("#rules-lock").is_visible()
    assert "ข้อความ" in page.locator("main").inner_text()

    # The links lead to what is missing.
    problems.locator(f"a[href$='/panels/{panel.pk}/']").click()
    page.wait_for_url(re.compile(rf"/panels/{panel.pk}/$"))

    rating_round(study, panel, statements=3, number=3, status=Round.Status.DRAFT)
    ExpertFactory.create_batch(2, panel=panel)
    round_three = Round.objects.get(number=3)
    page.goto(f"/studies/{study.pk}/rounds/{round_three.pk}/open/")
    assert page.locator("#open-problems").count() == 0
    assert page.locator("#rules-lock").is_visible()
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/tracking/$"))
    round_three.refresh_from_db()
    study.refresh_from_db()
    assert round_three.status == Round.Status.OPEN
    assert study.rules_locked_at is not None
