"""The Computation sheet: every quartile as a live Excel formula over the cells of its row."""

from django.utils.translation import gettext as _
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter

from analysis import stats

from .cells import (
    BOLD,
    MEDIUM,
    NARROW,
    TWO_DECIMALS,
    WIDE,
    header_row,
    new_sheet,
    styled_cell,
    yes_no,
)
from .round_data import RoundData

_MISMATCH_FILL = PatternFill("solid", start_color="F8CBAD")

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


def computation_sheet(workbook, data: RoundData, suffix: str) -> None:
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
    ws = new_sheet(workbook, "Computation" + suffix, widths, freeze="C2")
    ws.append(header_row(ws, headers))
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
        styled_cell(ws, formula, number_format="0.0000"),
        styled_cell(ws, float(exact), number_format="0.0000"),
        styled_cell(ws, float(rounded), number_format=TWO_DECIMALS),
        styled_cell(ws, frozen, number_format=TWO_DECIMALS),
        # A mismatch is a bug in the site, shown rather than hidden.
        yes_no(matches)
        if matches
        else styled_cell(ws, yes_no(matches), font=BOLD, fill=_MISMATCH_FILL),
    ]
    return cells
