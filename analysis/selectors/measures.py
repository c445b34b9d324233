"""What is not frozen: stability between rounds, Kendall's W and the other consensus
definitions (sensitivity)."""

from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _

from analysis import stats
from panels.models import Study
from rounds.models import ItemResult, Round

from .percent import format_percent
from .ratings import RoundRatings
from .rows import ResultRow
from .rule import FrozenRule, frozen_rule, iqr_rule_label

# The consensus definitions the sensitivity view compares (stats.CONSENSUS_RULES plus
# percent agreement alone, the most common definition in the Delphi literature).
IQR = "iqr"

IQR_AND_AGREEMENT = "iqr_and_agreement"

AGREEMENT = "agreement"

DEFINITIONS = (IQR, IQR_AND_AGREEMENT, AGREEMENT)

# The study's current rule, shown only when it differs from the frozen one (a deviation).
CURRENT = "current"


def round_stability(
    ratings: RoundRatings,
    *,
    delphi_round: Round,
    results: list[ItemResult],
    points: int,
) -> dict[tuple[int, str], stats.ItemStability]:
    """Per item (statement, criterion): who changed their answer since the previous round.

    Experts are paired by identity across the two rounds (`analysis.stats.stability`);
    empty when there is no previous round.
    """
    previous_id = delphi_round.previous_round_id
    if previous_id is None:
        return {}
    experts = np.unique(ratings.expert_ids)
    found = {}
    for criterion, statements in _statements_by_criterion(results).items():
        before = ratings.matrix(
            round_id=previous_id, criterion=criterion, experts=experts, statements=statements
        )
        after = ratings.matrix(
            round_id=delphi_round.pk, criterion=criterion, experts=experts, statements=statements
        )
        measured = stats.stability(before, after, points=points)
        found.update(
            ((statement, criterion), item)
            for statement, item in zip(statements, measured, strict=True)
        )
    return found


def round_kendalls_w(
    ratings: RoundRatings, *, delphi_round: Round, results: list[ItemResult], points: int
) -> list[tuple[str, stats.KendallW]]:
    """Kendall's W of the round for each criterion, over the experts who submitted it."""
    experts = ratings.experts_of(delphi_round.pk)
    return [
        (
            criterion,
            stats.kendalls_w(
                ratings.matrix(
                    round_id=delphi_round.pk,
                    criterion=criterion,
                    experts=experts,
                    statements=statements,
                ),
                points=points,
            ),
        )
        for criterion, statements in _statements_by_criterion(results).items()
    ]


def _statements_by_criterion(results: list[ItemResult]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for result in results:
        found.setdefault(result.criterion, []).append(result.item.statement_id)
    return found


def sensitivity(
    results: list[ItemResult], *, study: Study, rule: FrozenRule | None = None
) -> list[dict[str, bool]]:
    """Each result's consensus under every definition of DEFINITIONS, from its frozen counts.

    The IQR definitions use the threshold the results were frozen under (`rule`), so "IQR
    alone" agrees with the frozen verdict; when the study's threshold changed since (a
    protocol deviation), CURRENT adds the verdict under today's threshold. IQR alone and IQR
    with agreement go through `stats.apply_consensus_rule`, agreement alone through
    `stats.agreement_reached`, with the study's agreement threshold. One dict per result.
    """
    if not results:
        return []
    rule = rule or frozen_rule(results, study)
    counts = np.asarray([result.counts for result in results], dtype=np.int64)
    summary = stats.summarize_count_matrix(
        counts,
        points=counts.shape[1],
        cutoffs=rule.cutoffs,
        threshold=rule.threshold,
        method=results[0].method,
    )
    by_definition = {
        IQR: stats.apply_consensus_rule(summary, rule="iqr", threshold=rule.threshold),
        IQR_AND_AGREEMENT: stats.apply_consensus_rule(
            summary,
            rule="iqr_and_agreement",
            threshold=rule.threshold,
            agreement_threshold=study.agreement_threshold,
        ),
        AGREEMENT: stats.agreement_reached(counts, threshold=study.agreement_threshold),
    }
    if rule.threshold_changed:
        by_definition[CURRENT] = stats.apply_consensus_rule(
            summary, rule="iqr", threshold=rule.current_threshold
        )
    return [
        {name: bool(values[j]) for name, values in by_definition.items()}
        for j in range(len(results))
    ]


@dataclass(frozen=True)
class SensitivitySummary:
    """How many items reach consensus under each definition, and which change status.

    `labels` holds DEFINITIONS in order, then CURRENT after a deviation of the threshold.
    """

    labels: dict[str, str]
    counts: dict[str, int]
    changing: list[ResultRow]

    @property
    def per_definition(self) -> list[tuple[str, int]]:
        """(label, number of items with consensus) in the order of `labels`."""
        return [(label, self.counts[name]) for name, label in self.labels.items()]


def definition_labels(study: Study, rule: FrozenRule | None = None) -> dict[str, str]:
    threshold = rule.threshold if rule is not None else study.consensus_iqr_threshold
    agreement = format_percent(study.agreement_threshold)
    labels = {
        IQR: iqr_rule_label(threshold),
        IQR_AND_AGREEMENT: _("IQR ≤ %(threshold)s and agreement ≥ %(agreement)s %%")
        % {"threshold": threshold, "agreement": agreement},
        AGREEMENT: _("Agreement ≥ %(agreement)s %% alone") % {"agreement": agreement},
    }
    if rule is not None and rule.threshold_changed:
        labels[CURRENT] = _("Current rule after the deviation: %(rule)s") % {
            "rule": rule.current_label
        }
    return labels


def sensitivity_summary(
    rows: list[ResultRow], study: Study, rule: FrozenRule | None = None
) -> SensitivitySummary:
    """How many rows reach consensus under each definition, and the rows whose status
    depends on the definition."""
    labels = definition_labels(study, rule)
    return SensitivitySummary(
        labels=labels,
        counts={name: sum(row.definitions.get(name, False) for row in rows) for name in labels},
        changing=[row for row in rows if row.sensitive],
    )
