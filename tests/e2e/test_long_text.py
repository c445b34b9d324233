"""A 10,000-character word never widens a page: the round page, the coding workspace, the
results page and the expert page fit a phone (390 x 844) and a desktop."""

import pytest
from django.conf import settings
from django.urls import reverse

from demo.services import DEMO_PASSWORD, DEMO_USERNAME, demo_study_load
from panels.models import Expert, Study
from rounds.models import Domain, OpenAnswer, OpenQuestion, Round, Statement
from tests.e2e.conftest import TOUCH_PHONE, close_page, new_page, sign_in
from tests.panels.factories import PanelFactory, StudyFactory
from tests.rounds.factories import (
    OpenQuestionFactory,
    consented_expert,
    open_round,
    rating_round,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORD = "ABCDEFGHIJ" * 1000  # 10,000 characters, no space to break at
VIEWPORTS = {"phone": TOUCH_PHONE, "desktop": {"width": 1280, "height": 900}}


def _word(model, field: str) -> str:
    """The longest unbroken word the column takes (PostgreSQL refuses a longer one)."""
    return WORD[: model._meta.get_field(field).max_length]


def _width(page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_researcher_pages_wrap_a_ten_thousand_character_word(browser, live_server, viewport):
    study = demo_study_load().study
    first, third = study.rounds.get(number=1), study.rounds.get(number=3)
    OpenQuestion.objects.filter(delphi_round=first).update(text=WORD)
    OpenAnswer.objects.filter(submission__delphi_round=first).update(text=WORD)
    Statement.objects.filter(study=study).update(text=WORD)
    Domain.objects.filter(study=study).update(title=_word(Domain, "title"))
    Expert.objects.filter(panel__study=study).update(
        name=_word(Expert, "name"), organisation=_word(Expert, "organisation")
    )
    Study.objects.filter(pk=study.pk).update(title=_word(Study, "title"), description=WORD)
    panel = study.panels.first()
    page = new_page(browser, live_server, VIEWPORTS[viewport])
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "th", "url": live_server.url}]
    )
    sign_in(page, DEMO_USERNAME, DEMO_PASSWORD)
    urls = {
        "round 1": first.get_absolute_url(),
        "round 3": third.get_absolute_url(),
        "coding": reverse("rounds:coding", kwargs={"study_pk": study.pk, "round_pk": first.pk}),
        "results": reverse("analysis:round_results", args=[study.pk, third.pk]),
        "studies": reverse("panels:study_list"),
        "study": reverse("panels:study_detail", args=[study.pk]),
        "panel": reverse("panels:panel_detail", args=[study.pk, panel.pk]),
        "tracking": reverse("rounds:tracking", args=[study.pk, third.pk]),
    }
    widths = {}
    for name, url in urls.items():
        page.goto(url)
        widths[name] = _width(page)
    # The results table may scroll sideways inside its frame, but the statement wraps.
    page.goto(urls["results"])
    statement = page.locator("#results-table td.statement").first.bounding_box()["width"]
    close_page(page)

    assert {name: w for name, w in widths.items() if w[0] > w[1]} == {}
    assert statement <= VIEWPORTS[viewport]["width"]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_expert_page_wraps_a_ten_thousand_character_word(browser, live_server, viewport):
    study = StudyFactory()
    panel = PanelFactory(study=study)
    _expert, token = consented_expert(panel)
    first = open_round(study, panel, number=1)
    OpenQuestionFactory(delphi_round=first, text=WORD)
    delphi_round, _items = rating_round(study, panel, statements=2, number=2)
    Statement.objects.filter(study=study).update(text=WORD)
    assert delphi_round.status == Round.Status.OPEN
    page = new_page(browser, live_server, VIEWPORTS[viewport])
    widths = []
    for pk in (first.pk, delphi_round.pk):
        page.goto(reverse("expert:round", kwargs={"token": token, "round_pk": pk}))
        page.locator("main").wait_for()
        assert WORD[:100] in page.locator("main").inner_text()
        widths.append(_width(page))
    close_page(page)

    assert [w for w in widths if w[0] > w[1]] == []
