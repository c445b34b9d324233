"""What a study export holds: one table per study-owned model, in the order rows can be created.

Columns come from the models' own fields, so a field added later is exported and imported
without touching this file. A *model* added later must be listed here (or in NOT_EXPORTED
with the reason): tests/transfer/test_tables.py walks every installed model and fails
when one that belongs to a study is missing.
"""

from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth import get_user_model
from django.db import models

from panels.models import AuditEvent, Expert, Panel, Study, StudyMember
from rounds.models import (
    Domain,
    DomainSuggestion,
    Invitation,
    ItemResult,
    OpenAnswer,
    OpenQuestion,
    Rating,
    Round,
    RoundItem,
    Statement,
    StatementSource,
    Submission,
)

FORMAT = "delphi-site/study"
# Raise when a column or table changes meaning, or a table appears that an older site could
# not ignore. A site reads every version up to its own and refuses newer files.
VERSION = 1

# Half of an expert's personal-link secret (rounds/links.py). It is useless elsewhere anyway:
# a link also carries the expert's row number, which an import cannot keep, so imported
# experts get fresh keys and their links are re-sent from the new site.
EXCLUDED_FIELDS = {(Expert, "link_key")}

# Study-owned models that are deliberately left out, with the reason.
NOT_EXPORTED = {
    StudyMember: "user accounts belong to one installation; the importer becomes the owner",
}


@dataclass(frozen=True)
class Column:
    name: str
    field: models.Field

    @cached_property
    def is_user(self) -> bool:
        return self.field.is_relation and self.field.related_model is get_user_model()

    @cached_property
    def is_reference(self) -> bool:
        """A reference to another row of the file, written as that row's id in the file."""
        return self.field.is_relation and not self.is_user


@dataclass(frozen=True)
class Table:
    name: str
    model: type[models.Model]
    # The lookup from a row to its study, e.g. "panel__study".
    study_path: str

    @cached_property
    def columns(self) -> list[Column]:
        """Every stored field but the primary key, the study (implicit) and the excluded."""
        return [
            Column(field.name, field)
            for field in self.model._meta.concrete_fields
            if not field.primary_key
            and not (field.is_relation and field.related_model is Study)
            and (self.model, field.name) not in EXCLUDED_FIELDS
        ]

    @cached_property
    def automatic_times(self) -> list[str]:
        """Fields Django stamps with the current time on insert; an import restores them."""
        return [
            column.name
            for column in self.columns
            if getattr(column.field, "auto_now", False)
            or getattr(column.field, "auto_now_add", False)
        ]

    def rows_of(self, study: Study) -> models.QuerySet:
        return self.model.objects.filter(**{self.study_path: study}).order_by("pk")


TABLES: list[Table] = [
    Table("panels", Panel, "study"),
    Table("experts", Expert, "panel__study"),
    Table("domains", Domain, "study"),
    Table("rounds", Round, "study"),
    Table("open_questions", OpenQuestion, "delphi_round__study"),
    Table("statements", Statement, "study"),
    Table("round_items", RoundItem, "delphi_round__study"),
    Table("invitations", Invitation, "delphi_round__study"),
    Table("submissions", Submission, "delphi_round__study"),
    Table("open_answers", OpenAnswer, "submission__delphi_round__study"),
    Table("statement_sources", StatementSource, "statement__study"),
    Table("ratings", Rating, "submission__delphi_round__study"),
    Table("domain_suggestions", DomainSuggestion, "submission__delphi_round__study"),
    Table("item_results", ItemResult, "item__delphi_round__study"),
    Table("audit_events", AuditEvent, "study"),
]
TABLE_OF_MODEL = {table.model: table for table in TABLES}
TABLE_NAMED = {table.name: table for table in TABLES}

# The study's own settings: every field but these.
STUDY_SKIPPED = {"id", "owner"}
STUDY_FIELDS = [field for field in Study._meta.concrete_fields if field.name not in STUDY_SKIPPED]

# Audit events name rows by primary key in their detail (the coding trail, the proxy log).
# Those keys are translated like any reference: action prefix → {detail key: table}.
AUDIT_REFERENCES = {
    "coding.": {
        "statement": "statements",
        "target": "statements",
        "merged": "statements",
        "parts": "statements",
        "order": "statements",
        "answer": "open_answers",
        "answers": "open_answers",
        "domain": "domains",
        "old_domain": "domains",
    },
    "round.item_": {"statement": "statements", "comment": "ratings"},
    "answer.proxy": {"question": "open_questions", "item": "round_items", "domain": "domains"},
}
# Where an import keeps what cannot point to an account of this site: the audit event's
# original actor, and (in the import's own event) who keyed in each proxy submission.
IMPORTED_ACTOR = AuditEvent.IMPORTED_ACTOR
IMPORT_ACTION = "study.import"
ENTERED_BY = "entered_by"


def audit_references(action: str) -> dict[str, str]:
    for prefix, keys in AUDIT_REFERENCES.items():
        if action.startswith(prefix):
            return keys
    return {}


def translate_detail(detail, references: dict[str, str], maps: dict[str, dict]) -> dict:
    """The detail with each referenced id looked up in `maps[table]`; unknown ids become None
    (the row was deleted before the export, as the pages already say of such entries)."""
    if not isinstance(detail, dict) or not references:
        return detail

    def one(value, table: str):
        if isinstance(value, bool) or not isinstance(value, int):
            return None
        return maps[table].get(value)

    translated = dict(detail)
    for key, table in references.items():
        if key not in translated:
            continue
        value = translated[key]
        if isinstance(value, list):
            translated[key] = [one(item, table) for item in value]
        else:
            translated[key] = one(value, table)
    return translated
