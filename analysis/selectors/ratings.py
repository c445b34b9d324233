"""The submitted ratings of a round and of its previous round, column by column."""

from dataclasses import dataclass

import numpy as np

from rounds.models import Rating, Round, Submission

RATED_KINDS = (Round.Kind.RATING, Round.Kind.CONFIRMATION)


@dataclass(frozen=True)
class RoundRatings:
    """Submitted ratings of a round and of its previous round, column by column.

    ``round_ids``, ``expert_ids``, ``statement_ids``, ``values`` are int arrays and
    ``criteria`` a str array, one entry per rating; value 0 is "cannot judge".
    """

    round_ids: np.ndarray
    expert_ids: np.ndarray
    statement_ids: np.ndarray
    criteria: np.ndarray
    values: np.ndarray

    def matrix(
        self, *, round_id: int, criterion: str, experts: np.ndarray, statements: list[int]
    ) -> np.ndarray:
        """Experts x statements matrix of one round's answers; 0 where there is none.

        ``experts`` must be sorted; answers of experts or statements not listed are ignored.
        """
        matrix = np.zeros((len(experts), len(statements)), dtype=np.int64)
        if not len(experts) or not statements:
            return matrix
        mask = (self.round_ids == round_id) & (self.criteria == criterion)
        order = np.argsort(statements, kind="stable")
        sorted_statements = np.asarray(statements, dtype=np.int64)[order]
        expert_pos = np.searchsorted(experts, self.expert_ids[mask])
        statement_pos = np.searchsorted(sorted_statements, self.statement_ids[mask])
        expert_pos = np.minimum(expert_pos, len(experts) - 1)
        statement_pos = np.minimum(statement_pos, len(statements) - 1)
        known = (experts[expert_pos] == self.expert_ids[mask]) & (
            sorted_statements[statement_pos] == self.statement_ids[mask]
        )
        matrix[expert_pos[known], order[statement_pos[known]]] = self.values[mask][known]
        return matrix

    def experts_of(self, round_id: int) -> np.ndarray:
        return np.unique(self.expert_ids[self.round_ids == round_id])


def ratings_for_rounds(round_ids: list[int]) -> RoundRatings:
    """Every submitted rating of the given rounds as (round, expert, statement, criterion,
    value) columns. One query; drafts are not answers yet, as in the frozen results.
    """
    rows = list(
        Rating.objects.filter(
            submission__delphi_round_id__in=round_ids,
            submission__status=Submission.Status.SUBMITTED,
        )
        .order_by()
        .values_list(
            "submission__delphi_round_id",
            "submission__expert_id",
            "item__statement_id",
            "criterion",
            "value",
        )
    )
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return RoundRatings(empty, empty, empty, np.zeros(0, dtype=str), empty)
    rounds, experts, statements, criteria, values = zip(*rows, strict=True)
    return RoundRatings(
        np.asarray(rounds, dtype=np.int64),
        np.asarray(experts, dtype=np.int64),
        np.asarray(statements, dtype=np.int64),
        np.asarray(criteria, dtype=str),
        np.asarray(values, dtype=np.int64),
    )
