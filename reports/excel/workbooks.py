"""The two workbooks: one closed round's, and the whole study's (see `reports.excel`)."""

import openpyxl
from django.utils import translation

from analysis.selectors import RATED_KINDS
from panels.models import Expert, Study
from reports import data as report_data
from rounds.models import Round

from .cells import sheet_suffix, workbook_bytes
from .round_data import RoundData, check_reportable, round_data
from .sheets import roster_sheet, round_sheets
from .summary import rounds_sheet, summary_sheet


def round_workbook(
    *, delphi_round: Round, language: str = "th", include_roster: bool = False
) -> bytes:
    """The .xlsx report of one closed rating or confirmation round (see `reports.excel`).

    `delphi_round` should come with `study`, `panel` and `previous_round` loaded
    (select_related) so that the query count stays fixed whatever the round's size. Headers
    and sentences are in `language` ("th" or "en"), independent of the active language.
    Raises ValueError for a round that is not closed or has no ratings to report.
    """
    check_reportable(delphi_round)
    study = delphi_round.study
    with translation.override(language):
        data = round_data(delphi_round)
        workbook = openpyxl.Workbook(write_only=True)
        summary_sheet(workbook, study, [data])
        round_sheets(workbook, study, data, language, suffix="")
        if include_roster:
            experts = Expert.objects.filter(panel_id=delphi_round.panel_id).select_related("panel")
            roster_sheet(workbook, experts.order_by("code"))
        return workbook_bytes(workbook)


def study_workbook(*, study: Study, language: str = "th", include_roster: bool = False) -> bytes:
    """The .xlsx report of a whole study: Summary, Rounds, then every closed rating or
    confirmation round's sheets suffixed by its number ("Items R2", …).

    A study with no such round yet still gets Summary and Rounds. The Roster lists every
    expert of the study's panels, only with `include_roster`. Queries: a few for the study,
    and a fixed number per reported round, whatever the number of statements.
    """
    with translation.override(language):
        facts = report_data.rounds_facts(study)
        previous = {
            delphi_round.pk: delphi_round for delphi_round in (fact.delphi_round for fact in facts)
        }
        reported: dict[int, RoundData] = {}
        for fact in facts:
            delphi_round = fact.delphi_round
            delphi_round.study = study
            # round_results reads the previous round: hand it the one already loaded.
            if delphi_round.previous_round_id in previous:
                delphi_round.previous_round = previous[delphi_round.previous_round_id]
            if delphi_round.kind in RATED_KINDS and delphi_round.status == Round.Status.CLOSED:
                reported[delphi_round.pk] = round_data(delphi_round, fact)

        workbook = openpyxl.Workbook(write_only=True)
        summary_sheet(workbook, study, list(reported.values()))
        rounds_sheet(workbook, facts, reported)
        for data in reported.values():
            round_sheets(workbook, study, data, language, sheet_suffix(data.delphi_round.number))
        if include_roster:
            experts = Expert.objects.filter(panel__study=study).select_related("panel")
            roster_sheet(workbook, experts.order_by("panel__order", "panel__pk", "code"))
        return workbook_bytes(workbook)
