"""Writes of whole studies: importing an export as a new study, logging an export, deleting.

The file is checked and turned into unsaved rows by `transfer.importing`; here the rows are
saved, all or nothing.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from panels.models import Study
from panels.services import audit
from rounds.models import Statement

from .exporting import study_export_bytes
from .importing import Built, ImportRefused, RowBuilder, read_document, study_from_document
from .tables import ENTERED_BY, IMPORT_ACTION, TABLES, Table

BATCH = 500


@dataclass
class ImportResult:
    study: Study
    # The importer already had a study with this title (both are kept).
    same_title: bool


# --------------------------------------------------------------------------- exporting


@transaction.atomic
def study_export_download(*, study: Study, actor) -> bytes:
    """The export file of the study, for a researcher's download; the download is logged."""
    content = study_export_bytes(study)
    audit(study=study, actor=actor, action="study.export", bytes=len(content))
    return content


# --------------------------------------------------------------------------- deleting


def title_matches(study: Study, typed: str) -> bool:
    # Surrounding spaces come with copy and paste; anything else must be exactly the title.
    return (typed or "").strip() == study.title.strip()


@transaction.atomic
def study_delete(*, study: Study, typed_title: str) -> None:
    """Delete the study and everything in it, or nothing when the typed title differs.

    Answers, rounds and statements protect what they point to (so that deleting a panel or
    an expert can never lose an answer); a whole study goes, so its rows are deleted from
    the last table of the export to the first, after unhooking rows that point to rows of
    their own table.
    """
    if not title_matches(study, typed_title):
        raise ValidationError(
            _("The title you typed is not this study's title. Nothing was deleted."),
            code="title_mismatch",
        )
    # Lock the study: a round being opened or an answer autosaved meanwhile waits, then
    # finds the study gone instead of writing into half-deleted rows.
    Study.objects.select_for_update().filter(pk=study.pk).first()
    for table in reversed(TABLES):
        rows = table.rows_of(study).order_by()
        own = [
            column.field.name
            for column in table.columns
            if column.is_reference and column.field.related_model is table.model
        ]
        if own:
            rows.update(**dict.fromkeys(own))
        rows.delete()
    Study.objects.filter(pk=study.pk).delete()


# --------------------------------------------------------------------------- importing


def _insert(model: type[models.Model], objects: list[models.Model]) -> None:
    """Insert the rows as given, times included, and set their new primary keys.

    `raw=True` is how Django loads fixtures (Model.save_base(raw=True)): fields stamped
    automatically (auto_now, auto_now_add) keep the file's value instead of the current
    time. bulk_create has no such switch, and restoring the times afterwards with
    bulk_update took most of an import's time.
    """
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and not f.generated]
    size = max(min(BATCH, connection.ops.bulk_batch_size(fields, objects)), 1)
    for start in range(0, len(objects), size):
        batch = objects[start : start + size]
        returned = model._base_manager.using(connection.alias)._insert(
            batch, fields=fields, returning_fields=model._meta.db_returning_fields, raw=True
        )
        if len(returned) != len(batch):
            raise DataError("The database did not return the new rows' keys.")
        for obj, values in zip(batch, returned, strict=True):
            obj.pk = values[0]
            obj._state.adding = False
            obj._state.db = connection.alias


def _number_statements(statements: list[Statement]) -> None:
    """A file from before statements had numbers: number them in the file's order, which is
    their order of creation, as the coding workspace numbered them then."""
    highest = max((s.number for s in statements if s.number is not None), default=0)
    for statement in statements:
        if statement.number is None:
            highest += 1
            statement.number = highest


def _save(table: Table, built: Built, maps: dict[str, dict[int, int]]) -> None:
    # A file from before a time column existed: stamp now, as Django would have.
    now = timezone.now()
    for obj in built.objects:
        for name in table.automatic_times:
            if getattr(obj, name) is None:
                setattr(obj, name, now)
    if table.model is Statement:
        _number_statements(built.objects)
    _insert(table.model, built.objects)
    maps[table.name] = {
        file_id: obj.pk for file_id, obj in zip(built.file_ids, built.objects, strict=True)
    }
    if built.self_references:
        changed = []
        for obj, column, file_id in built.self_references:
            setattr(obj, column.field.attname, maps[table.name][file_id])
            changed.append(obj)
        fields = sorted({column.name for _obj, column, _id in built.self_references})
        table.model.objects.bulk_update(changed, fields, batch_size=BATCH)


@transaction.atomic
def study_import(*, content: bytes, owner) -> ImportResult:
    """Create a new study owned by `owner` from an export; nothing is kept if anything fails.

    Raises ImportRefused with a message for the researcher.
    """
    document = read_document(content)
    same_title = Study.objects.filter(owner=owner, title=document["study"].get("title")).exists()
    try:
        with transaction.atomic():
            study = _import(document, owner)
    except (IntegrityError, DataError) as error:
        raise ImportRefused(
            _("The file breaks a rule of the study's data (%(error)s).")
            % {"error": str(error).strip().splitlines()[0] if str(error).strip() else ""}
        ) from error
    return ImportResult(study=study, same_title=same_title)


def _import(document: dict, owner) -> Study:
    study = study_from_document(document, owner)
    # save() stamps both with the current time; the study's history keeps the file's.
    times = {name: getattr(study, name) for name in ("created_at", "updated_at")}
    study.save()
    times = {name: value for name, value in times.items() if value}
    if times:
        Study.objects.filter(pk=study.pk).update(**times)
    for name, value in times.items():
        setattr(study, name, value)
    maps: dict[str, dict[int, int]] = {}
    entered_by: dict[str, str] = {}
    for table in TABLES:
        given = document["tables"].get(table.name, {"columns": ["id"], "rows": []})
        built = RowBuilder(table, study, maps).build(given)
        _save(table, built, maps)
        if table.name == "submissions":
            entered_by = {
                str(maps[table.name][file_id]): name for file_id, name in built.people.items()
            }
    audit(
        study=study,
        actor=owner,
        action=IMPORT_ACTION,
        exported_at=document.get("exported_at"),
        app_version=document.get("app_version"),
        format_version=document["version"],
        original_owner=document.get("owner"),
        **{ENTERED_BY: entered_by},
    )
    return study
