"""The overview sheets: Summary (study, rounds, method) and, in a study workbook, Rounds."""

from django.utils.translation import gettext as _

from delphi_site.templatetags.thaidate import localdatetime
from panels.models import Study
from reports import data as report_data

from .cells import (
    BOLD,
    MEDIUM,
    NARROW,
    SECTION,
    TEXT,
    TITLE,
    TOP,
    TWO_DECIMALS,
    WIDE,
    WRAP,
    cell_text,
    header_row,
    new_sheet,
    styled_cell,
)
from .round_data import RoundData, criterion_label


def _method_rows(study: Study) -> list[tuple]:
    """The method as stated before any result: scale, formula, bands, rules, deviations.

    Worded by `reports.data` so that the PDF and the workbook say the same thing.
    """
    method = report_data.study_method(study)
    rows: list[tuple] = [(_("Method"), None, "section")]
    for point, label in method.scale:
        rows.append((_("Scale point %(point)s") % {"point": point}, cell_text(label)))
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
                cell_text(
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


def _round_rows(data: RoundData) -> list[tuple]:
    delphi_round = data.delphi_round
    facts = data.facts
    rows: list[tuple] = [
        (_("Round %(number)s") % {"number": delphi_round.number}, None, "section"),
        (_("Title"), cell_text(delphi_round.display_title)),
        (_("Kind"), facts.kind_label),
        (_("Panel"), cell_text(facts.panel.name)),
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
        (_("Consensus rule when frozen"), data.rule.label),
    ]
    if data.rule.changed:
        rows += [
            (_("Current rule (protocol deviation)"), data.rule.current_label),
            (_("Statements with consensus under the current rule"), data.with_current_rule),
        ]
    for criterion, kendall in data.kendall:
        name = "" if not data.several_criteria else f" ({criterion_label(data, criterion)})"
        rows += [
            (_("Kendall's W") + name, kendall.w, TWO_DECIMALS),
            (_("Kendall's W: χ²") + name, kendall.chi2, TWO_DECIMALS),
            (_("Kendall's W: degrees of freedom") + name, kendall.df),
            (_("Kendall's W: p-value") + name, kendall.p_value, TWO_DECIMALS),
            (_("Kendall's W: experts with every statement answered") + name, kendall.experts),
        ]
    return rows


def _write_pairs(ws, rows: list[tuple]) -> None:
    for row in rows:
        label, value = row[0], row[1]
        extra = row[2] if len(row) > 2 else None
        if extra == "section":
            ws.append([])
            ws.append([styled_cell(ws, cell_text(label), font=SECTION)])
            continue
        value_cell = styled_cell(
            ws,
            value,
            number_format=extra,
            alignment=WRAP if isinstance(value, str) else TOP,
        )
        ws.append([styled_cell(ws, cell_text(label), font=BOLD, alignment=WRAP), value_cell])


def _study_rows(study: Study) -> list[tuple]:
    rows: list[tuple] = [(_("Study"), cell_text(study.title))]
    if study.title_en:
        rows.append((_("Title in English"), cell_text(study.title_en)))
    if study.description:
        rows.append((_("Purpose of the study"), cell_text(study.description)))
    return rows


def summary_sheet(workbook, study: Study, rounds: list[RoundData]) -> None:
    ws = new_sheet(workbook, "Summary", [34, TEXT], freeze=None)
    ws.append([styled_cell(ws, _("Results report"), font=TITLE)])
    rows = _study_rows(study)
    for data in rounds:
        rows += _round_rows(data)
    rows += _method_rows(study)
    _write_pairs(ws, rows)


def rounds_sheet(workbook, facts: list, reported: dict[int, RoundData]) -> None:
    headers = [
        _("Round"),
        _("Kind"),
        _("Panel"),
        _("Status"),
        _("Opens"),
        _("Deadline"),
        _("Closed"),
        _("Days open"),
        _("Invited"),
        _("Returned"),
        _("Response rate (%)"),
        _("Statements"),
        _("Statements with consensus"),
        _("Share with consensus (%)"),
        _("Kendall's W"),
    ]
    widths = [NARROW, MEDIUM, WIDE, MEDIUM, WIDE, WIDE, WIDE] + [MEDIUM] * 8
    ws = new_sheet(workbook, "Rounds", widths)
    ws.append(header_row(ws, headers))
    for fact in facts:
        delphi_round = fact.delphi_round
        data = reported.get(delphi_round.pk)
        cells = [
            fact.number,
            fact.kind_label,
            cell_text(fact.panel.name),
            str(delphi_round.get_status_display()),
            localdatetime(fact.opens_at),
            localdatetime(fact.closes_at),
            localdatetime(fact.closed_at) if fact.is_closed else "",
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
                styled_cell(ws, kendall, number_format=TWO_DECIMALS),
            ]
        ws.append(cells)
