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

import copy
import io
import math
import weakref
from dataclasses import dataclass

import openpyxl
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from analysis import stats
from analysis.selectors import (
    RATED_KINDS,
    item_results_for_round,
    round_kendalls_w,
)
from delphi_site.spreadsheets import neutralise
from delphi_site.templatetags.thaidate import localdatetime
from panels.models import Expert, Study
from rounds.models import ItemResult, Round
from rounds.results import previous_results_for_round

from . import data as report_data
from .csv import RatingsTable, ratings_table

TWO_DECIMALS = "0.00"
THREE_DECIMALS = "0.000"
# Column widths in characters; statements and sentences wrap inside their column.
NARROW, MEDIUM, WIDE, TEXT = 8, 14, 24, 60

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_SECTION = Font(bold=True, size=12)
_HEADER_FILL = PatternFill("solid", start_color="DDE6F0")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
_MISMATCH_FILL = PatternFill("solid", start_color="F8CBAD")


# --------------------------------------------------------------------------- data


@dataclass
class _Item:
    """One frozen result with the previous round's, its label (S01…) and its trace."""

    result: ItemResult
    previous: ItemResult | None
    label: str
    trace: tuple[stats.QuantileTrace, ...]

    @property
    def statement(self):
        return self.result.item.statement


@dataclass
class _RoundData:
    """What a round's sheets show. Figures are the frozen ItemResult rows; Kendall's W comes
    from `analysis.selectors.round_kendalls_w`, as on the results page."""

    delphi_round: Round
    facts: report_data.RoundFacts
    table: RatingsTable
    items: list[_Item]
    kendall: list[tuple[str, stats.KendallW]]

    @property
    def several_criteria(self) -> bool:
        return self.table.several_criteria

    @property
    def statements(self) -> int:
        return len({item.result.item_id for item in self.items})

    @property
    def with_consensus(self) -> int:
        """Statements with consensus; with several criteria, consensus on every one (as the
        final report's item flow counts them)."""
        agreed: dict[int, bool] = {}
        for item in self.items:
            agreed[item.result.item_id] = (
                agreed.get(item.result.item_id, True) and item.result.consensus
            )
        return sum(agreed.values())

    @property
    def consensus_share(self) -> int | None:
        # Rounded down as on the results page: a share short of a threshold never reaches it.
        return math.floor(100 * self.with_consensus / self.statements) if self.items else None


def _round_data(delphi_round: Round, facts: report_data.RoundFacts | None = None) -> _RoundData:
    """Read one round for the workbook in a fixed number of queries.

    Not `round_results`: the workbook shows no stability or verdict, and their Wilcoxon tests
    would cost more than writing every sheet.
    """
    results = item_results_for_round(delphi_round)
    previous = previous_results_for_round(delphi_round)
    if facts is None:
        facts = report_data.round_facts(delphi_round)
    table = ratings_table(delphi_round, results=results, with_texts=True)
    kendall = round_kendalls_w(
        table.round_ratings(delphi_round.pk),
        delphi_round=delphi_round,
        results=results,
        points=delphi_round.study.scale_points,
    )
    items = []
    for result, label in zip(results, table.labels, strict=True):
        trace = ()
        if result.n:
            # The trace of the frozen counts, from analysis.stats: never computed here.
            trace = stats.summarize_counts(
                result.counts, points=len(result.counts), method=result.method
            ).trace
        items.append(
            _Item(
                result=result,
                previous=previous.get((result.item.statement_id, result.criterion)),
                label=label,
                trace=trace,
            )
        )
    return _RoundData(
        delphi_round=delphi_round, facts=facts, table=table, items=items, kendall=kendall
    )


def _check_reportable(delphi_round: Round) -> None:
    if delphi_round.kind not in RATED_KINDS or delphi_round.status != Round.Status.CLOSED:
        raise ValueError(
            f"Round {delphi_round.number} is not a closed rating or confirmation round: "
            "it has no frozen results to report."
        )


# --------------------------------------------------------------------------- cells


def _text(value) -> str:
    return neutralise(value)


# Per workbook, the style index array of each combination already used. openpyxl otherwise
# hashes the Font, Fill and Alignment objects again for every cell, which costs more than
# writing the cell; the styles are module constants, so their ids are stable keys.
_STYLE_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _styled(ws, value, *, number_format=None, font=None, fill=None, alignment=None):
    cell = WriteOnlyCell(ws, value=value)
    known = _STYLE_CACHE.setdefault(ws.parent, {})
    key = (number_format, id(font), id(fill), id(alignment))
    style = known.get(key)
    if style is not None:
        cell._style = copy.copy(style)
        return cell
    if number_format:
        cell.number_format = number_format
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if alignment is not None:
        cell.alignment = alignment
    known[key] = copy.copy(cell._style)
    return cell


def _header_row(ws, headers: list[str]) -> list:
    return [
        _styled(ws, _text(header), font=_BOLD, fill=_HEADER_FILL, alignment=_WRAP)
        for header in headers
    ]


def _sheet(workbook, title: str, widths: list[int], *, freeze: str | None = "A2"):
    """A write-only sheet: widths and frozen panes must be set before the first row."""
    ws = workbook.create_sheet(title)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    if freeze:
        ws.freeze_panes = freeze
    return ws


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _band_label(band: str, language: str) -> str:
    return stats.BAND_LABELS.get(language, stats.BAND_LABELS_EN).get(band, "")


def _suffix(number: int | None) -> str:
    return "" if number is None else f" R{number}"


# --------------------------------------------------------------------------- summary


def _method_rows(study: Study) -> list[tuple]:
    """The method as stated before any result: scale, formula, bands, rules, deviations.

    Worded by `reports.data` so that the PDF and the workbook say the same thing.
    """
    method = report_data.study_method(study)
    rows: list[tuple] = [(_("Method"), None, "section")]
    for point, label in method.scale:
        rows.append((_("Scale point %(point)s") % {"point": point}, _text(label)))
    rows.append(
        (
            _("Median and quartiles"),
            _(
                "Grouped data: value = L + i * (p - F) / f, with p = N/4 (Q1), N/2 (median) and "
                "3N/4 (Q3); L is the lower boundary of the first class whose cumulative "
                "frequency reaches p, F the cumulative frequency below that class, f its "
                "frequency and i = 1 the class width. Q1, median, Q3 and IQR are rounded "
                "half-up to two decimals; the IQR is rounded once, from the exact Q3 - Q1. "
                "The Computation sheet shows every step."
            ),
        )
    )
    for band in method.bands:
        rows.append(
            (
                _("Median band “%(band)s”") % {"band": band.label},
                f"{band.lower} - {band.upper}",
            )
        )
    rows.append((_("Consensus rule"), report_data.consensus_rule_sentence(method)))
    if method.rules_locked_at:
        rows.append((_("Rules fixed"), localdatetime(method.rules_locked_at)))
    else:
        rows.append((_("Rules fixed"), _("Not yet: no rating round has opened.")))
    rows.append((_("Stopping rule"), method.stopping_rule))
    if not method.deviations:
        rows.append((_("Deviations from the protocol"), _("None")))
    for deviation in method.deviations:
        changes = "; ".join(f"{c.label}: {c.old} → {c.new}" for c in deviation.changes)
        rows.append(
            (
                _("Deviation of %(date)s") % {"date": localdatetime(deviation.at)},
                _text(
                    _("%(changes)s. Reason: %(reason)s")
                    % {"changes": changes, "reason": deviation.reason}
                ),
            )
        )
    rows.append(
        (
            _("Coding of the Ratings sheet"),
            _(
                "1 to %(points)s: the rating; 0: cannot judge; empty: no answer. Both 0 and "
                "empty are left out of every statistic."
            )
            % {"points": study.scale_points},
        )
    )
    return rows


def _round_rows(data: _RoundData) -> list[tuple]:
    delphi_round = data.delphi_round
    facts = data.facts
    rows: list[tuple] = [
        (_("Round %(number)s") % {"number": delphi_round.number}, None, "section"),
        (_("Title"), _text(delphi_round.display_title)),
        (_("Kind"), facts.kind_label),
        (_("Panel"), _text(facts.panel.name)),
        (_("Opens"), localdatetime(facts.opens_at) or "-"),
        (_("Deadline"), localdatetime(facts.closes_at) or "-"),
    ]
    if facts.closed_at:
        rows.append((_("Closed"), localdatetime(facts.closed_at)))
    rows += [
        (_("Days open"), facts.days_open),
        (_("Invited"), facts.invited),
        (_("Returned"), facts.returned),
        (_("Response rate (%)"), facts.response_rate),
    ]
    if facts.channels:
        rows.append(
            (
                _("Channels"),
                ", ".join(f"{channel.label}: {channel.count}" for channel in facts.channels),
            )
        )
    rows += [
        (_("Statements"), data.statements),
        (_("Statements with consensus"), data.with_consensus),
        (_("Share with consensus (%)"), data.consensus_share),
    ]
    for criterion, kendall in data.kendall:
        name = "" if not data.several_criteria else f" ({_criterion_label(data, criterion)})"
        rows += [
            (_("Kendall's W") + name, kendall.w, THREE_DECIMALS),
            (_("Kendall's W: χ²") + name, kendall.chi2, TWO_DECIMALS),
            (_("Kendall's W: degrees of freedom") + name, kendall.df),
            (_("Kendall's W: p-value") + name, kendall.p_value, "0.0000"),
            (_("Kendall's W: experts with every statement answered") + name, kendall.experts),
        ]
    return rows


def _write_pairs(ws, rows: list[tuple]) -> None:
    for row in rows:
        label, value = row[0], row[1]
        extra = row[2] if len(row) > 2 else None
        if extra == "section":
            ws.append([])
            ws.append([_styled(ws, _text(label), font=_SECTION)])
            continue
        value_cell = _styled(
            ws,
            value,
            number_format=extra,
            alignment=_WRAP if isinstance(value, str) else _TOP,
        )
        ws.append([_styled(ws, _text(label), font=_BOLD, alignment=_WRAP), value_cell])


def _study_rows(study: Study) -> list[tuple]:
    rows: list[tuple] = [(_("Study"), _text(study.title))]
    if study.title_en:
        rows.append((_("Title in English"), _text(study.title_en)))
    if study.description:
        rows.append((_("Purpose of the study"), _text(study.description)))
    return rows


def _summary_sheet(workbook, study: Study, rounds: list[_RoundData]) -> None:
    ws = _sheet(workbook, "Summary", [34, TEXT], freeze=None)
    ws.append([_styled(ws, _("Results report"), font=_TITLE)])
    rows = _study_rows(study)
    for data in rounds:
        rows += _round_rows(data)
    rows += _method_rows(study)
    _write_pairs(ws, rows)


# --------------------------------------------------------------------------- result sheets


def _criterion_header(data: _RoundData) -> list[str]:
    return [_("Criterion")] if data.several_criteria else []


def _criterion_label(data: _RoundData, code: str) -> str:
    """The criterion as the researcher named it (e.g. ความเหมาะสม), not its code."""
    labels = {c["code"]: c["label"] for c in data.delphi_round.rating_criteria}
    return labels.get(code) or code


def _criterion_cell(data: _RoundData, item: _Item) -> list:
    if not data.several_criteria:
        return []
    return [_text(_criterion_label(data, item.result.criterion))]


def _items_sheet(workbook, data: _RoundData, language: str, suffix: str) -> None:
    extra = _criterion_header(data)
    headers = [
        _("No."),
        _("Domain"),
        _("Statement"),
        *extra,
        _("n"),
        _("Median"),
        "Q1",
        "Q3",
        _("IQR"),
        _("Band"),
        _("Consensus"),
        _("Agreement (%)"),
        _("Mean"),
        _("SD"),
        _("Cannot judge"),
        _("Median, previous round"),
        _("IQR, previous round"),
    ]
    widths = [NARROW, WIDE, TEXT, *([MEDIUM] * len(extra))] + [NARROW] * 5 + [MEDIUM] * 2
    widths += [MEDIUM] * 6
    ws = _sheet(workbook, "Items" + suffix, widths, freeze="D2")
    ws.append(_header_row(ws, headers))
    no_domain = _("No domain")
    for item in data.items:
        result = item.result
        domain = item.statement.domain
        extra_values = result.extra or {}
        previous = item.previous
        ws.append(
            [
                item.label,
                _styled(ws, _text(domain.title if domain else no_domain), alignment=_WRAP),
                _styled(ws, _text(item.statement.text), alignment=_WRAP),
                *_criterion_cell(data, item),
                result.n,
                _styled(ws, result.median, number_format=TWO_DECIMALS),
                _styled(ws, result.q1, number_format=TWO_DECIMALS),
                _styled(ws, result.q3, number_format=TWO_DECIMALS),
                _styled(ws, result.iqr, number_format=TWO_DECIMALS),
                _band_label(result.band, language),
                _yes_no(result.consensus),
                _styled(ws, extra_values.get("percent_agreement"), number_format=TWO_DECIMALS),
                _styled(ws, extra_values.get("mean"), number_format=TWO_DECIMALS),
                _styled(ws, extra_values.get("sd"), number_format=TWO_DECIMALS),
                extra_values.get("cannot_judge"),
                _styled(ws, previous.median if previous else None, number_format=TWO_DECIMALS),
                _styled(ws, previous.iqr if previous else None, number_format=TWO_DECIMALS),
            ]
        )


def _frequencies_sheet(workbook, study: Study, data: _RoundData, suffix: str) -> None:
    extra = _criterion_header(data)
    points = [f"{point} {label}" for point, label in enumerate(study.scale_labels, start=1)]
    headers = [_("No."), _("Statement"), *extra, *points, _("Cannot judge"), _("n")]
    widths = [NARROW, TEXT, *([MEDIUM] * len(extra)), *([MEDIUM] * len(points)), MEDIUM, NARROW]
    ws = _sheet(workbook, "Frequencies" + suffix, widths, freeze="C2")
    ws.append(_header_row(ws, headers))
    for item in data.items:
        result = item.result
        ws.append(
            [
                item.label,
                _styled(ws, _text(item.statement.text), alignment=_WRAP),
                *_criterion_cell(data, item),
                *result.counts,
                (result.extra or {}).get("cannot_judge"),
                result.n,
            ]
        )


def _ratings_sheet(workbook, data: _RoundData, suffix: str) -> None:
    table = data.table
    ws = _sheet(workbook, "Ratings" + suffix, [MEDIUM] + [NARROW] * len(table.labels), freeze="B2")
    ws.append(_header_row(ws, [_("Expert"), *table.labels]))
    for code, values in zip(table.codes, table.values, strict=True):
        ws.append([_text(code), *values])


def _comments_sheet(workbook, data: _RoundData, suffix: str) -> None:
    table = data.table
    statements = {
        (item.result.item_id, item.result.criterion): item.statement.text for item in data.items
    }
    headers = [_("Expert"), _("No."), _("Statement"), _("Rating"), _("Comment"), _("Reason")]
    ws = _sheet(workbook, "Comments" + suffix, [MEDIUM, NARROW, TEXT, NARROW, TEXT, TEXT])
    ws.append(_header_row(ws, headers))
    for code, column, value, comment, reason in table.texts:
        ws.append(
            [
                _text(code),
                table.labels[column],
                _styled(ws, _text(statements.get(table.columns[column], "")), alignment=_WRAP),
                value,
                _styled(ws, _text(comment), alignment=_WRAP),
                _styled(ws, _text(reason), alignment=_WRAP),
            ]
        )


# Columns of the Computation sheet, 1-based; the formulas below refer to them by letter.
COMPUTATION_COLUMNS = (
    "label",
    "quantity",
    "n",
    "position",
    "k",
    "L",
    "F",
    "f",
    "i",
    "formula",
    "value",
    "rounded",
    "frozen",
    "match",
)
_COL = {name: get_column_letter(index) for index, name in enumerate(COMPUTATION_COLUMNS, 1)}


def quantile_formula(row: int) -> str:
    """``=L+i*(p-F)/f`` over the cells of one Computation row."""
    c = _COL
    return f"={c['L']}{row}+{c['i']}{row}*({c['position']}{row}-{c['F']}{row})/{c['f']}{row}"


def _computation_sheet(workbook, data: _RoundData, suffix: str) -> None:
    headers = [
        _("No."),
        _("Quantity"),
        "N",
        _("Position p"),
        _("Class k"),
        "L",
        "F",
        "f",
        "i",
        _("L + i * (p - F) / f"),
        _("Exact value"),
        _("Rounded"),
        _("Frozen result"),
        _("Matches"),
    ]
    widths = [NARROW, MEDIUM, NARROW, MEDIUM, NARROW, NARROW, NARROW, NARROW, NARROW, WIDE]
    widths += [MEDIUM, MEDIUM, MEDIUM, MEDIUM]
    ws = _sheet(workbook, "Computation" + suffix, widths, freeze="C2")
    ws.append(_header_row(ws, headers))
    names = {"q1": "Q1", "median": _("Median"), "q3": "Q3"}
    row_number = 1
    for item in data.items:
        result = item.result
        if not item.trace:
            row_number += 1
            ws.append([item.label, _("No answers"), result.n])
            continue
        quantity_rows = {}
        for trace in item.trace:
            row_number += 1
            quantity_rows[trace.name] = row_number
            frozen = getattr(result, trace.name)
            ws.append(
                _computation_row(
                    ws,
                    item.label,
                    names[trace.name],
                    result.n,
                    trace,
                    quantile_formula(row_number),
                    trace.value,
                    trace.rounded,
                    frozen,
                )
            )
        row_number += 1
        exact_iqr = item.trace[2].value - item.trace[0].value
        value = _COL["formula"]
        ws.append(
            _computation_row(
                ws,
                item.label,
                _("IQR = Q3 - Q1"),
                result.n,
                None,
                f"={value}{quantity_rows['q3']}-{value}{quantity_rows['q1']}",
                exact_iqr,
                stats.round_half_up(exact_iqr),
                result.iqr,
            )
        )


def _computation_row(ws, label, quantity, n, trace, formula, exact, rounded, frozen) -> list:
    matches = frozen is not None and rounded == frozen
    cells = [label, quantity, n]
    if trace is None:
        cells += [None] * 6
    else:
        cells += [float(trace.position), trace.k, float(trace.L), trace.F, trace.f, trace.width]
    cells += [
        _styled(ws, formula, number_format="0.0000"),
        _styled(ws, float(exact), number_format="0.0000"),
        _styled(ws, float(rounded), number_format=TWO_DECIMALS),
        _styled(ws, frozen, number_format=TWO_DECIMALS),
        # A mismatch is a bug in the site, shown rather than hidden.
        _yes_no(matches)
        if matches
        else _styled(ws, _yes_no(matches), font=_BOLD, fill=_MISMATCH_FILL),
    ]
    return cells


def _charts_sheet(workbook, study: Study, data: _RoundData, suffix: str) -> None:
    ws = _sheet(workbook, "Charts" + suffix, [], freeze=None)
    count = len(data.items)
    if not count:
        return
    offset = 1 if data.several_criteria else 0
    frequencies = workbook["Frequencies" + suffix]
    labels = Reference(frequencies, min_col=1, min_row=2, max_row=count + 1)

    stacked = BarChart()
    stacked.type = "bar"
    stacked.grouping = "stacked"
    stacked.overlap = 100
    stacked.title = _("Answers per scale point, by statement")
    stacked.y_axis.title = _("Answers")
    stacked.add_data(
        Reference(
            frequencies,
            min_col=3 + offset,
            max_col=2 + offset + study.scale_points,
            min_row=1,
            max_row=count + 1,
        ),
        titles_from_data=True,
    )
    stacked.set_categories(labels)
    stacked.x_axis.scaling.orientation = "maxMin"  # S01 at the top, as in the tables
    _show_axes(stacked)
    stacked.width = 24
    stacked.height = max(8.0, 0.5 * count + 3)
    ws.add_chart(stacked, "A1")

    items = workbook["Items" + suffix]
    medians = BarChart()
    medians.type = "col"
    medians.title = _("Median of each statement")
    medians.y_axis.title = _("Median")
    medians.y_axis.scaling.min = 0
    medians.y_axis.scaling.max = study.scale_points + 0.5
    medians.add_data(
        Reference(items, min_col=5 + offset, min_row=1, max_row=count + 1),
        titles_from_data=True,
    )
    medians.set_categories(Reference(items, min_col=1, min_row=2, max_row=count + 1))
    medians.legend = None
    _show_axes(medians)
    medians.width = max(16.0, 0.45 * count + 4)
    medians.height = 9
    ws.add_chart(medians, "P1")


def _show_axes(chart) -> None:
    # openpyxl 3.1 leaves `delete` unset, which recent Excel reads as "hide the axis".
    chart.x_axis.delete = False
    chart.y_axis.delete = False


def _roster_sheet(workbook, experts) -> None:
    headers = [_("Code"), _("Panel"), _("Name"), _("Organisation"), _("Position"), _("E-mail")]
    ws = _sheet(workbook, "Roster", [MEDIUM, WIDE, WIDE, WIDE, WIDE, WIDE])
    ws.append(_header_row(ws, headers))
    for expert in experts:
        ws.append(
            [
                _text(value)
                for value in (
                    expert.code,
                    expert.panel.name,
                    expert.name,
                    expert.organisation,
                    expert.position,
                    expert.email,
                )
            ]
        )


def _round_sheets(workbook, study: Study, data: _RoundData, language: str, suffix: str) -> None:
    _items_sheet(workbook, data, language, suffix)
    _frequencies_sheet(workbook, study, data, suffix)
    _ratings_sheet(workbook, data, suffix)
    _comments_sheet(workbook, data, suffix)
    _computation_sheet(workbook, data, suffix)
    _charts_sheet(workbook, study, data, suffix)


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- public API


def round_workbook(
    *, delphi_round: Round, language: str = "th", include_roster: bool = False
) -> bytes:
    """The .xlsx report of one closed rating or confirmation round (see the module docstring).

    `delphi_round` should come with `study`, `panel` and `previous_round` loaded
    (select_related) so that the query count stays fixed whatever the round's size. Headers
    and sentences are in `language` ("th" or "en"), independent of the active language.
    Raises ValueError for a round that is not closed or has no ratings to report.
    """
    _check_reportable(delphi_round)
    study = delphi_round.study
    with translation.override(language):
        data = _round_data(delphi_round)
        workbook = openpyxl.Workbook(write_only=True)
        _summary_sheet(workbook, study, [data])
        _round_sheets(workbook, study, data, language, suffix="")
        if include_roster:
            experts = Expert.objects.filter(panel_id=delphi_round.panel_id).select_related("panel")
            _roster_sheet(workbook, experts.order_by("code"))
        return _save(workbook)


def _rounds_sheet(workbook, facts: list, reported: dict[int, _RoundData]) -> None:
    headers = [
        _("Round"),
        _("Kind"),
        _("Panel"),
        _("Status"),
        _("Opens"),
        _("Deadline"),
        _("Days open"),
        _("Invited"),
        _("Returned"),
        _("Response rate (%)"),
        _("Statements"),
        _("Statements with consensus"),
        _("Share with consensus (%)"),
        _("Kendall's W"),
    ]
    widths = [NARROW, MEDIUM, WIDE, MEDIUM, WIDE, WIDE] + [MEDIUM] * 8
    ws = _sheet(workbook, "Rounds", widths)
    ws.append(_header_row(ws, headers))
    for fact in facts:
        delphi_round = fact.delphi_round
        data = reported.get(delphi_round.pk)
        cells = [
            fact.number,
            fact.kind_label,
            _text(fact.panel.name),
            str(delphi_round.get_status_display()),
            localdatetime(fact.opens_at),
            localdatetime(fact.closes_at),
            fact.days_open,
            fact.invited,
            fact.returned,
            fact.response_rate,
        ]
        if data is not None:
            kendall = data.kendall[0][1].w if data.kendall else None
            cells += [
                data.statements,
                data.with_consensus,
                data.consensus_share,
                _styled(ws, kendall, number_format=THREE_DECIMALS),
            ]
        ws.append(cells)


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
        reported: dict[int, _RoundData] = {}
        for fact in facts:
            delphi_round = fact.delphi_round
            delphi_round.study = study
            # round_results reads the previous round: hand it the one already loaded.
            if delphi_round.previous_round_id in previous:
                delphi_round.previous_round = previous[delphi_round.previous_round_id]
            if delphi_round.kind in RATED_KINDS and delphi_round.status == Round.Status.CLOSED:
                reported[delphi_round.pk] = _round_data(delphi_round, fact)

        workbook = openpyxl.Workbook(write_only=True)
        _summary_sheet(workbook, study, list(reported.values()))
        _rounds_sheet(workbook, facts, reported)
        for data in reported.values():
            _round_sheets(workbook, study, data, language, _suffix(data.delphi_round.number))
        if include_roster:
            experts = Expert.objects.filter(panel__study=study).select_related("panel")
            _roster_sheet(workbook, experts.order_by("panel__order", "panel__pk", "code"))
        return _save(workbook)
