"""Excel workbooks of a round's results and of a whole study, for a thesis committee.

Every figure comes from the frozen ItemResult rows (`analysis.selectors.item_results_for_round`)
and every quartile can be checked by hand on the Computation sheet, where each result is a
live Excel formula ``=L+i*(p-F)/f`` over the cells of its own row. The workbook is
anonymised: experts appear by code only, unless the caller asks for the Roster sheet.

Sheets of a round workbook (`round_workbook`):

- **Summary** — study, round, dates, invited / returned / response rate, channels, the method
  (scale labels, grouped-data formula, band cut-offs, consensus rule as fixed and any protocol
  deviation, the stopping rule), share of statements with consensus and Kendall's W. The
  stopping verdict, which needs the stability tests, is the PDF's and the results page's.
- **Items** — per statement: no., domain, statement, n, median, Q1, Q3, IQR, band, consensus,
  percent agreement, mean, SD, "cannot judge" count and the previous round's median and IQR.
- **Frequencies** — answers per scale point per statement (frozen counts).
- **Ratings** — one row per expert code, one column per statement (coded as in the CSV:
  1..points, 0 = cannot judge, empty = no answer).
- **Comments** — comments and reasons, by expert code and statement.
- **Computation** — for Q1, median and Q3 of each statement: N, p, class, L, F, f, i, the
  result as a formula and as a value, rounded, the frozen value and whether they match; and
  the IQR as the formula Q3 - Q1.
- **Charts** — native Excel bar charts: answers per scale point by statement (stacked) and
  the median of each statement.
- **Roster** — code, name, organisation, position, e-mail: only with ``include_roster=True``.

A study workbook (`study_workbook`) has the Summary (study and method), a **Rounds** sheet
(one row per round: participation and consensus) and, for every closed rating or
confirmation round, the sheets above suffixed by its number ("Items R2", "Ratings R3", …),
so that each sheet stays one rectangular table a program can read.

Sheet names stay in English whatever the report language (scripts rely on them); headers,
labels and sentences follow `language`. Text typed by people (statements, comments, names)
is neutralised so that a cell starting with = + - @ shows as text and never runs.
"""

from .workbooks import round_workbook, study_workbook

__all__ = ["round_workbook", "study_workbook"]
