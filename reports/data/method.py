"""The study's method: scale, bands, consensus and stopping rules, and a worked example of
the grouped formulas."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import get_language

from analysis import selectors, stats
from analysis.selectors import ResultRow
from panels.models import Study
from panels.protocol import ProtocolDeviation, protocol_deviations


@dataclass(frozen=True)
class BandRange:
    """A band of medians: its code, label in the active language, and inclusive limits."""

    band: str
    label: str
    lower: Decimal
    upper: Decimal


def band_ranges(study: Study) -> list[BandRange]:
    """The study's bands from lowest to highest, each with the medians it covers.

    A band runs from the previous cut-off plus 0.01 (medians have two decimals) to its own
    cut-off; the lowest starts at 1, the highest ends at the top of the scale.
    """
    labels = active_band_labels()
    cutoffs = list(study.band_cutoffs)
    lowers = [Decimal("1.00")] + [cut + Decimal("0.01") for cut in cutoffs]
    uppers = [*cutoffs, Decimal(study.scale_points).quantize(Decimal("0.01"))]
    return [
        BandRange(band=band, label=labels[band], lower=lower, upper=upper)
        for band, lower, upper in zip(stats.BANDS, lowers, uppers, strict=True)
    ]


def active_band_labels() -> dict[str, str]:
    """The band labels in the active language (English for a language without its own)."""
    return dict(stats.BAND_LABELS.get(get_language() or "", stats.BAND_LABELS_EN))


@dataclass(frozen=True)
class StudyMethod:
    """How the study analyses answers, as fixed in its protocol, and every later change."""

    study: Study
    scale: tuple[tuple[int, str], ...]
    bands: tuple[BandRange, ...]
    consensus_rule: str
    consensus_threshold: Decimal
    agreement_threshold: Decimal
    rules_locked_at: datetime.datetime | None
    deviations: tuple[ProtocolDeviation, ...]
    stopping_rule: str

    @property
    def agreement_applies(self) -> bool:
        return self.consensus_rule == "iqr_and_agreement"

    @property
    def points(self) -> int:
        return len(self.scale)


def study_method(study: Study) -> StudyMethod:
    """The study's scale, bands, consensus and stopping rules, and its protocol deviations.

    One query (the deviations). The stopping rule is worded by `analysis.selectors`.
    """
    verdict = selectors.stopping_verdict(study=study, items=0, with_consensus=0, stability=[])
    return StudyMethod(
        study=study,
        scale=tuple(enumerate((str(label) for label in study.scale_labels), start=1)),
        bands=tuple(band_ranges(study)),
        consensus_rule=study.consensus_rule,
        consensus_threshold=study.consensus_iqr_threshold,
        agreement_threshold=study.agreement_threshold,
        rules_locked_at=study.rules_locked_at,
        deviations=tuple(protocol_deviations(study)),
        stopping_rule=verdict.rule,
    )


@dataclass(frozen=True)
class TraceLine:
    """One quantile of the worked example, every term of L + i * (p - F) / f as text."""

    name: str
    quarters: int
    position: str
    k: int
    L: str
    F: int
    f: int
    width: int
    exact: str
    rounded: Decimal


@dataclass(frozen=True)
class WorkedExample:
    """The grouped-data computation of one frozen result, recomputed by `analysis.stats`.

    `matches` is True when the recomputed values equal the frozen ones (they always should; a
    report says so rather than show a computation that disagrees with its table).
    """

    row: ResultRow
    n: int
    lines: tuple[TraceLine, ...]
    iqr: Decimal
    matches: bool


def _text(value: Fraction) -> str:
    """A position or boundary as a person writes it: 4.5, 13.5, 3.5; thirds as 4.33…"""
    if value.denominator in (1, 2, 4, 5, 10, 20, 25, 50, 100):
        return f"{Decimal(value.numerator) / Decimal(value.denominator):f}"
    return f"{float(value):.4f}"


def _two_places(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"))


def worked_example(row: ResultRow, *, study: Study) -> WorkedExample | None:
    """Q1, median and Q3 of one frozen result with every number of the grouped formula.

    None when the result has no answers or was not frozen with the grouped method.
    """
    result = row.result
    if not result.n or result.method != "grouped":
        return None
    summary = stats.summarize_counts(
        result.counts,
        points=len(result.counts),
        cutoffs=tuple(study.band_cutoffs),
        threshold=study.consensus_iqr_threshold,
        method=result.method,
    )
    quarters = {"q1": 1, "median": 2, "q3": 3}
    lines = tuple(
        TraceLine(
            name=trace.name,
            quarters=quarters[trace.name],
            position=_text(trace.position),
            k=trace.k,
            L=_text(trace.L),
            F=trace.F,
            f=trace.f,
            width=trace.width,
            exact=_text(trace.value),
            rounded=_two_places(trace.rounded),
        )
        for trace in summary.trace
    )
    by_name = {line.name: line.rounded for line in lines}
    iqr = Decimal(repr(summary.iqr)).quantize(Decimal("0.01"))
    matches = (
        by_name.get("median") == result.median
        and by_name.get("q1") == result.q1
        and by_name.get("q3") == result.q3
        and iqr == result.iqr
    )
    return WorkedExample(row=row, n=summary.n, lines=lines, iqr=iqr, matches=matches)
