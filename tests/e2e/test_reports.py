"""The researcher downloads every report of the demo study from the round and study pages."""

import codecs
import io
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings

from demo.services import DEMO_PASSWORD, DEMO_USERNAME, demo_study_load
from tests.e2e.conftest import has_no_horizontal_scroll, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server):
    return demo_study_load().study


def english(page, live_server):
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )


def download(page, card: str, button: str) -> tuple[str, bytes]:
    """Click a download button of a card; the file's suggested name and its bytes."""
    # A PDF takes seconds to lay out, more on a busy machine running tests in parallel.
    with page.expect_download(timeout=60_000) as info:
        page.locator(card).get_by_role("button", name=button, exact=True).click(timeout=60_000)
    saved = info.value
    return saved.suggested_filename, Path(saved.path()).read_bytes()


def test_researcher_downloads_the_reports_of_rounds_three_and_one(page, live_server, demo):
    english(page, live_server)
    sign_in(page, DEMO_USERNAME, DEMO_PASSWORD)
    page.goto(demo.rounds.get(number=3).get_absolute_url())

    pdf_name, pdf = download(page, "#downloads-round", "Report (PDF)")
    csv_name, csv = download(page, "#downloads-round", "Raw ratings (CSV)")
    page.select_option("#report-lang-round", "en")
    xlsx_name, xlsx = download(page, "#downloads-round", "Results (Excel)")

    assert (pdf_name, pdf[:4]) == ("round-3-results-th.pdf", b"%PDF")
    assert csv_name == "round-3-ratings.csv"
    assert csv.startswith(codecs.BOM_UTF8 + b"expert,S01,")
    assert csv.count(b"\n") == 1 + 18
    assert xlsx_name == "round-3-results-en.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    assert book["Items"].max_row == 1 + 22

    page.goto(demo.rounds.get(number=1).get_absolute_url())
    assert page.locator("#downloads-round").get_by_role("button").count() == 1
    open_name, open_pdf = download(page, "#downloads-round", "Report (PDF)")

    assert (open_name, open_pdf[:4]) == ("round-1-report-th.pdf", b"%PDF")
    assert page.foreign_requests == []


def test_researcher_downloads_the_final_report_and_the_study_workbook(page, live_server, demo):
    english(page, live_server)
    sign_in(page, DEMO_USERNAME, DEMO_PASSWORD)
    page.goto(demo.get_absolute_url())

    final_name, final = download(page, "#downloads-study", "Final report (PDF)")
    book_name, book = download(page, "#downloads-study", "All rounds (Excel)")

    assert (final_name, final[:4]) == (f"study-{demo.pk}-final-report-th.pdf", b"%PDF")
    assert len(final) > 10_000
    assert book_name == f"study-{demo.pk}-results-th.xlsx"
    sheets = openpyxl.load_workbook(io.BytesIO(book)).sheetnames
    assert {"Summary", "Rounds", "Items R2", "Items R3"} <= set(sheets)


def test_download_buttons_fit_a_phone(phone_page, live_server, demo):
    page = phone_page
    english(page, live_server)
    sign_in(page, DEMO_USERNAME, DEMO_PASSWORD)

    page.goto(demo.rounds.get(number=3).get_absolute_url())

    assert page.locator("#downloads-round").is_visible()
    assert has_no_horizontal_scroll(page)
