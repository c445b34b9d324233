"""A researcher sets up a study in the browser, on a desktop and on a phone."""

import re

import openpyxl
import pytest

from panels.models import Expert
from tests.e2e.conftest import has_no_horizontal_scroll, sign_in
from tests.panels.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = ["name", "email", "phone", "organisation", "position"]
ROWS = [
    ["ดร.สมชาย ใจดี", "somchai@example.org", "081-555-0101", "สพป.บุรีรัมย์ เขต 4", "ศึกษานิเทศก์"],
    ["นางสาวสุดา รักเรียน", "not-an-email", "081-555-0102", "โรงเรียนบ้านหนองแวง", "ครู"],
    ["นายประเสริฐ มั่นคง", "prasert@example.org", "081-555-0103", "มหาวิทยาลัยราชภัฏ", "อาจารย์"],
]


def _workbook(path, rows):
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _create_study(page, title: str) -> str:
    page.click("a[href$='/studies/new/']")
    page.fill("input[name=title]", title)
    page.click("main form [type=submit]")
    page.wait_for_url(re.compile(r"/studies/\d+/$"))
    return page.url


def _create_panel(page, name: str) -> None:
    page.click("a[href$='/panels/new/']")
    page.fill("input[name=name]", name)
    page.click("main form [type=submit]")
    page.wait_for_url(re.compile(r"/panels/\d+/$"))


def _upload(page, path) -> None:
    page.set_input_files("input[type=file]", str(path))
    page.locator("main form[enctype='multipart/form-data'] [type=submit]").click()
    page.wait_for_load_state("networkidle")


def test_researcher_sets_up_a_study_and_imports_experts(page, live_server, tmp_path, password):
    UserFactory(username="alice")
    UserFactory(username="bob")
    sign_in(page, "alice", password)

    study_url = _create_study(page, "รูปแบบเครือข่ายความร่วมมือเพื่อยกระดับคุณภาพการศึกษา")
    _create_panel(page, "ผู้เชี่ยวชาญ")
    page.click("a[href$='/import/']")

    _upload(page, _workbook(tmp_path / "experts-bad.xlsx", ROWS))

    errors = page.locator("#import-errors")
    assert errors.is_visible()
    assert "3" in errors.inner_text(), "the bad row is named as Excel shows it (row 3)"
    assert Expert.objects.count() == 0

    fixed = [row.copy() for row in ROWS]
    fixed[1][1] = "suda@example.org"
    _upload(page, _workbook(tmp_path / "experts.xlsx", fixed))
    assert page.locator("#import-preview").is_visible()
    page.locator("#import-confirm").click()
    page.wait_for_url(re.compile(r"/panels/\d+/$"))

    table = page.locator("#expert-table").inner_text()
    assert all(row[0] in table for row in fixed)
    assert sorted(Expert.objects.values_list("code", flat=True)) == ["E01", "E02", "E03"]
    assert page.foreign_requests == []

    page.context.clear_cookies()
    sign_in(page, "bob", password)
    response = page.goto(study_url)
    assert response.status == 404


def test_study_pages_fit_a_phone_and_render_thai(phone_page, live_server, password):
    UserFactory(username="alice")
    sign_in(phone_page, "alice", password)

    _create_study(phone_page, "การศึกษาแนวโน้มด้วยเทคนิคเดลฟาย")

    assert phone_page.evaluate("document.documentElement.lang") == "th"
    assert has_no_horizontal_scroll(phone_page)
    font = phone_page.evaluate("getComputedStyle(document.body).fontFamily")
    assert font.startswith('"Sarabun"') or font.startswith("Sarabun")
    loaded = phone_page.evaluate(
        "document.fonts.ready.then(() => document.fonts.check('16px Sarabun', 'ภาษาไทย'))"
    )
    assert loaded
    assert phone_page.foreign_requests == []
