"""A study export read back: the file checked and turned into unsaved rows of this site.

Nothing is written here; `transfer.services.study_import` saves the rows, all or nothing.
"""

import gzip
import io
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from panels.models import Study

from .tables import (
    FORMAT,
    IMPORTED_ACTOR,
    STUDY_FIELDS,
    TABLE_NAMED,
    TABLE_OF_MODEL,
    VERSION,
    Column,
    Table,
    audit_references,
    translate_detail,
)

# A study of 100 experts rating 1000 statements in two rounds exports to about 30 MB
# (README, "Moving a study"); the general upload limit is for expert lists.
DEFAULT_MAX_IMPORT_BYTES = 64 * 1024 * 1024


def max_import_bytes() -> int:
    return getattr(settings, "DELPHI_MAX_STUDY_IMPORT_BYTES", DEFAULT_MAX_IMPORT_BYTES)


class ImportRefused(Exception):
    """The file cannot be imported; `message` says why in the reader's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --------------------------------------------------------------------------- reading the file


def _decompressed(content: bytes) -> bytes:
    """Gzip is accepted for large studies, read only up to the limit (no decompression bomb)."""
    if content[:2] != b"\x1f\x8b":
        return content
    limit = max_import_bytes()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(content)) as file:
            data = file.read(limit + 1)
    except (OSError, EOFError) as error:
        raise ImportRefused(_("The compressed file is damaged.")) from error
    if len(data) > limit:
        raise ImportRefused(_("The file is too large once uncompressed."))
    return data


def read_document(content: bytes) -> dict:
    """The export in `content`, with its format and version checked."""
    try:
        document = json.loads(_decompressed(content).decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise ImportRefused(
            _("This is not a study export: the file is not JSON text (.json).")
        ) from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportRefused(
            _(
                "This JSON file is not a study export of this application "
                "(an export is marked with the format “%(format)s”)."
            )
            % {"format": FORMAT}
        )
    version = document.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ImportRefused(_("The file's format version is missing or not a whole number."))
    if version > VERSION:
        raise ImportRefused(
            _(
                "This file was made by a newer version of the application (format version "
                "%(version)s; this site reads up to version %(supported)s). Update this site, "
                "then import the file again."
            )
            % {"version": version, "supported": VERSION}
        )
    for part, kind in (("study", dict), ("tables", dict)):
        if not isinstance(document.get(part), kind):
            raise ImportRefused(
                _("The file is damaged: its “%(part)s” part is missing.") % {"part": part}
            )
    unknown = sorted(set(document["tables"]) - set(TABLE_NAMED))
    if unknown:
        raise ImportRefused(_newer_part(unknown[0]))
    return document


def _newer_part(name: str) -> str:
    return _(
        "The file holds “%(name)s”, which this site does not know: it was probably made by a "
        "newer version of the application."
    ) % {"name": name}


def _problem(table: str, row: int, column: str, problem: str) -> ImportRefused:
    return ImportRefused(
        _("Row %(row)s of “%(table)s”, column “%(column)s”: %(problem)s")
        % {"row": row, "table": table, "column": column, "problem": problem}
    )


def _value(field: models.Field, value):
    try:
        return field.to_python(value)
    except (TypeError, ValueError) as error:
        raise ValidationError(_("“%(value)s” is not a valid value.") % {"value": value}) from error


# --------------------------------------------------------------------------- shapes of JSON fields


def _texts(value, low: int, high: int) -> bool:
    return (
        isinstance(value, list)
        and low <= len(value) <= high
        and all(isinstance(item, str) and item.strip() for item in value)
    )


def _criteria(value) -> bool:
    return isinstance(value, list) and all(
        isinstance(item, dict)
        and isinstance(item.get("code"), str)
        and isinstance(item.get("label"), str)
        for item in value
    )


def _counts(value) -> bool:
    return isinstance(value, list) and all(
        isinstance(item, int) and not isinstance(item, bool) and item >= 0 for item in value
    )


# JSON fields the pages compute with: a wrong shape would break them later, so refuse it now.
SHAPES = {
    ("study", "scale_labels"): (
        lambda v: _texts(v, 2, 10),
        gettext_lazy("a list of 2 to 10 labels"),
    ),
    ("rounds", "criteria"): (
        _criteria,
        gettext_lazy("a list of criteria, each with a code and a label"),
    ),
    ("item_results", "counts"): (_counts, gettext_lazy("a list of whole numbers")),
}


def _check_shape(table: str, column: str, value) -> None:
    check = SHAPES.get((table, column))
    if check and not check[0](value):
        raise ValidationError(_("expected %(shape)s") % {"shape": check[1]})


# --------------------------------------------------------------------------- building rows


def study_from_document(document: dict, owner) -> Study:
    """The study of the file, unsaved and checked, owned by `owner`."""
    given = document["study"]
    values = {}
    for field in STUDY_FIELDS:
        if field.name not in given:
            continue
        try:
            values[field.attname] = _value(field, given[field.name])
            _check_shape("study", field.name, values[field.attname])
        except ValidationError as error:
            raise _problem("study", 1, field.name, " ".join(error.messages)) from error
    unknown = sorted(set(given) - {field.name for field in STUDY_FIELDS})
    if unknown:
        raise ImportRefused(_newer_part(f"study.{unknown[0]}"))
    study = Study(owner=owner, **values)
    try:
        study.full_clean()
    except ValidationError as error:
        raise ImportRefused(
            _("The study's settings are not valid: %(problem)s")
            % {"problem": " ".join(error.messages)}
        ) from error
    return study


def _table_columns(table: Table, given) -> list[Column | None]:
    """The file's columns as this site's, in the file's order; None stands for the id."""
    if (
        not isinstance(given, dict)
        or not isinstance(given.get("columns"), list)
        or not isinstance(given.get("rows"), list)
        or given["columns"][:1] != ["id"]
    ):
        raise ImportRefused(
            _("The file is damaged: the table “%(table)s” is malformed.") % {"table": table.name}
        )
    known = {column.name: column for column in table.columns}
    columns: list[Column | None] = [None]
    for name in given["columns"][1:]:
        if name not in known:
            raise ImportRefused(_newer_part(f"{table.name}.{name}"))
        columns.append(known[name])
    return columns


@dataclass
class Built:
    objects: list[models.Model]
    file_ids: list[int]
    # (object, column, file id of the row it points to in the same table)
    self_references: list[tuple[models.Model, Column, int]]
    # File id → user name, for columns pointing at accounts (kept as text).
    people: dict[int, str]


class RowBuilder:
    """Turns one table of the file into unsaved objects, with every reference resolved."""

    def __init__(self, table: Table, study: Study, maps: dict[str, dict[int, int]]):
        self.table, self.study, self.maps = table, study, maps
        self.study_attnames = [
            field.attname
            for field in table.model._meta.concrete_fields
            if field.is_relation and field.related_model is Study
        ]
        self.relations = [c.field.name for c in table.columns if c.field.is_relation]

    def _reference(self, column: Column, value, number: int):
        if value is None:
            if not column.field.null:
                raise _problem(self.table.name, number, column.name, _("a reference is missing."))
            return None
        target = TABLE_OF_MODEL[column.field.related_model].name
        valid = isinstance(value, int) and not isinstance(value, bool)
        found = self.maps[target].get(value) if valid else None
        if found is None:
            raise _problem(self.table.name, number, column.name, self._missing(value, target))
        return found

    def build(self, given: dict) -> Built:
        columns = _table_columns(self.table, given)
        built = Built([], [], [], {})
        seen: set[int] = set()
        for number, row in enumerate(given["rows"], 1):
            if not isinstance(row, list) or len(row) != len(columns):
                raise ImportRefused(
                    _("Row %(row)s of “%(table)s” does not have %(count)s values.")
                    % {"row": number, "table": self.table.name, "count": len(columns)}
                )
            file_id = row[0]
            if isinstance(file_id, bool) or not isinstance(file_id, int) or file_id in seen:
                raise _problem(self.table.name, number, "id", _("missing or repeated."))
            seen.add(file_id)
            built.objects.append(self._object(columns, row, number, built))
            built.file_ids.append(file_id)
        for obj, column, target in built.self_references:
            if target not in seen:
                number = built.objects.index(obj) + 1
                raise _problem(self.table.name, number, column.name, self._missing(target))
        return built

    def _missing(self, target, table: str | None = None) -> str:
        return _("it refers to row %(id)s of “%(table)s”, which is not in the file.") % {
            "id": target,
            "table": table or self.table.name,
        }

    def _object(self, columns, row, number: int, built: Built) -> models.Model:
        values = dict.fromkeys(self.study_attnames, self.study.pk)
        obj = self.table.model(**values)
        for column, value in zip(columns[1:], row[1:], strict=True):
            field = column.field
            if column.is_user:
                if isinstance(value, str) and value:
                    built.people[row[0]] = value
                setattr(obj, field.attname, None)
            elif column.is_reference and field.related_model is self.table.model:
                if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                    raise _problem(self.table.name, number, column.name, self._missing(value))
                if value is not None:
                    built.self_references.append((obj, column, value))
                setattr(obj, field.attname, None)
            elif column.is_reference:
                setattr(obj, field.attname, self._reference(column, value, number))
            else:
                try:
                    converted = _value(field, value)
                    if (self.table.name, column.name) in SHAPES:
                        _check_shape(self.table.name, column.name, converted)
                except ValidationError as error:
                    problem = " ".join(error.messages)
                    raise _problem(self.table.name, number, column.name, problem) from error
                setattr(obj, field.attname, converted)
        self._finish(obj, row[0], number, built)
        return obj

    def _finish(self, obj, file_id: int, number: int, built: Built) -> None:
        if self.table.name == "audit_events":
            detail = translate_detail(obj.detail, audit_references(obj.action), self.maps)
            if file_id in built.people:
                detail = {**detail, IMPORTED_ACTOR: built.people[file_id]}
            obj.detail = detail
        try:
            obj.clean_fields(exclude=self.relations)
        except ValidationError as error:
            column, messages = next(iter(error.message_dict.items()))
            raise _problem(self.table.name, number, column, " ".join(messages)) from error
