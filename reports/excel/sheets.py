"""A round's table sheets (Items, Frequencies, Ratings, Comments, Computation, Charts) and the
Roster."""

from django.utils.translation import gettext as _
from openpyxl.chart import BarChart, Reference

from panels.models import Study

from .cells import (
    MEDIUM,
    NARROW,
    TEXT,
    TWO_DECIMALS,
    WIDE,
    WRAP,
    band_label,
    cell_text,
    header_row,
    new_sheet,
    styled_cell,
    yes_no,
)
from .computation import computation_sheet
from .round_data import RoundData, criterion_cell, criterion_header


def items_sheet(workbook, data: RoundData, language: str, suffix: str) -> None:
    extra = criterion_header(data)
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
    ws = new_sheet(workbook, "Items" + suffix, widths, freeze="D2")
    ws.append(header_row(ws, headers))
    no_domain = _("No domain")
    for item in data.items:
        result = item.result
        domain = item.statement.domain
        extra_values = result.extra or {}
        previous = item.previous
        ws.append(
            [
                item.label,
                styled_cell(ws, cell_text(domain.title if domain else no_domain), alignment=WRAP),
                styled_cell(ws, cell_text(item.statement.text), alignment=WRAP),
                *criterion_cell(data, item),
                result.n,
                styled_cell(ws, result.median, number_format=TWO_DECIMALS),
                styled_cell(ws, result.q1, number_format=TWO_DECIMALS),
                styled_cell(ws, result.q3, number_format=TWO_DECIMALS),
                styled_cell(ws, result.iqr, number_format=TWO_DECIMALS),
                band_label(result.band, language),
                yes_no(result.consensus),
                styled_cell(ws, extra_values.get("percent_agreement"), number_format=TWO_DECIMALS),
                styled_cell(ws, extra_values.get("mean"), number_format=TWO_DECIMALS),
                styled_cell(ws, extra_values.get("sd"), number_format=TWO_DECIMALS),
                extra_values.get("cannot_judge"),
                styled_cell(ws, previous.median if previous else None, number_format=TWO_DECIMALS),
                styled_cell(ws, previous.iqr if previous else None, number_format=TWO_DECIMALS),
            ]
        )


def frequencies_sheet(workbook, study: Study, data: RoundData, suffix: str) -> None:
    extra = criterion_header(data)
    points = [f"{point} {label}" for point, label in enumerate(study.scale_labels, start=1)]
    headers = [_("No."), _("Statement"), *extra, *points, _("Cannot judge"), _("n")]
    widths = [NARROW, TEXT, *([MEDIUM] * len(extra)), *([MEDIUM] * len(points)), MEDIUM, NARROW]
    ws = new_sheet(workbook, "Frequencies" + suffix, widths, freeze="C2")
    ws.append(header_row(ws, headers))
    for item in data.items:
        result = item.result
        ws.append(
            [
                item.label,
                styled_cell(ws, cell_text(item.statement.text), alignment=WRAP),
                *criterion_cell(data, item),
                *result.counts,
                (result.extra or {}).get("cannot_judge"),
                result.n,
            ]
        )


def ratings_sheet(workbook, data: RoundData, suffix: str) -> None:
    table = data.table
    ws = new_sheet(
        workbook, "Ratings" + suffix, [MEDIUM] + [NARROW] * len(table.labels), freeze="B2"
    )
    ws.append(header_row(ws, [_("Expert"), *table.labels]))
    for code, values in zip(table.codes, table.values, strict=True):
        ws.append([cell_text(code), *values])


def comments_sheet(workbook, data: RoundData, suffix: str) -> None:
    table = data.table
    statements = {
        (item.result.item_id, item.result.criterion): item.statement.text for item in data.items
    }
    headers = [_("Expert"), _("No."), _("Statement"), _("Rating"), _("Comment"), _("Reason")]
    ws = new_sheet(workbook, "Comments" + suffix, [MEDIUM, NARROW, TEXT, NARROW, TEXT, TEXT])
    ws.append(header_row(ws, headers))
    for code, column, value, comment, reason in table.texts:
        ws.append(
            [
                cell_text(code),
                table.labels[column],
                styled_cell(
                    ws, cell_text(statements.get(table.columns[column], "")), alignment=WRAP
                ),
                value,
                styled_cell(ws, cell_text(comment), alignment=WRAP),
                styled_cell(ws, cell_text(reason), alignment=WRAP),
            ]
        )


def charts_sheet(workbook, study: Study, data: RoundData, suffix: str) -> None:
    ws = new_sheet(workbook, "Charts" + suffix, [], freeze=None)
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


def roster_sheet(workbook, experts) -> None:
    headers = [_("Code"), _("Panel"), _("Name"), _("Organisation"), _("Position"), _("E-mail")]
    ws = new_sheet(workbook, "Roster", [MEDIUM, WIDE, WIDE, WIDE, WIDE, WIDE])
    ws.append(header_row(ws, headers))
    for expert in experts:
        ws.append(
            [
                cell_text(value)
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


def round_sheets(workbook, study: Study, data: RoundData, language: str, suffix: str) -> None:
    items_sheet(workbook, data, language, suffix)
    frequencies_sheet(workbook, study, data, suffix)
    ratings_sheet(workbook, data, suffix)
    comments_sheet(workbook, data, suffix)
    computation_sheet(workbook, data, suffix)
    charts_sheet(workbook, study, data, suffix)
