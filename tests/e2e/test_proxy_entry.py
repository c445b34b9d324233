"""A paper sheet keyed in as it is read aloud: a key per statement, Tab to the next, Enter to
save; and answer boxes added to a round-1 sheet without saving first."""

import re

import pytest

from rounds.models import OpenAnswer, Rating, Round
from tests.e2e.conftest import sign_in
from tests.panels.factories import ExpertFactory, PanelFactory, UserFactory
from tests.rounds.factories import OpenQuestionFactory, RoundFactory, RoundItemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHEET = [4, 5, 3, 0, 2, 5, 1, 4, 4, 3]  # 0: the expert ticked "cannot judge"


def _panel():
    panel = PanelFactory(study__owner=UserFactory(username="alice"), code_prefix="E")
    return panel, ExpertFactory(panel=panel, code="E01", name="ผู้เชี่ยวชาญ หนึ่ง")


def test_a_ten_statement_sheet_is_typed_by_keyboard_only(page, password):
    panel, expert = _panel()
    delphi_round = RoundFactory(
        study=panel.study,
        panel=panel,
        kind=Round.Kind.RATING,
        status=Round.Status.OPEN,
        number=2,
        allow_cannot_judge=True,
    )
    items = RoundItemFactory.create_batch(10, delphi_round=delphi_round)
    sign_in(page, "alice", password)
    page.goto(f"/studies/{panel.study.pk}/rounds/{delphi_round.pk}/proxy/{expert.pk}/")

    # The first box has the focus: the sheet is keyed in without touching the mouse.
    assert page.evaluate("document.activeElement.dataset.typedRating") == str(items[0].pk)
    for value in SHEET[:-1]:
        page.keyboard.type(str(value))
        page.keyboard.press("Tab")
    page.keyboard.type(str(SHEET[-1]))
    page.keyboard.press("Enter")  # from the last box to the Save button
    assert page.evaluate("document.activeElement.id") == "proxy-save"
    # Each key set its statement's button too, so what is seen is what is saved.
    for item, value in zip(items, SHEET, strict=True):
        assert page.locator(f"input[name=rating_{item.pk}][value='{value}']").is_checked()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/proxy/$"))

    stored = dict(Rating.objects.values_list("item", "value"))
    assert [stored[item.pk] for item in items] == SHEET


def test_answer_boxes_are_added_without_saving(page, password):
    panel, expert = _panel()
    delphi_round = RoundFactory(
        study=panel.study, panel=panel, kind=Round.Kind.OPEN, status=Round.Status.OPEN
    )
    question = OpenQuestionFactory(delphi_round=delphi_round, order=1, text="ขั้นตอน?")
    sign_in(page, "alice", password)
    page.goto(f"/studies/{panel.study.pk}/rounds/{delphi_round.pk}/proxy/{expert.pk}/")

    texts = [f"คำตอบที่ {n}" for n in range(1, 6)]
    for number, text in enumerate(texts[:3], start=1):
        page.fill(f"textarea[name=answer_{question.pk}_{number}]", text)
    for number, text in enumerate(texts[3:], start=4):
        page.click(f"[data-add-box='{question.pk}']")
        box = page.locator(f"textarea[name=answer_{question.pk}_{number}]")
        assert box.evaluate("node => node === document.activeElement")
        page.keyboard.type(text)
    assert not OpenAnswer.objects.exists()
    page.click("#proxy-save")
    page.wait_for_url(re.compile(r"/proxy/$"))

    assert list(OpenAnswer.objects.order_by("position").values_list("text", flat=True)) == texts


def test_without_a_script_the_add_button_brings_one_more_box(browser, live_server, password):
    from tests.e2e.conftest import close_page, new_page

    page = new_page(browser, live_server, {"width": 1280, "height": 900}, java_script_enabled=False)
    panel, expert = _panel()
    delphi_round = RoundFactory(
        study=panel.study, panel=panel, kind=Round.Kind.OPEN, status=Round.Status.OPEN
    )
    question = OpenQuestionFactory(delphi_round=delphi_round, order=1, text="ขั้นตอน?")
    sign_in(page, "alice", password)
    page.goto(f"/studies/{panel.study.pk}/rounds/{delphi_round.pk}/proxy/{expert.pk}/")
    page.fill(f"textarea[name=answer_{question.pk}_1]", "คำตอบแรก")

    page.click(f"[data-add-box='{question.pk}']")
    page.wait_for_load_state()

    assert page.locator(f"textarea[name=answer_{question.pk}_4]").count() == 1
    assert page.locator(f"textarea[name=answer_{question.pk}_1]").input_value() == "คำตอบแรก"
    assert not OpenAnswer.objects.exists()
    close_page(page)
