"""What a round's sheets show, read once: the frozen results with their labels and traces."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from analysis import stats
from analysis.selectors import (
    RATED_KINDS,
    FrozenRule,
    frozen_rule,
    item_results_for_round,
    round_kendalls_w,
)
from reports import data as report_data
from reports.csv import RatingsTable, ratings_table
from rounds.models import ItemResult, Round
from rounds.results import previous_results_for_round

from .cells import cell_text


@dataclass
class WorkbookItem:
    """One frozen result with the previous round's, its label (S01…) and its trace."""

    result: ItemResult
    previous: ItemResult | None
    label: str
    trace: tuple[stats.QuantileTrace, ...]

    @property
    def statement(self):
        return self.result.item.statement


@dataclass
class RoundData:
    """What a round's sheets show. Figures are the frozen ItemResult rows; Kendall's W comes
    from `analysis.selectors.round_kendalls_w`, as on the results page."""

    delphi_round: Round
    facts: report_data.RoundFacts
    table: RatingsTable
    items: list[WorkbookItem]
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
    def rule(self) -> FrozenRule:
        """The rule the results were frozen under, beside the study's current rule."""
        return frozen_rule([item.result for item in self.items], self.delphi_round.study)

    @property
    def with_current_rule(self) -> int:
        """Statements whose frozen IQR meets the study's current threshold on every criterion
        (the sensitivity view of a protocol deviation)."""
        limit = self.rule.current_threshold
        agreed: dict[int, bool] = {}
        for item in self.items:
            iqr = item.result.iqr
            met = item.result.n > 0 and iqr is not None and iqr <= limit
            agreed[item.result.item_id] = agreed.get(item.result.item_id, True) and met
        return sum(agreed.values())

    @property
    def consensus_share(self) -> int | None:
        # Half-up, as on the results page.
        return stats.percent_half_up(self.with_consensus, self.statements)


def round_data(delphi_round: Round, facts: report_data.RoundFacts | None = None) -> RoundData:
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
            WorkbookItem(
                result=result,
                previous=previous.get((result.item.statement_id, result.criterion)),
                label=label,
                trace=trace,
            )
        )
    return RoundData(
        delphi_round=delphi_round, facts=facts, table=table, items=items, kendall=kendall
    )


def check_reportable(delphi_round: Round) -> None:
    if delphi_round.kind not in RATED_KINDS or delphi_round.status != Round.Status.CLOSED:
        raise ValueError(
            f"Round {delphi_round.number} is not a closed rating or confirmation round: "
            "it has no frozen results to report."
        )


def criterion_header(data: RoundData) -> list[str]:
    return [_("Criterion")] if data.several_criteria else []


def criterion_label(data: RoundData, code: str) -> str:
    """The criterion as the researcher named it (e.g. ความเหมาะสม), not its code."""
    labels = {c["code"]: c["label"] for c in data.delphi_round.rating_criteria}
    return labels.get(code) or code


def criterion_cell(data: RoundData, item: WorkbookItem) -> list:
    if not data.several_criteria:
        return []
    return [cell_text(criterion_label(data, item.result.criterion))]
