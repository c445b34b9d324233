"""Expert lists written as spreadsheets: the panel's export and the empty import template.

Both use the column names that `panels.roster.parsing` reads, so an export imports back unchanged.
"""

import codecs
import csv
import io
import unicodedata

import openpyxl
from django.conf import settings
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from delphi_site.spreadsheets import neutralise

from .parsing import FIELDS, HEADERS, THAI_HEADERS


def _display_width(text: str) -> int:
    # Thai vowel and tone marks sit above or below their consonant and take no width.
    return sum(1 for char in text if unicodedata.category(char) != "Mn")


def _header_sheet(sheet, rows: list[list[str]]) -> None:
    headers = list(HEADERS.values())
    sheet.append(headers)
    for row in rows:
        sheet.append([neutralise(value) for value in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        letter = get_column_letter(index)
        column = [header] + [row[index - 1] or "" for row in rows]
        longest = max(
            _display_width(line) for text in column for line in str(text).splitlines() or [""]
        )
        sheet.column_dimensions[letter].width = min(max(longest + 2, 10), 50)
    # Text format keeps the leading 0 of phone numbers typed into the template later.
    for name in ("code", "phone", "line_id"):
        letter = get_column_letter(FIELDS.index(name) + 1)
        sheet.column_dimensions[letter].number_format = "@"


def experts_xlsx(rows: list[list[str]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Experts"
    _header_sheet(sheet, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def experts_csv(rows: list[list[str]]) -> bytes:
    """UTF-8 with BOM: without it Excel on a Thai Windows reads the file as code page 874."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(HEADERS.values())
    writer.writerows([neutralise(value) for value in row] for row in rows)
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


# The instructions are bilingual on purpose: the file travels to assistants and
# experts whose interface language the site does not know.
INSTRUCTIONS = [
    ("Instructions / คำแนะนำ", ""),
    (
        "Fill in one expert per row on the “Experts” sheet, starting at row 2. "
        "Do not change the column names in row 1.",
        "กรอกข้อมูลผู้เชี่ยวชาญหนึ่งคนต่อหนึ่งแถวในแผ่นงาน “Experts” เริ่มที่แถว 2 ห้ามแก้ไขชื่อคอลัมน์ในแถว 1",
    ),
    (
        "Only “name” is required; leave other cells empty if unknown.",
        "ต้องกรอก “name” (ชื่อ-สกุล) เท่านั้น ช่องอื่นเว้นว่างได้",
    ),
    (
        "Leave “code” empty to get the next free code of the panel (E01, E02, …).",
        "เว้น “code” ว่างไว้ ระบบจะกำหนดรหัสถัดไปของคณะให้เอง (E01, E02, …)",
    ),
    (
        "The same e-mail address or name may appear only once, and not if the expert is "
        "already in the panel.",
        "อีเมลหรือชื่อเดียวกันต้องไม่ซ้ำกันในไฟล์ และต้องไม่ซ้ำกับผู้เชี่ยวชาญที่มีอยู่แล้วในคณะ",
    ),
    (
        "If any row has a problem, nothing is imported: fix the rows listed and upload again.",
        "หากมีแถวใดผิดพลาด ระบบจะไม่นำเข้าข้อมูลใดเลย ให้แก้ไขแถวที่แจ้งแล้วอัปโหลดใหม่",
    ),
    (
        "Save as .xlsx or “CSV UTF-8”; the file may be at most {megabytes} MB.",
        "บันทึกเป็น .xlsx หรือ “CSV UTF-8” ขนาดไฟล์ไม่เกิน {megabytes} MB",
    ),
    ("", ""),
    ("Column / คอลัมน์", "Thai name also accepted / ใช้ชื่อภาษาไทยแทนได้"),
    *[(HEADERS[name], THAI_HEADERS[name]) for name in FIELDS],
]


def template_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Experts"
    _header_sheet(sheet, [])
    notes = workbook.create_sheet("Instructions")
    megabytes = settings.DELPHI_MAX_UPLOAD_BYTES // (1024 * 1024)
    for english, thai in INSTRUCTIONS:
        notes.append([neutralise(text.format(megabytes=megabytes)) for text in (english, thai)])
    notes["A1"].font = Font(bold=True)
    notes[f"A{len(INSTRUCTIONS) - len(FIELDS)}"].font = Font(bold=True)
    for letter in "AB":
        notes.column_dimensions[letter].width = 60
        for cell in notes[letter]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_csv() -> bytes:
    return experts_csv([])
