"""Reading an uploaded expert list's bytes (CSV or XLSX) into rows of cells.

No Django models and no checks of the content here: `parsing.parse_expert_file` maps the
columns and checks the rows. The extension and the content must agree, else the file is
refused with one message that tells the researcher how to save it from Excel.
"""

import codecs
import csv
import io
import zipfile
from pathlib import PurePath
from typing import Any

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.utils.exceptions import InvalidFileException

_SIGNATURES = (b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0", b"{\\rtf")


def _wrong_type(name: str) -> str:
    return _(
        "Wrong file type: “%(name)s” is not a CSV or Excel (.xlsx) file. In Excel, use "
        "“Save As” and choose “Excel Workbook (.xlsx)” or “CSV UTF-8”."
    ) % {"name": name}


def read_table(name: str, data: bytes) -> tuple[list[list[Any]], str | None]:
    """The sheet as rows of cells, or an error. The extension and the content must agree."""
    extension = PurePath(name).suffix.lower()
    if extension == ".xlsx":
        return _read_xlsx(name, data)
    if extension == ".csv":
        return _read_csv(name, data)
    return [], _wrong_type(name)


def _read_xlsx(name: str, data: bytes) -> tuple[list[list[Any]], str | None]:
    if not data:
        return [], None
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return [], _wrong_type(name)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        # A zip that is not a workbook (a .docx renamed, a damaged download).
        return [], _wrong_type(name)
    try:
        if not workbook.worksheets:
            return [], None
        # The first sheet, not the active one: a template saved while its "Instructions"
        # sheet was showing must still import the experts.
        return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)], None
    finally:
        workbook.close()


def _read_csv(name: str, data: bytes) -> tuple[list[list[Any]], str | None]:
    if data.startswith(_SIGNATURES):
        return [], _wrong_type(name)
    text = _decode(data)
    if text is None:
        return [], _wrong_type(name)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count) if first_line else ","
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)), None
    except csv.Error:
        return [], _wrong_type(name)


def _decode(data: bytes) -> str | None:
    """Text of a CSV file: UTF-8 (with or without BOM), UTF-16 with BOM, else Thai Windows.

    Thai Excel's plain "CSV (Comma delimited)" saves in the Windows code page 874, a
    superset of TIS-620; UTF-8 decoding fails on it, which is how we recognise it.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in data[:4096]:
        return None
    for encoding in ("utf-8-sig", "cp874"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None
