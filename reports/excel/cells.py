"""Cells and sheets of the workbooks: number formats, widths, styles, neutralised text."""

import copy
import io
import weakref

from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from analysis import stats
from delphi_site.spreadsheets import neutralise

TWO_DECIMALS = "0.00"
# Column widths in characters; statements and sentences wrap inside their column.
NARROW, MEDIUM, WIDE, TEXT = 8, 14, 24, 60

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
SECTION = Font(bold=True, size=12)
HEADER_FILL = PatternFill("solid", start_color="DDE6F0")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")


def cell_text(value) -> str:
    return neutralise(value)


# Per workbook, the style index array of each combination already used. openpyxl otherwise
# hashes the Font, Fill and Alignment objects again for every cell, which costs more than
# writing the cell; the styles are module constants, so their ids are stable keys.
_STYLE_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def styled_cell(ws, value, *, number_format=None, font=None, fill=None, alignment=None):
    cell = WriteOnlyCell(ws, value=value)
    known = _STYLE_CACHE.setdefault(ws.parent, {})
    key = (number_format, id(font), id(fill), id(alignment))
    style = known.get(key)
    if style is not None:
        cell._style = copy.copy(style)
        return cell
    if number_format:
        cell.number_format = number_format
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if alignment is not None:
        cell.alignment = alignment
    known[key] = copy.copy(cell._style)
    return cell


def header_row(ws, headers: list[str]) -> list:
    return [
        styled_cell(ws, cell_text(header), font=BOLD, fill=HEADER_FILL, alignment=WRAP)
        for header in headers
    ]


def new_sheet(workbook, title: str, widths: list[int], *, freeze: str | None = "A2"):
    """A write-only sheet: widths and frozen panes must be set before the first row."""
    ws = workbook.create_sheet(title)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    if freeze:
        ws.freeze_panes = freeze
    return ws


def yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def band_label(band: str, language: str) -> str:
    return stats.BAND_LABELS.get(language, stats.BAND_LABELS_EN).get(band, "")


def sheet_suffix(number: int | None) -> str:
    return "" if number is None else f" R{number}"


def workbook_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
