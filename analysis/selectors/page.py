"""The results page of a closed rating or confirmation round, gathered in a fixed number of
queries."""

from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _

from analysis import stats
from rounds.models import DEFAULT_CRITERION, Invitation, Round, Submission
from rounds.results import previous_results_for_round

from .attrition import AttritionCheck, attrition_check
from .measures import (
    CURRENT,
    SensitivitySummary,
    round_kendalls_w,
    round_stability,
    sensitivity,
    sensitivity_summary,
)
from .ratings import RATED_KINDS, ratings_for_rounds
from .rows import ResultRow, distribution_bars, item_results_for_round
from .rule import FrozenRule, deviation_note, frozen_rule
from .verdict import Verdict, stopping_verdict


def results_unavailable_reason(delphi_round: Round) -> str | None:
    """Why a round has no results page yet (a polite sentence), or None when it has one."""
    if delphi_round.kind not in RATED_KINDS:
        return _(
            "An open-question round has no ratings to summarise: its answers become "
            "statements in the content analysis."
        )
    if delphi_round.status != Round.Status.CLOSED:
        return _(
            "Results appear here once the round is closed. Closing freezes the figures that "
            "the next round's feedback and every report use."
        )
    return None


@dataclass(frozen=True)
class ResponseRate:
    invited: int
    submitted: int

    @property
    def percent(self) -> int | None:
        return stats.percent_half_up(self.submitted, self.invited)


@dataclass
class RoundResults:
    """Everything the results page of a closed rating or confirmation round shows."""

    delphi_round: Round
    rows: list[ResultRow]
    criteria: list[str]
    kendall: list[tuple[str, stats.KendallW]]
    response: ResponseRate
    sensitivity: SensitivitySummary
    attrition: AttritionCheck
    verdict: Verdict
    has_previous: bool
    # The rule the results were frozen under, beside the study's current rule.
    rule: FrozenRule | None = None

    @property
    def items(self) -> int:
        return len(self.rows)

    @property
    def with_consensus(self) -> int:
        return sum(1 for row in self.rows if row.result.consensus)

    @property
    def consensus_share(self) -> int | None:
        return stats.percent_half_up(self.with_consensus, self.items)

    @property
    def with_current_rule(self) -> int:
        """Statements with consensus under the study's current threshold (sensitivity view)."""
        if self.rule is None or not self.rule.threshold_changed:
            return self.with_consensus
        return sum(1 for row in self.rows if row.definitions.get(CURRENT, False))

    @property
    def deviation_note(self) -> str:
        """The labelled deviation sentence, or "" when the rule has not changed."""
        if self.rule is None or not self.rule.changed:
            return ""
        return deviation_note(self.rule, with_current=self.with_current_rule, items=self.items)

    @property
    def several_criteria(self) -> bool:
        return len(self.criteria) > 1


def _submitted_experts(round_ids: list[int]) -> dict[int, dict[int, str]]:
    found: dict[int, dict[int, str]] = {pk: {} for pk in round_ids}
    rows = Submission.objects.filter(
        delphi_round_id__in=round_ids, status=Submission.Status.SUBMITTED
    ).values_list("delphi_round_id", "expert_id", "expert__code")
    for round_id, expert_id, code in rows:
        found[round_id][expert_id] = code
    return found


def _invited(delphi_round: Round) -> int:
    return Invitation.objects.filter(delphi_round=delphi_round).count()


def round_results(*, delphi_round: Round) -> RoundResults:
    """The results page's content for a closed rating or confirmation round.

    Six queries whatever the number of statements and experts: the frozen results (with
    statements and domains), the previous round's frozen results, the submitted ratings of
    both rounds, the submitted experts of both rounds, the number invited. `delphi_round`
    must come with its study and previous round loaded (select_related) to stay at six.
    """
    study = delphi_round.study
    previous_round = delphi_round.previous_round if delphi_round.previous_round_id else None
    points = study.scale_points
    band_labels = stats.BAND_LABELS.get(study.language, stats.BAND_LABELS_EN)

    results = item_results_for_round(delphi_round)
    previous = previous_results_for_round(delphi_round)
    round_ids = [delphi_round.pk] + ([previous_round.pk] if previous_round else [])
    ratings = ratings_for_rounds(round_ids)
    submitted = _submitted_experts(round_ids)

    same_panel = previous_round is not None and previous_round.panel_id == delphi_round.panel_id
    stability = (
        round_stability(ratings, delphi_round=delphi_round, results=results, points=points)
        if same_panel
        else {}
    )
    rule = frozen_rule(results, study)
    definitions = sensitivity(results, study=study, rule=rule)
    agreement = (
        stats.percent_agreement(np.asarray([r.counts for r in results], dtype=np.int64))
        if results
        else []
    )

    rows = []
    for j, result in enumerate(results):
        key = (result.item.statement_id, result.criterion)
        rows.append(
            ResultRow(
                result=result,
                number=result.item.statement.code,
                band_label=band_labels.get(result.band, ""),
                bars=distribution_bars(result.counts),
                previous=previous.get(key),
                stability=stability.get(key),
                percent_agreement=None if np.isnan(agreement[j]) else float(agreement[j]),
                definitions=definitions[j],
            )
        )

    criteria = list(dict.fromkeys(result.criterion for result in results))
    with_consensus = sum(1 for result in results if result.consensus)
    return RoundResults(
        delphi_round=delphi_round,
        rows=rows,
        criteria=criteria or [DEFAULT_CRITERION],
        kendall=round_kendalls_w(
            ratings, delphi_round=delphi_round, results=results, points=points
        ),
        response=ResponseRate(
            invited=_invited(delphi_round), submitted=len(submitted[delphi_round.pk])
        ),
        sensitivity=sensitivity_summary(rows, study, rule),
        attrition=attrition_check(
            ratings,
            delphi_round=delphi_round,
            previous_round=previous_round,
            previous=previous,
            submitted=submitted,
        ),
        verdict=stopping_verdict(
            study=study,
            items=len(results),
            with_consensus=with_consensus,
            stability=[row.stability for row in rows],
        ),
        has_previous=bool(previous),
        rule=rule,
    )
