from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from analysis.selectors import results_unavailable_reason
from panels.models import Study
from reports.csv import round_ratings_csv
from reports.excel import round_workbook, study_workbook
from rounds.models import Round

FORMATS = ("pdf", "xlsx", "csv")


class Command(BaseCommand):
    help = (
        "Write a report of a study to a file: a round's report (--round N) as PDF, Excel or CSV "
        "of raw ratings, or the study's final report (PDF) or workbook of every closed round "
        "(Excel). Experts appear only by code unless --roster is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("study_id", type=int, help="The study's number (as in its address).")
        parser.add_argument(
            "--round", type=int, dest="round_number", help="The round's number (1, 2, …)."
        )
        parser.add_argument("--format", choices=FORMATS, required=True, dest="fmt")
        parser.add_argument(
            "--language",
            choices=[code for code, _label in Study.Language.choices],
            help="The report's language (default: the study's language).",
        )
        parser.add_argument(
            "--roster",
            action="store_true",
            help="Add the experts' names, organisations and e-mail addresses (not for CSV).",
        )
        parser.add_argument("-o", "--output", required=True, help="The file to write.")

    def handle(self, *args, study_id, round_number, fmt, language, roster, output, **options):
        study = Study.objects.filter(pk=study_id).first()
        if study is None:
            raise CommandError(_("There is no study %(id)s.") % {"id": study_id})
        language = language or study.language
        if fmt == "csv" and round_number is None:
            raise CommandError(
                _("A CSV file holds the ratings of one round: add --round with its number.")
            )
        if fmt == "csv" and roster:
            raise CommandError(
                _("The CSV file holds ratings by expert code only: leave out --roster.")
            )
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(
                _("Cannot write %(path)s: the folder %(folder)s does not exist.")
                % {"path": path, "folder": path.parent}
            )

        if round_number is None:
            content = self._study_report(study, fmt, language, roster)
        else:
            delphi_round = self._round(study, round_number, fmt)
            content = self._round_report(delphi_round, fmt, language, roster)
        try:
            path.write_bytes(content)
        except OSError as error:
            raise CommandError(
                _("Cannot write %(path)s: %(reason)s") % {"path": path, "reason": error.strerror}
            ) from error
        self.stdout.write(
            _("Wrote %(path)s (%(size)s bytes).") % {"path": path, "size": len(content)}
        )

    def _round(self, study: Study, number: int, fmt: str) -> Round:
        delphi_round = (
            Round.objects.select_related("study", "panel", "previous_round")
            .filter(study=study, number=number)
            .first()
        )
        if delphi_round is None:
            raise CommandError(
                _("Study %(id)s has no round %(number)s.") % {"id": study.pk, "number": number}
            )
        if delphi_round.status != Round.Status.CLOSED:
            raise CommandError(
                _("Round %(number)s is not closed yet: its report is made once it is closed.")
                % {"number": number}
            )
        if fmt != "pdf":
            reason = results_unavailable_reason(delphi_round)
            if reason:
                raise CommandError(
                    _("Round %(number)s has no ratings to export as %(format)s: %(reason)s")
                    % {"number": number, "format": fmt.upper(), "reason": reason}
                )
        return delphi_round

    def _round_report(self, delphi_round: Round, fmt: str, language: str, roster: bool) -> bytes:
        if fmt == "csv":
            return round_ratings_csv(delphi_round=delphi_round)
        if fmt == "xlsx":
            return round_workbook(
                delphi_round=delphi_round, language=language, include_roster=roster
            )
        # WeasyPrint (Pango, fonts) is slow to load: only when a PDF is asked for.
        from reports.pdf import round_report_pdf

        return round_report_pdf(delphi_round=delphi_round, language=language, include_roster=roster)

    def _study_report(self, study: Study, fmt: str, language: str, roster: bool) -> bytes:
        if fmt == "xlsx":
            return study_workbook(study=study, language=language, include_roster=roster)
        from reports.pdf import final_report_pdf

        return final_report_pdf(study=study, language=language, include_roster=roster)
