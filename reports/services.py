"""Writes of the reports app: the study's log line when experts' names leave the site."""

from django.db import transaction

from panels.models import Study
from panels.services import audit

ROSTER_DOWNLOAD = "report.roster"


@transaction.atomic
def roster_download_record(*, study: Study, actor, report: str) -> None:
    """Log that `actor` downloaded `report` (its file name) with the experts' names."""
    # Names leaving the site are worth a line in the study's log, like any other disclosure.
    audit(study=study, actor=actor, action=ROSTER_DOWNLOAD, report=report)
