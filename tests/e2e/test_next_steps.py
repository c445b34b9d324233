"""A first-time researcher follows the buttons: closed round 1 → analyse the answers → build
round 2; closed rating round → results → the next round or the confirmation round."""

import re

import pytest

from rounds.coding.statements import statement_create_from_answers
from rounds.models import Round
from tests.e2e.conftest import sign_in
from tests.panels.factories import PanelFactory, StudyFactory, UserFactory
from tests.rounds.factories import answered_round, closed_rating_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _primary(page):
    return page.locator("#next-steps a.btn-primary")


def test_from_a_closed_round_one_to_round_two_by_the_next_step_buttons(page, password):
    alice = UserFactory(username="alice")
    study = StudyFactory(owner=alice)
    answered = answered_round(study, experts=2, questions=1)
    round_one = answered.delphi_round
    sign_in(page, "alice", password)

    page.goto(study.get_absolute_url())
    assert round_one.display_title in page.locator("#next-steps-where").inner_text()
    assert _primary(page).get_attribute("data-next-step") == "coding"
    assert page.locator("#next-steps a.btn-primary").count() == 1, "one primary call to action"
    _primary(page).click()
    page.wait_for_url(re.compile(rf"/rounds/{round_one.pk}/coding/$"))
    assert page.locator("#coding-done").count() == 0

    # The researcher codes every answer (the coding itself has its own browser test).
    statement_create_from_answers(
        study=study,
        answers=answered.answers,
        text="สร้างความตระหนักร่วมกัน",
        domain=None,
        actor=alice,
    )
    page.reload()
    page.locator("#coding-done a").click()
    page.wait_for_url(re.compile(r"/rounds/new/\?"))
    assert page.locator("select[name=kind]").input_value() == "rating"
    assert page.locator("select[name=previous_round]").input_value() == str(round_one.pk)
    assert page.locator("select[name=panel]").input_value() == str(round_one.panel_id)
    assert page.locator("input[name=number]").input_value() == "2"
    page.click("main form [type=submit]")
    page.wait_for_url(re.compile(r"/rounds/\d+/$"))
    round_two = Round.objects.get(number=2)
    assert round_two.kind == Round.Kind.RATING

    assert _primary(page).get_attribute("data-next-step") == "build"
    _primary(page).click()
    page.wait_for_url(re.compile(rf"/rounds/{round_two.pk}/build/$"))

    # Back on the study page, round 1 is coded, so round 2 is where the study is.
    page.goto(study.get_absolute_url())
    assert round_two.display_title in page.locator("#next-steps-where").inner_text()


def test_from_a_closed_rating_round_to_its_results_and_on(page, password):
    study = StudyFactory(owner=UserFactory(username="alice"))
    panel = PanelFactory(study=study)
    delphi_round, _items = closed_rating_round(study, panel, consensus=[True, False])
    sign_in(page, "alice", password)

    page.goto(delphi_round.get_absolute_url())
    calls = page.locator("main .page-header .btn-primary, main .page-header .btn-success")
    assert calls.count() == 0, "the page's one primary call to action is the next step"
    assert _primary(page).count() == 1
    assert _primary(page).get_attribute("data-next-step") == "results"
    _primary(page).click()
    page.wait_for_url(re.compile(r"/results/$"))

    steps = page.locator("#next-steps [data-next-step]")
    assert steps.evaluate_all("nodes => nodes.map(n => n.dataset.nextStep)") == [
        "build_rating",
        "build_confirmation",
    ]
    page.locator("#next-steps [data-next-step=build_confirmation]").click()
    page.wait_for_url(re.compile(r"/rounds/new/\?"))
    assert page.locator("select[name=kind]").input_value() == "confirmation"
