"""Reading an uploaded expert list (CSV or XLSX) and checking every row before anything is saved.

Reading is "pure-ish": it needs the settings (upload limit) and the Expert model's field
lengths, but no database — the panel's current experts are passed in as plain values, so the
same checks run on the preview and again, under a lock, in `roster.services.expert_import`.
The bytes of the file are read into cells by `roster.reading`.
"""

import datetime
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import EmailValidator
from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter

from delphi_site.spreadsheets import FORMULA_TRIGGERS

from ..models import Expert
from .reading import read_table

# A Delphi panel has tens of experts; the cap keeps a mistaken upload (a whole staff
# directory) from being parked in the session.
MAX_ROWS = 1000

FIELDS = (
    "code",
    "name",
    "email",
    "phone",
    "line_id",
    "organisation",
    "position",
    "qualification",
)
# Header names written by the template and the export; the reader accepts all of them.
HEADERS = {
    "code": "code",
    "name": "name",
    "email": "e-mail",
    "phone": "phone",
    "line_id": "LINE ID",
    "organisation": "organisation",
    "position": "position",
    "qualification": "qualification",
}
THAI_HEADERS = {
    "code": "รหัส",
    "name": "ชื่อ-สกุล",
    "email": "อีเมล",
    "phone": "โทรศัพท์",
    "line_id": "ไลน์",
    "organisation": "หน่วยงาน",
    "position": "ตำแหน่ง",
    "qualification": "คุณวุฒิ",
}
_ALIASES = {
    "code": ["code", "expert code", "รหัส", "รหัสผู้เชี่ยวชาญ"],
    "name": ["name", "full name", "ชื่อ", "ชื่อ-สกุล", "ชื่อ-นามสกุล", "ชื่อผู้เชี่ยวชาญ"],
    "email": ["email", "e-mail", "e-mail address", "อีเมล", "อีเมล์"],
    "phone": ["phone", "telephone", "tel", "mobile", "โทรศัพท์", "เบอร์โทร", "เบอร์โทรศัพท์"],
    "line_id": ["line_id", "LINE ID", "LINE", "ไลน์", "ไอดีไลน์", "ไลน์ไอดี"],
    "organisation": ["organisation", "organization", "affiliation", "หน่วยงาน", "สังกัด"],
    "position": ["position", "job title", "ตำแหน่ง"],
    "qualification": ["qualification", "qualifications", "คุณวุฒิ", "วุฒิการศึกษา"],
}
COLUMN_NOTES = {
    "code": gettext_lazy("optional; left empty, the next free code of the panel is given"),
    "name": gettext_lazy("required"),
    "email": gettext_lazy("optional; needed to send invitations by e-mail"),
    "phone": gettext_lazy("optional; format the column as Text in Excel to keep the leading 0"),
    "line_id": gettext_lazy("optional"),
    "organisation": gettext_lazy("optional"),
    "position": gettext_lazy("optional"),
    "qualification": gettext_lazy("optional"),
}

_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_HEADER_NOISE = re.compile(r"[\s_\-.:*()" + _INVISIBLE + "]+")
_EXCEL_FLOAT = re.compile(r"(\d+)\.0+")


def _header_key(text: str) -> str:
    return _HEADER_NOISE.sub("", text.casefold())


_FIELD_BY_HEADER = {
    _header_key(alias): name for name, aliases in _ALIASES.items() for alias in aliases
}


class RowError(NamedTuple):
    row: int | None  # as numbered in Excel (header is 1); None for the whole file
    column: str
    message: str


@dataclass
class ImportResult:
    rows: list[dict[str, Any]] = field(default_factory=list)
    row_errors: list[RowError] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.row_errors and not self.file_errors

    @property
    def problem_count(self) -> int:
        return len(self.row_errors) + len(self.file_errors)


class ExistingExpert(NamedTuple):
    code: str
    name: str
    email: str


def existing_experts(panel) -> list[ExistingExpert]:
    """The panel's experts as the duplicate checks need them (one query)."""
    return [
        ExistingExpert(*values) for values in panel.experts.values_list("code", "name", "email")
    ]


def column_label(name: str) -> str:
    try:
        return str(capfirst(Expert._meta.get_field(name).verbose_name))
    except FieldDoesNotExist:
        return ""


def name_key(name: str) -> str:
    """Names compare without regard to case or runs of spaces ("สมชาย  ใจดี" = "สมชาย ใจดี")."""
    return " ".join(name.split()).casefold()


def cell_text(value: Any) -> str:
    """A cell as text: numbers Excel made of phone numbers lose their ".0", NaN becomes empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _clean(value: Any, name: str) -> str:
    text = cell_text(value).strip().strip(_INVISIBLE).strip()
    # Undo our own export's guard, so an exported list imports back unchanged.
    if text[:1] == "'" and text[1:2] in FORMULA_TRIGGERS:
        text = text[1:]
    if name == "phone" and (match := _EXCEL_FLOAT.fullmatch(text)):
        text = match.group(1)
    return text


# ---------------------------------------------------------------------------- reading


def parse_expert_file(uploaded, *, existing: Iterable[ExistingExpert] = ()) -> ImportResult:
    """Read and check an uploaded expert list; never raises on bad input.

    Every problem becomes a file error or a row error in the result, worded for the
    researcher who has the file open in Excel. `existing` are the panel's experts.
    """
    name = uploaded.name or ""
    limit = settings.DELPHI_MAX_UPLOAD_BYTES
    if uploaded.size > limit:
        message = _("The file is too large (%(size)s); the limit is %(limit)s.") % {
            "size": filesizeformat(uploaded.size),
            "limit": filesizeformat(limit),
        }
        return ImportResult(file_errors=[message])
    data = uploaded.read()
    table, error = read_table(name, data)
    if error:
        return ImportResult(file_errors=[error])
    return _check_table(table, existing)


def _is_blank(cells: Iterable[Any]) -> bool:
    return all(_clean(cell, "") == "" for cell in cells)


def _check_table(table: list[list[Any]], existing: Iterable[ExistingExpert]) -> ImportResult:
    result = ImportResult()
    header = list(table[0]) if table else []
    body = [(number, cells) for number, cells in enumerate(table[1:], start=2)]
    body = [(number, cells) for number, cells in body if not _is_blank(cells)]
    if not body:
        result.file_errors.append(
            _("The file is empty: there are no experts below the column names in row 1.")
        )
        return result
    if len(body) > MAX_ROWS:
        result.file_errors.append(
            _("The file has %(count)s rows; at most %(limit)s experts can be imported at once.")
            % {"count": len(body), "limit": MAX_ROWS}
        )
        return result

    columns = _map_columns(header, body, result.file_errors)
    for number, cells in body:
        row: dict[str, Any] = {"row": number} | dict.fromkeys(FIELDS, "")
        for index, name in columns.items():
            if index < len(cells):
                row[name] = _clean(cells[index], name)
        result.rows.append(row)
    result.row_errors = validate_rows(
        result.rows, existing=existing, name_column=("name" in columns.values())
    )
    return result


def _map_columns(header: list[Any], body, file_errors: list[str]) -> dict[int, str]:
    """Column index → Expert field; every unusable heading becomes a file error."""
    columns: dict[int, str] = {}
    seen: dict[str, str] = {}
    width = max([len(header)] + [len(cells) for _number, cells in body])
    for index in range(width):
        heading = _clean(header[index], "") if index < len(header) else ""
        if not heading:
            if any(index < len(cells) and _clean(cells[index], "") for _number, cells in body):
                file_errors.append(
                    _("Column %(column)s has data but no column name in row 1.")
                    % {"column": get_column_letter(index + 1)}
                )
            continue
        name = _FIELD_BY_HEADER.get(_header_key(heading))
        if name is None:
            file_errors.append(
                _("Unknown column “%(column)s”. Use the column names of the template: %(known)s.")
                % {"column": heading, "known": ", ".join(HEADERS.values())}
            )
        elif name in seen:
            file_errors.append(
                _("The columns “%(first)s” and “%(second)s” both mean %(field)s; keep one.")
                % {"first": seen[name], "second": heading, "field": column_label(name)}
            )
        else:
            seen[name] = heading
            columns[index] = name
    if "name" not in seen:
        file_errors.append(
            _("The file has no name column: row 1 must contain “%(english)s” or “%(thai)s”.")
            % {"english": HEADERS["name"], "thai": THAI_HEADERS["name"]}
        )
    return columns


# ------------------------------------------------------------------------- validation


def validate_rows(
    rows: list[Mapping[str, Any]],
    *,
    existing: Iterable[ExistingExpert] = (),
    name_column: bool = True,
) -> list[RowError]:
    """Every problem of the cleaned rows, alone, against each other and against the panel.

    A duplicate is reported on its later row, naming the row (or expert code) it repeats.
    """
    existing = list(existing)
    by_email = {e.email.casefold(): e.code for e in existing if e.email}
    by_name = {name_key(e.name): e.code for e in existing}
    codes = {e.code.casefold() for e in existing}
    first_email: dict[str, int] = {}
    first_name: dict[str, int] = {}
    first_code: dict[str, int] = {}
    validate_email = EmailValidator()
    errors: list[RowError] = []

    for position, row in enumerate(rows):
        number = row.get("row", position + 2)

        def error(name: str, message: str, number=number) -> None:
            errors.append(RowError(number, column_label(name), message))

        code, name, email = row.get("code", ""), row.get("name", ""), row.get("email", "")
        if name_column and not name:
            error("name", _("The name is missing."))
        if email:
            try:
                validate_email(email)
            except ValidationError:
                error("email", _("“%(value)s” is not a valid e-mail address.") % {"value": email})
        for field_name in FIELDS:
            limit = Expert._meta.get_field(field_name).max_length
            value = row.get(field_name, "")
            if limit and len(value) > limit:
                error(
                    field_name,
                    _("Too long: at most %(limit)s characters, this has %(length)s.")
                    % {"limit": limit, "length": len(value)},
                )
        if code:
            key = code.casefold()
            if key in codes:
                error("code", _("Code %(code)s is already used in this panel.") % {"code": code})
            elif key in first_code:
                error(
                    "code",
                    _("Code %(code)s is also given on row %(row)s.")
                    % {"code": code, "row": first_code[key]},
                )
            first_code.setdefault(key, number)
        if email:
            key = email.casefold()
            if key in by_email:
                error(
                    "email",
                    _("Expert %(code)s in this panel already has this e-mail address.")
                    % {"code": by_email[key]},
                )
            elif key in first_email:
                error(
                    "email",
                    _("The same e-mail address is on row %(row)s.") % {"row": first_email[key]},
                )
            first_email.setdefault(key, number)
        if name:
            key = name_key(name)
            if key in by_name:
                error(
                    "name",
                    _("Expert %(code)s in this panel already has this name.")
                    % {"code": by_name[key]},
                )
            elif key in first_name:
                error("name", _("The same name is on row %(row)s.") % {"row": first_name[key]})
            first_name.setdefault(key, number)
    return errors
