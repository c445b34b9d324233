"""Writing an imported expert list: all rows or none."""

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Expert, Panel
from ..services import audit, next_expert_codes
from . import parsing


class ImportRejected(ValidationError):
    """The rows cannot be imported; `row_errors` says which cells, for the errors table."""

    def __init__(self, row_errors: list[parsing.RowError]):
        self.row_errors = row_errors
        super().__init__(
            [
                ValidationError(
                    _("Row %(row)s, %(column)s: %(message)s")
                    % {"row": error.row, "column": error.column, "message": error.message},
                    code="import",
                )
                for error in row_errors
            ]
        )


def planned_codes(panel: Panel, rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """The code each row gets: its own, or the next free one of the panel.

    Free codes skip the codes that other rows of the same file bring with them, so a file
    that mixes given and empty codes cannot hand out one code twice.
    """
    taken = {row["code"].casefold() for row in rows if row.get("code")}
    candidates = iter(
        code for code in next_expert_codes(panel, len(rows)) if code.casefold() not in taken
    )
    return [row.get("code") or next(candidates) for row in rows]


@transaction.atomic
def expert_import(*, panel: Panel, rows: Sequence[Mapping[str, Any]], actor) -> list[Expert]:
    """Create one expert per row, with codes, and one audit event — or nothing at all.

    The rows were checked when the file was previewed, but the panel may have changed
    since; they are checked again under the panel lock and `ImportRejected` (a
    ValidationError listing each problem) is raised if any row no longer fits.
    """
    # Lock the panel: an expert added, or a second import confirmed, between these checks
    # and the insert could otherwise take the same code or e-mail address.
    panel = Panel.objects.select_for_update().select_related("study").get(pk=panel.pk)
    if not rows:
        raise ValidationError(_("There are no experts to import."), code="empty")
    errors = parsing.validate_rows(list(rows), existing=parsing.existing_experts(panel))
    if errors:
        raise ImportRejected(errors)

    experts = []
    for row, code in zip(rows, planned_codes(panel, rows), strict=True):
        values = {name: row.get(name, "") for name in parsing.FIELDS} | {"code": code}
        expert = Expert(panel=panel, **values)
        try:
            expert.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors += [
                parsing.RowError(row.get("row"), parsing.column_label(name), message)
                for name, messages in error.message_dict.items()
                for message in messages
            ]
        experts.append(expert)
    if errors:
        raise ImportRejected(errors)

    created = Expert.objects.bulk_create(experts)
    audit(
        study=panel.study,
        actor=actor,
        action="expert.import",
        count=len(created),
        panel=panel.name,
    )
    return created
