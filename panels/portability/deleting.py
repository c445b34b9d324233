"""Deleting a whole study, answers included, once its owner has typed its title."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Study
from .tables import TABLES


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
