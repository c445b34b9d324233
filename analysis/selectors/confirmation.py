"""Reads for the results page of a confirmation round: one row per component of the model
with a group of figures per criterion, a verdict per criterion for the whole model, and the
experts' suggestions per domain.

The figures are the frozen ItemResult rows `round_results` already loaded (median, IQR, band,
consensus), or `analysis.stats` applied to their frozen counts (mean, SD and the mean's
band); the only query of its own reads the suggestions.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from analysis import stats
from delphi_site.numbers import format_number
from rounds.models import (
    ConfirmationStatistic,
    Domain,
    DomainSuggestion,
    ItemResult,
    Round,
    Submission,
)

from .page import RoundResults
from .rows import ResultRow

# A component is confirmed on a criterion when the panel rates it high or highest with
# consensus; the same bands the final model was drawn with (rounds.building).
CONFIRMED_BANDS = ("high", "highest")


@dataclass(frozen=True)
class CriterionCell:
    """One component's figures on one criterion."""

    result: ItemResult
    band_label: str
    mean: float | None
    sd: float | None
    mean_band: str | None
    mean_band_label: str

    @property
    def confirmed(self) -> bool:
        return self.result.band in CONFIRMED_BANDS and self.result.consensus


@dataclass
class ComponentRow:
    """A component of the model (a round item) with one cell per criterion, in their order."""

    number: str  # the statement's code, S01, …
    statement: object
    cells: list[CriterionCell | None]

    @property
    def domain(self) -> Domain | None:
        return self.statement.domain


@dataclass(frozen=True)
class CriterionVerdict:
    """The whole model on one criterion: confirmed or not, and why, in a sentence."""

    code: str
    label: str
    confirmed: bool
    sentence: str
    # Median: the components not rated high or highest with consensus.
    unconfirmed: tuple[ComponentRow, ...] = ()
    # Mean: the criterion's mean and SD over every answer to every component.
    mean: float | None = None
    sd: float | None = None
    band_label: str = ""


@dataclass(frozen=True)
class Suggestion:
    code: str
    text: str


@dataclass
class ConfirmationResults:
    statistic: str
    criteria: list[dict]
    rows: list[ComponentRow]
    groups: list[tuple[Domain | None, list[ComponentRow]]]
    verdicts: list[CriterionVerdict]
    suggestions: list[tuple[Domain, list[Suggestion]]] = field(default_factory=list)

    @property
    def uses_mean(self) -> bool:
        return self.statistic == ConfirmationStatistic.MEAN

    @property
    def confirmed(self) -> bool:
        return bool(self.verdicts) and all(verdict.confirmed for verdict in self.verdicts)


def _cell(result: ItemResult, labels) -> CriterionCell:
    mean, sd = stats.mean_sd(result.counts)
    band = stats.mean_band(mean)
    return CriterionCell(
        result=result,
        band_label=labels.get(result.band, ""),
        mean=mean,
        sd=sd,
        mean_band=band,
        mean_band_label=labels.get(band, "") if band else "",
    )


def _criteria(delphi_round: Round, codes: list[str]) -> list[dict]:
    """The round's criteria in the questionnaire's order, then any frozen code it no longer
    names (shown by its code rather than dropped)."""
    criteria = list(delphi_round.rating_criteria)
    known = {criterion["code"] for criterion in criteria}
    criteria += [{"code": code, "label": code} for code in codes if code not in known]
    return criteria


def _median_verdict(code: str, label: str, rows: list[ComponentRow], index: int):
    unconfirmed = tuple(
        row for row in rows if not (row.cells[index] and row.cells[index].confirmed)
    )
    if not unconfirmed:
        sentence = _(
            "%(criterion)s: confirmed — every component was rated high or highest with consensus."
        ) % {"criterion": label}
    else:
        sentence = ngettext(
            "%(criterion)s: not confirmed — %(count)s component was not rated high or highest "
            "with consensus.",
            "%(criterion)s: not confirmed — %(count)s components were not rated high or highest "
            "with consensus.",
            len(unconfirmed),
        ) % {"criterion": label, "count": len(unconfirmed)}
    return CriterionVerdict(
        code=code,
        label=label,
        confirmed=not unconfirmed,
        sentence=sentence,
        unconfirmed=unconfirmed,
    )


def _mean_verdict(code: str, label: str, rows: list[ComponentRow], index: int, labels, points):
    # Every answer to every component of the criterion, pooled: the overall mean and SD.
    pooled = [0] * points
    for row in rows:
        cell = row.cells[index]
        if cell is not None:
            pooled = [a + b for a, b in zip(pooled, cell.result.counts, strict=True)]
    mean, sd = stats.mean_sd(pooled)
    band = stats.mean_band(mean)
    band_label = labels.get(band, "") if band else ""
    confirmed = band in CONFIRMED_BANDS
    if mean is None:
        sentence = _("%(criterion)s: no answers.") % {"criterion": label}
    elif confirmed:
        sentence = _("%(criterion)s: confirmed — overall mean %(mean)s (%(band)s).") % {
            "criterion": label,
            "mean": format_number(mean),
            "band": band_label,
        }
    else:
        sentence = _("%(criterion)s: not confirmed — overall mean %(mean)s (%(band)s).") % {
            "criterion": label,
            "mean": format_number(mean),
            "band": band_label,
        }
    return CriterionVerdict(
        code=code,
        label=label,
        confirmed=confirmed,
        sentence=sentence,
        mean=mean,
        sd=sd,
        band_label=band_label,
    )


def suggestions_for_round(delphi_round: Round) -> list[tuple[Domain, list[Suggestion]]]:
    """Submitted experts' suggestions per domain, by expert code (never the name); one query."""
    found = (
        DomainSuggestion.objects.filter(
            submission__delphi_round=delphi_round,
            submission__status=Submission.Status.SUBMITTED,
        )
        .select_related("domain")
        .annotate(expert_code=F("submission__expert__code"))
        .order_by("domain__order", "domain__pk", "expert_code")
    )
    grouped: dict[int, tuple[Domain, list[Suggestion]]] = {}
    for suggestion in found:
        entry = grouped.setdefault(suggestion.domain_id, (suggestion.domain, []))
        entry[1].append(Suggestion(code=suggestion.expert_code, text=suggestion.text))
    return list(grouped.values())


def confirmation_results(
    *, results: RoundResults, band_labels: Mapping[str, str] | None = None
) -> ConfirmationResults:
    """The confirmation view of `round_results(...)`'s rows; one query of its own (the
    suggestions with their domains), none per component or criterion.

    Bands are named in the study's language, as on the results page, unless `band_labels`
    says otherwise: a report names them in the language it is written in.
    """
    delphi_round = results.delphi_round
    study = delphi_round.study
    labels = band_labels or stats.BAND_LABELS.get(study.language, stats.BAND_LABELS_EN)
    row_results: list[ResultRow] = results.rows
    codes = list(dict.fromkeys(row.result.criterion for row in row_results))
    criteria = _criteria(delphi_round, codes)
    index = {criterion["code"]: i for i, criterion in enumerate(criteria)}

    components: dict[int, ComponentRow] = {}
    for row in row_results:
        item = row.result.item
        component = components.get(item.pk)
        if component is None:
            component = ComponentRow(
                number=item.statement.code, statement=item.statement, cells=[None] * len(criteria)
            )
            components[item.pk] = component
        component.cells[index[row.result.criterion]] = _cell(row.result, labels)
    rows = list(components.values())

    groups: dict[int | None, tuple[Domain | None, list[ComponentRow]]] = {}
    for row in rows:
        domain = row.domain
        groups.setdefault(domain.pk if domain else None, (domain, []))[1].append(row)

    uses_mean = delphi_round.confirmation_statistic == ConfirmationStatistic.MEAN
    verdicts = [
        _mean_verdict(c["code"], c["label"], rows, i, labels, study.scale_points)
        if uses_mean
        else _median_verdict(c["code"], c["label"], rows, i)
        for i, c in enumerate(criteria)
    ]
    return ConfirmationResults(
        statistic=delphi_round.confirmation_statistic,
        criteria=criteria,
        rows=rows,
        groups=list(groups.values()),
        verdicts=verdicts,
        suggestions=suggestions_for_round(delphi_round),
    )
