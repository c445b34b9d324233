"""Benchmark the round reports (Excel and PDF) against floors measured in the same run.

Run from the repository root:  python bench/reports.py  [--statements 100 --experts 100]

Builds, in a throw-away test database (as bench/freeze.py does, reusing its builders), a
study whose rating round of `statements` Thai statements in five domains is answered by
`experts` experts, after a first round answered by the same experts (so the report has a
previous round to compare with), closes and freezes both, then times:

- **Excel**: `reports.excel.round_workbook` against a floor that writes the very same cells
  (read back from the report, not timed) with openpyxl in write-only mode, with no styling,
  no number formats and no charts.
- **PDF**: `reports.pdf.round_report_pdf` against WeasyPrint rendering one bare HTML table
  of the report's cells — per statement its number, text, n, median, Q1, Q3, IQR, band,
  consensus and the counts per scale point — with the same embedded Thai font.

Each time is the best of `--excel-repeats` (10) or `--pdf-repeats` (3) runs after a warm-up.
Goals: Excel <= 1 s and PDF <= 3 s for 100 x 100, each within 2x of its floor. The last line
reads like
``excel 100x100: 0.41 s, floor 0.30 s, ratio=1.37; pdf 100x100: 2.1 s, floor 1.4 s, ratio=1.50``.
"""

import argparse
import html
import io
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

# This file is named reports.py: run as a script, its own folder would shadow the `reports`
# package, so put the repository root first instead.
_ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _ROOT / "bench"]
sys.path.insert(0, str(_ROOT))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "delphi_site.settings")

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

from analysis.selectors import round_results  # noqa: E402
from bench.freeze import build_round, converged, make_matrix  # noqa: E402
from delphi_site.pdf import FONT_FILES, font_dir, render_pdf  # noqa: E402
from rounds.models import Domain, Invitation, Round, Statement  # noqa: E402
from rounds.results import round_results_freeze  # noqa: E402

EXCEL_GOAL = 1.0
PDF_GOAL = 3.0
RATIO_GOAL = 2.0
# A statement as long as the seed study's (about 150 Thai characters).
THAI_TEXT = (
    "สถานศึกษา ชุมชน และองค์กรปกครองส่วนท้องถิ่นร่วมกันวางแผน ดำเนินงาน และประเมินผล"
    "การพัฒนาคุณภาพการศึกษาอย่างต่อเนื่อง โดยแบ่งปันทรัพยากรและประสบการณ์ ข้อที่ {n}"
)


def build_study(statements: int, experts: int) -> Round:
    """Two closed, frozen rating rounds; returns the second, loaded as the views load it."""
    first_answers = make_matrix(experts, statements)
    first = build_round(first_answers)
    study = first.study
    domains = Domain.objects.bulk_create(
        Domain(study=study, order=n, title=f"ด้านที่ {n + 1}") for n in range(5)
    )
    asked = list(Statement.objects.filter(study=study).order_by("order"))
    for n, statement in enumerate(asked):
        statement.text = THAI_TEXT.format(n=n + 1)
        statement.domain = domains[n * len(domains) // len(asked)]
    Statement.objects.bulk_update(asked, ["text", "domain"])
    second = build_round(converged(first_answers), previous_round=first)
    for delphi_round in (first, second):
        Invitation.objects.bulk_create(
            Invitation(delphi_round=delphi_round, expert=expert)
            for expert in delphi_round.panel.experts.all()
        )
        delphi_round.status = Round.Status.CLOSED
        delphi_round.save(update_fields=["status"])
        round_results_freeze(delphi_round=delphi_round)
    return Round.objects.select_related("study", "panel", "previous_round").get(pk=second.pk)


def best_of(function: Callable[[], object], repeats: int) -> float:
    """Best wall time in seconds over `repeats` runs (after one warm-up)."""
    function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def workbook_cells(content: bytes) -> dict[str, list[tuple]]:
    """Every sheet's cell values of a workbook (read back, not timed)."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def excel_floor(cells: dict[str, list[tuple]]) -> bytes:
    """The same cells written with openpyxl's fastest path and nothing else."""
    book = openpyxl.Workbook(write_only=True)
    for title, rows in cells.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def bare_table_html(delphi_round: Round) -> str:
    """One plain HTML table of the report's result cells, in the embedded Thai font."""
    results = round_results(delphi_round=delphi_round)
    font = (font_dir() / FONT_FILES["regular"]).as_uri()
    rows = []
    for row in results.rows:
        result = row.result
        cells = [
            row.number,
            row.statement.text,
            result.n,
            result.median,
            result.q1,
            result.q3,
            result.iqr,
            row.band_label,
            "yes" if result.consensus else "no",
            *result.counts,
        ]
        rows.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
    return (
        "<!doctype html><html lang='th'><head><meta charset='utf-8'><style>"
        f"@font-face {{ font-family: Sarabun; src: url('{font}'); }}"
        "@page { size: A4; } body { font-family: Sarabun; font-size: 10pt; }"
        "</style></head><body><table>" + "".join(rows) + "</table></body></html>"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=100)
    parser.add_argument("--experts", type=int, default=100)
    # Excel takes a fraction of a second: more runs make its best time steadier on a busy
    # machine. A PDF takes seconds.
    parser.add_argument("--excel-repeats", type=int, default=10)
    parser.add_argument("--pdf-repeats", type=int, default=3)
    parser.add_argument("--language", choices=("th", "en"), default="th")
    args = parser.parse_args(argv)

    from reports.excel import round_workbook

    try:
        from reports.pdf import round_report_pdf
    except ImportError:
        round_report_pdf = None

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        start = time.perf_counter()
        delphi_round = build_study(args.statements, args.experts)
        built = time.perf_counter() - start

        def excel() -> bytes:
            return round_workbook(delphi_round=delphi_round, language=args.language)

        cells = workbook_cells(excel())
        excel_time = best_of(excel, args.excel_repeats)
        excel_floor_time = best_of(lambda: excel_floor(cells), args.excel_repeats)
        if round_report_pdf is not None:
            page = bare_table_html(delphi_round)
            pdf_time = best_of(
                lambda: round_report_pdf(delphi_round=delphi_round, language=args.language),
                args.pdf_repeats,
            )
            pdf_floor_time = best_of(lambda: render_pdf(page), args.pdf_repeats)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()

    size = f"{args.statements}x{args.experts}"
    print(f"database: {connection.vendor}; built two rounds of {size} ratings in {built:.2f} s")
    excel_ratio = excel_time / excel_floor_time
    ok = excel_time <= EXCEL_GOAL and excel_ratio <= RATIO_GOAL
    line = (
        f"excel {size}: {excel_time:.2f} s, floor {excel_floor_time:.2f} s, ratio={excel_ratio:.2f}"
    )
    print(
        f"goal: excel <= {EXCEL_GOAL:.0f} s and ratio <= {RATIO_GOAL:.0f} "
        f"({'within' if ok else 'OVER'})"
    )
    if round_report_pdf is None:
        print("pdf: reports.pdf is not available, not timed")
    else:
        pdf_ratio = pdf_time / pdf_floor_time
        pdf_ok = pdf_time <= PDF_GOAL and pdf_ratio <= RATIO_GOAL
        ok = ok and pdf_ok
        print(
            f"goal: pdf <= {PDF_GOAL:.0f} s and ratio <= {RATIO_GOAL:.0f} "
            f"({'within' if pdf_ok else 'OVER'})"
        )
        line += (
            f"; pdf {size}: {pdf_time:.2f} s, floor {pdf_floor_time:.2f} s, ratio={pdf_ratio:.2f}"
        )
    print(line)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
