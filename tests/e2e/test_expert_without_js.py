"""Issue 14 item 21: the expert's pages without JavaScript: no claim of autosave, "add another
answer" adds one box, the language switcher works."""

import pytest
from django.urls import reverse

from rounds.models import OpenAnswer
from tests.e2e.conftest import TOUCH_PHONE, close_page, new_page
from tests.panels.factories import PanelFactory, StudyFactory
from tests.rounds.factories import OpenQuestionFactory, consented_expert, open_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def no_js(browser, live_server):
    page = new_page(browser, live_server, TOUCH_PHONE, has_touch=True, java_script_enabled=False)
    yield page
    close_page(page)


@pytest.fixture
def round_one():
    study = StudyFactory()
    panel = PanelFactory(study=study)
    _expert, token = consented_expert(panel)
    delphi_round = open_round(study, panel)
    question = OpenQuestionFactory(delphi_round=delphi_round)
    url = reverse("expert:round", kwargs={"token": token, "round_pk": delphi_round.pk})
    return question, url


def test_without_javascript_the_page_claims_no_autosave(no_js, round_one):
    _question, url = round_one
    no_js.goto(url)

    text = no_js.locator("main").inner_text().lower()
    assert "automatically" not in text and "อัตโนมัติ" not in text
    assert no_js.locator("#save-advice").is_visible()


def test_without_javascript_add_another_answer_adds_one_box(no_js, round_one):
    question, url = round_one
    no_js.goto(url)
    boxes = no_js.locator(f"#boxes-{question.pk} textarea")
    assert boxes.count() == 3
    for position, text in enumerate(("หนึ่ง", "สอง", "สาม"), start=1):
        no_js.locator(f"#answer-{question.pk}-{position}").fill(text)

    no_js.locator(f"#add-box-{question.pk}").click()
    no_js.wait_for_load_state()

    assert boxes.count() == 4
    assert [boxes.nth(n).input_value() for n in range(4)] == ["หนึ่ง", "สอง", "สาม", ""]
    assert OpenAnswer.objects.count() == 3

    no_js.locator(f"#answer-{question.pk}-4").fill("สี่")
    no_js.locator(f"#add-box-{question.pk}").click()
    no_js.wait_for_load_state()
    assert boxes.count() == 5


def test_without_javascript_the_language_switcher_works_on_a_phone(no_js, round_one):
    _question, url = round_one
    no_js.goto(url)
    english = no_js.locator("button[name=language][value=en]")
    thai = no_js.locator("button[name=language][value=th]")

    english.click()
    no_js.wait_for_load_state()
    assert no_js.locator("html").get_attribute("lang") == "en"
    assert "Submit my answers" in no_js.locator("main").inner_text()

    thai.click()
    no_js.wait_for_load_state()
    assert no_js.locator("html").get_attribute("lang") == "th"
    assert no_js.url.endswith(url)
