"""The results page's rows: one frozen item result each, grouped and filtered."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F

from analysis import stats
from rounds.models import Domain, ItemResult, Round


@dataclass(frozen=True)
class Bar:
    """One scale point of a distribution: its count, share of answers and relative height."""

    point: int
    count: int
    percent: int
    height: int


@dataclass
class ResultRow:
    """One frozen item result with what the page shows beside it."""

    result: ItemResult
    # The statement's code (S01, …): the same on every page, report and round.
    number: str
    band_label: str
    bars: tuple[Bar, ...]
    previous: ItemResult | None = None
    stability: stats.ItemStability | None = None
    percent_agreement: float | None = None
    # Consensus of this item under each of DEFINITIONS (sensitivity view).
    definitions: dict[str, bool] = field(default_factory=dict)

    @property
    def statement(self):
        return self.result.item.statement

    @property
    def domain(self) -> Domain | None:
        return self.result.item.statement.domain

    @property
    def median_change(self) -> Decimal | None:
        if self.previous is None or self.previous.median is None or self.result.median is None:
            return None
        return self.result.median - self.previous.median

    @property
    def iqr_change(self) -> Decimal | None:
        if self.previous is None or self.previous.iqr is None or self.result.iqr is None:
            return None
        return self.result.iqr - self.previous.iqr

    @property
    def consensus_changed(self) -> bool:
        return self.previous is not None and self.previous.consensus != self.result.consensus

    @property
    def changed(self) -> bool:
        """The group's answer moved since the previous round: median, IQR or consensus."""
        return bool(self.median_change or self.iqr_change or self.consensus_changed)

    @property
    def sensitive(self) -> bool:
        """Another consensus definition would give this item a different status."""
        return any(value != self.result.consensus for value in self.definitions.values())


def distribution_bars(counts: list[int]) -> tuple[Bar, ...]:
    """One bar per scale point: its share of the answers and its height against the tallest."""
    tallest = max(counts, default=0)
    return tuple(
        Bar(
            point=point,
            count=count,
            percent=percent,
            height=stats.percent_half_up(count, tallest) or 0,
        )
        for point, (count, percent) in enumerate(
            zip(counts, stats.distribution_percents(counts), strict=True), start=1
        )
    )


# The questionnaire's order: domain by domain (statements without a domain last), then the
# items' order; a statement added while building a round stands with its domain.
RESULT_ORDER = (
    F("item__statement__domain__order").asc(nulls_last=True),
    "item__statement__domain_id",
    "item__order",
    "item__pk",
    "criterion",
)


def item_results_for_round(delphi_round: Round) -> list[ItemResult]:
    """The round's frozen results with their statements and domains, in questionnaire order.

    One query.
    """
    return list(
        ItemResult.objects.filter(item__delphi_round=delphi_round)
        .select_related("item__statement__domain")
        .order_by(*RESULT_ORDER)
    )


@dataclass(frozen=True)
class DomainGroup:
    domain: Domain | None
    rows: list[ResultRow]


def rows_by_domain(rows: Iterable[ResultRow]) -> list[DomainGroup]:
    """Rows grouped by their statement's domain, domains in the study's order, none last."""
    groups: dict[int | None, DomainGroup] = {}
    for row in rows:
        domain = row.domain
        key = domain.pk if domain is not None else None
        groups.setdefault(key, DomainGroup(domain, [])).rows.append(row)
    return sorted(
        groups.values(),
        key=lambda g: (
            g.domain is None,
            g.domain.order if g.domain else 0,
            g.domain and g.domain.pk,
        ),
    )


def filter_rows(
    rows: Iterable[ResultRow],
    *,
    consensus: str = "",
    changed: bool = False,
    band: str = "",
) -> list[ResultRow]:
    """Rows matching the page's filters: consensus 'yes'/'no', changed only, one band code."""
    selected = []
    for row in rows:
        if consensus == "no" and row.result.consensus:
            continue
        if consensus == "yes" and not row.result.consensus:
            continue
        if changed and not row.changed:
            continue
        if band and row.result.band != band:
            continue
        selected.append(row)
    return selected
