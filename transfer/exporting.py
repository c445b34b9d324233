"""A whole study as one JSON document (see tables.py for what it holds)."""

import datetime
import decimal
import json
import tomllib
import uuid
from functools import cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from panels.models import AuditEvent, Study

from .tables import (
    ENTERED_BY,
    FORMAT,
    IMPORT_ACTION,
    IMPORTED_ACTOR,
    STUDY_FIELDS,
    TABLE_OF_MODEL,
    TABLES,
    VERSION,
    Table,
    audit_references,
    translate_detail,
)


@cache
def app_version() -> str:
    with open(settings.BASE_DIR / "pyproject.toml", "rb") as file:
        return tomllib.load(file)["project"]["version"]


def plain(value):
    """A value JSON can hold without losing anything: exact decimals, full timestamps."""
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _fetch(table: Table, study: Study) -> list[list]:
    """The table's rows as [pk, value per column]; one query whatever the number of rows."""
    username = get_user_model().USERNAME_FIELD
    lookups = [
        f"{column.name}__{username}" if column.is_user else column.field.attname
        for column in table.columns
    ]
    return [list(row) for row in table.rows_of(study).values_list("pk", *lookups)]


def _names_kept_at_import(study: Study) -> dict[int, str]:
    """Who keyed in each proxy submission, as recorded when the study was imported here."""
    names: dict[int, str] = {}
    events = AuditEvent.objects.filter(study=study, action=IMPORT_ACTION).order_by("pk")
    for detail in events.values_list("detail", flat=True):
        for pk, name in (detail.get(ENTERED_BY) or {}).items():
            names[int(pk)] = name
    return names


def _restore_people(table: Table, row: list, position: dict[str, int], entered_by: dict) -> None:
    """Put back the names an earlier import could not attach to an account of this site."""
    if table.name == "audit_events":
        detail = dict(row[position["detail"]] or {})
        kept = detail.pop(IMPORTED_ACTOR, None)
        if row[position["action"]] == IMPORT_ACTION:
            # Primary keys of this site: meaningless elsewhere, and exported above anyway.
            detail.pop(ENTERED_BY, None)
        row[position["detail"]] = detail
        if row[position["actor"]] is None:
            row[position["actor"]] = kept
    elif table.name == "submissions" and row[position["entered_by"]] is None:
        row[position["entered_by"]] = entered_by.get(row[0])


def study_export(study: Study) -> dict:
    """The study, everything that belongs to it and its audit log, as one JSON-ready dict.

    Rows are numbered 1, 2, … per table in the order they were created, and references use
    those numbers, so exporting an imported study gives back the same document. People are
    written by user name, for information only. Queries: one per table, plus the study's
    owner and the import records (constant in the number of experts and answers).
    """
    raw = {table.name: _fetch(table, study) for table in TABLES}
    numbers = {name: {row[0]: n for n, row in enumerate(rows, 1)} for name, rows in raw.items()}
    entered_by = _names_kept_at_import(study)

    tables = {}
    for table in TABLES:
        position = {column.name: i + 1 for i, column in enumerate(table.columns)}
        rows = []
        for row in raw[table.name]:
            _restore_people(table, row, position, entered_by)
            for i, column in enumerate(table.columns, 1):
                if column.is_reference and row[i] is not None:
                    row[i] = numbers[TABLE_OF_MODEL[column.field.related_model].name][row[i]]
                else:
                    row[i] = plain(row[i])
            if table.name == "audit_events":
                detail = position["detail"]
                references = audit_references(row[position["action"]])
                row[detail] = translate_detail(row[detail], references, numbers)
            row[0] = numbers[table.name][row[0]]
            rows.append(row)
        tables[table.name] = {"columns": ["id", *position], "rows": rows}

    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "app_version": app_version(),
        # Information only: accounts do not travel, the importing researcher owns the copy.
        "owner": study.owner.get_username(),
        "study": {field.name: plain(getattr(study, field.attname)) for field in STUDY_FIELDS},
        "tables": tables,
    }


def study_export_bytes(study: Study) -> bytes:
    # Thai stays readable (and a third the size) when not escaped; compact separators keep
    # a 100-expert, 1000-statement study within the upload limit.
    return json.dumps(study_export(study), ensure_ascii=False, separators=(",", ":")).encode()
