"""Downloads of the reports: a round's PDF, Excel and CSV, and the study's final PDF and Excel.

The report's language comes from `?lang=th|en` (default: the study's language), never from
the interface language, so a Thai researcher browsing in English can still hand a Thai report
to the committee. `?roster=1` adds the experts' names; only the owner and editors may ask for
it, while viewers download the anonymised reports. The PDF builders are imported inside the
views: WeasyPrint is slow to load and only these downloads need it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from analysis.selectors import results_unavailable_reason
from panels import selectors as panel_selectors
from panels.models import Study
from rounds.models import Round
from rounds.selectors import round_for_user

from . import services
from .csv import round_ratings_csv
from .excel import round_workbook, study_workbook
from .forms import ReportOptionsForm

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


def _options(request: HttpRequest, study: Study) -> tuple[str, bool] | None:
    """(language, include_roster), or None after queueing a message when the options are bad.

    Raises PermissionDenied when a viewer asks for the roster: names are for those who run
    the study.
    """
    form = ReportOptionsForm(request.GET)
    if not form.is_valid():
        messages.error(
            request, _("The report could not be made: choose Thai or English as its language.")
        )
        return None
    roster = form.cleaned_data["roster"]
    if roster and not study.user_can_edit:
        raise PermissionDenied(
            _("Only the study's owner and editors may download reports with experts' names.")
        )
    return form.cleaned_data["lang"] or study.language, roster


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    # Reports may hold names (roster) and always hold research data: keep them out of caches.
    response["Cache-Control"] = "no-store"
    return response


def _filename(stem: str, language: str, roster: bool, extension: str) -> str:
    return f"{stem}-{language}{'-roster' if roster else ''}.{extension}"


def _round_unavailable(delphi_round: Round, fmt: str) -> str | None:
    if fmt == "pdf":
        if delphi_round.status != Round.Status.CLOSED:
            return _("The round's report can be downloaded once the round is closed.")
        return None
    return results_unavailable_reason(delphi_round)


@login_required
@require_safe
def round_report(request: HttpRequest, study_pk: int, round_pk: int, fmt: str) -> HttpResponse:
    """A round's report: `fmt` is "pdf" (any closed round), "xlsx" or "csv" (closed rating or
    confirmation rounds). An unavailable report sends the reader back to the round with why.
    """
    delphi_round = round_for_user(user=request.user, study_pk=study_pk, round_pk=round_pk)
    study = delphi_round.study
    reason = _round_unavailable(delphi_round, fmt)
    if reason:
        messages.info(request, reason)
        return redirect(delphi_round)
    options = _options(request, study)
    if options is None:
        return redirect(delphi_round)
    language, roster = options
    number = delphi_round.number
    if fmt == "csv":
        # Raw ratings by code only: there is no roster version of the CSV.
        return _download(
            round_ratings_csv(delphi_round=delphi_round), CSV, f"round-{number}-ratings.csv"
        )
    if fmt == "xlsx":
        content = round_workbook(
            delphi_round=delphi_round, language=language, include_roster=roster
        )
        content_type = XLSX
    else:
        from reports.pdf import round_report_pdf  # WeasyPrint is slow to load: only here.

        content = round_report_pdf(
            delphi_round=delphi_round, language=language, include_roster=roster
        )
        content_type = PDF
    stem = (
        f"round-{number}-results"
        if delphi_round.kind != Round.Kind.OPEN
        else f"round-{number}-report"
    )
    filename = _filename(stem, language, roster, fmt)
    if roster:
        services.roster_download_record(study=study, actor=request.user, report=filename)
    return _download(content, content_type, filename)


@login_required
@require_safe
def study_report(request: HttpRequest, study_pk: int, fmt: str) -> HttpResponse:
    """The study's final report (`fmt` "pdf") or its workbook of every closed round ("xlsx")."""
    study = panel_selectors.study_for_user(user=request.user, study_pk=study_pk)
    options = _options(request, study)
    if options is None:
        return redirect(study)
    language, roster = options
    if fmt == "xlsx":
        content = study_workbook(study=study, language=language, include_roster=roster)
        filename = _filename(f"study-{study.pk}-results", language, roster, "xlsx")
        content_type = XLSX
    else:
        from reports.pdf import final_report_pdf  # WeasyPrint is slow to load: only here.

        content = final_report_pdf(study=study, language=language, include_roster=roster)
        filename = _filename(f"study-{study.pk}-final-report", language, roster, "pdf")
        content_type = PDF
    if roster:
        services.roster_download_record(study=study, actor=request.user, report=filename)
    return _download(content, content_type, filename)
