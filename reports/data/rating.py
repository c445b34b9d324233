"""The report of a closed rating (or confirmation) round."""

from dataclasses import dataclass, field

from analysis import selectors
from analysis.selectors import DomainGroup, ResultRow, RoundResults
from panels.models import Study
from rounds.models import Round

from .facts import ReportUnavailable, RoundFacts, round_facts, round_for_report
from .method import StudyMethod, WorkedExample, active_band_labels, study_method, worked_example


@dataclass(frozen=True)
class Moves:
    """How many compared statements saw a figure go up, down or stay (no figure: left out)."""

    up: int
    down: int
    same: int


def _moves(changes) -> Moves:
    known = [change for change in changes if change is not None]
    return Moves(
        up=sum(1 for change in known if change > 0),
        down=sum(1 for change in known if change < 0),
        same=sum(1 for change in known if change == 0),
    )


@dataclass
class RatingRoundReport:
    """Everything a rating (or confirmation) round's report shows, in the active language.

    `groups` are the results by domain (as on the results page), `without_consensus` the
    statements that did not reach consensus, `reached` and `lost` the statements whose
    consensus changed since the previous round.
    """

    study: Study
    facts: RoundFacts
    method: StudyMethod
    results: RoundResults
    groups: list[DomainGroup]
    without_consensus: list[ResultRow]
    example: WorkedExample | None
    band_labels: dict[str, str]
    # Criterion code -> label (confirmation rounds rate on several criteria).
    criterion_labels: dict[str, str] = field(default_factory=dict)

    @property
    def delphi_round(self) -> Round:
        return self.facts.delphi_round

    @property
    def previous_round(self) -> Round | None:
        return self.delphi_round.previous_round if self.results.has_previous else None

    @property
    def compared(self) -> list[ResultRow]:
        return [row for row in self.results.rows if row.previous is not None]

    @property
    def reached(self) -> list[ResultRow]:
        return [row for row in self.compared if row.result.consensus and row.consensus_changed]

    @property
    def lost(self) -> list[ResultRow]:
        return [row for row in self.compared if not row.result.consensus and row.consensus_changed]

    @property
    def median_moves(self) -> Moves:
        return _moves(row.median_change for row in self.compared)

    @property
    def iqr_moves(self) -> Moves:
        return _moves(row.iqr_change for row in self.compared)

    @property
    def new_items(self) -> list[ResultRow]:
        return [row for row in self.results.rows if row.previous is None]


def rating_round_report(delphi_round: Round) -> RatingRoundReport:
    """A closed rating or confirmation round's report data; raises ReportUnavailable otherwise.

    Reuses `analysis.selectors.round_results` (frozen results, previous round, Kendall's W,
    verdict) and adds the round facts, the study's method and a worked example of the
    grouped formulas (the round's first statement with answers).
    """
    delphi_round = round_for_report(delphi_round)
    reason = selectors.results_unavailable_reason(delphi_round)
    if reason is not None:
        raise ReportUnavailable(reason)
    study = delphi_round.study
    results = selectors.round_results(delphi_round=delphi_round)
    labels = active_band_labels()
    for row in results.rows:
        # The report's language, not the study's: an English report says "High".
        row.band_label = labels.get(row.result.band, "")
    example_row = next((row for row in results.rows if row.result.n), None)
    return RatingRoundReport(
        study=study,
        facts=round_facts(delphi_round),
        method=study_method(study),
        results=results,
        groups=selectors.rows_by_domain(results.rows),
        without_consensus=[row for row in results.rows if not row.result.consensus],
        example=worked_example(example_row, study=study) if example_row else None,
        band_labels=labels,
        criterion_labels={
            criterion["code"]: criterion["label"] or criterion["code"]
            for criterion in delphi_round.rating_criteria
        },
    )
