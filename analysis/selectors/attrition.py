"""Whether the experts who left after the previous round held minority views in it."""

from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from analysis import stats
from rounds.models import ItemResult, Round

from .ratings import RATED_KINDS, RoundRatings

# Leavers whose share of minority answers differs from the stayers' by more than this many
# percentage points get a remark; smaller differences are noise with panels of ~20 experts.
ATTRITION_MARGIN = 10


@dataclass(frozen=True)
class AttritionCheck:
    """Whether experts who left after the previous round held minority views in it.

    A minority answer lies outside the previous round's [Q1, Q3] of its item. Shares are
    whole percentages of the group's answers (None when the group gave none).
    """

    applicable: bool
    previous_number: int | None = None
    left_codes: tuple[str, ...] = ()
    stayed: int = 0
    left_share: int | None = None
    stayed_share: int | None = None

    @property
    def left(self) -> int:
        return len(self.left_codes)

    @property
    def sentence(self) -> str:
        if not self.applicable:
            return _(
                "The attrition check needs a previous rating round answered by the same "
                "panel, with frozen results."
            )
        if not self.left_codes:
            return _(
                "Every expert who answered round %(number)s answered this round too: nobody "
                "left, so the panel's views cannot have narrowed through attrition."
            ) % {"number": self.previous_number}
        said = ngettext(
            "%(count)s expert who answered round %(number)s did not answer this round (%(codes)s).",
            "%(count)s experts who answered round %(number)s did not answer this round "
            "(%(codes)s).",
            self.left,
        ) % {
            "count": self.left,
            "number": self.previous_number,
            "codes": ", ".join(self.left_codes),
        }
        if self.left_share is None or self.stayed_share is None:
            return said
        compared = ngettext(
            "%(left_share)s %% of their round-%(number)s answers lay outside the panel's "
            "middle half (Q1 to Q3), against %(stayed_share)s %% for the %(stayed)s expert "
            "who stayed.",
            "%(left_share)s %% of their round-%(number)s answers lay outside the panel's "
            "middle half (Q1 to Q3), against %(stayed_share)s %% for the %(stayed)s experts "
            "who stayed.",
            self.stayed,
        ) % {
            "left_share": self.left_share,
            "stayed_share": self.stayed_share,
            "stayed": self.stayed,
            "number": self.previous_number,
        }
        difference = self.left_share - self.stayed_share
        if difference > ATTRITION_MARGIN:
            verdict = _(
                "Those who left held minority views more often: part of this round's "
                "consensus may come from their leaving. Say so when you report it."
            )
        elif difference < -ATTRITION_MARGIN:
            verdict = _("Those who left held minority views less often than those who stayed.")
        else:
            verdict = _("Those who left held minority views about as often as those who stayed.")
        return f"{said} {compared} {verdict}"


def attrition_check(
    ratings: RoundRatings,
    *,
    delphi_round: Round,
    previous_round: Round | None,
    previous: dict[tuple[int, str], ItemResult],
    submitted: dict[int, dict[int, str]],
) -> AttritionCheck:
    """Compare the previous round's minority answers of the experts who left with the others'.

    ``submitted`` maps a round id to {expert id: code} of its submitted submissions.
    Applicable when the previous round was rated by the same panel and has frozen results.
    """
    if (
        previous_round is None
        or previous_round.kind not in RATED_KINDS
        or previous_round.panel_id != delphi_round.panel_id
        or not previous
    ):
        return AttritionCheck(applicable=False)
    before = submitted.get(previous_round.pk, {})
    after = submitted.get(delphi_round.pk, {})
    left = sorted(set(before) - set(after), key=lambda pk: before[pk])
    stayed = set(before) & set(after)

    mask = (ratings.round_ids == previous_round.pk) & (ratings.values > 0)
    experts = ratings.expert_ids[mask]
    values = ratings.values[mask]
    ranges = [
        previous.get((statement, criterion))
        for statement, criterion in zip(
            ratings.statement_ids[mask].tolist(), ratings.criteria[mask].tolist(), strict=True
        )
    ]
    q1 = np.array([_bound(r, "q1", -np.inf) for r in ranges], dtype=float)
    q3 = np.array([_bound(r, "q3", np.inf) for r in ranges], dtype=float)
    outside = (values < q1) | (values > q3)

    def share(group: set[int]) -> int | None:
        members = np.isin(experts, list(group))
        return stats.percent_half_up(int(outside[members].sum()), int(members.sum()))

    return AttritionCheck(
        applicable=True,
        previous_number=previous_round.number,
        left_codes=tuple(before[pk] for pk in left),
        stayed=len(stayed),
        left_share=share(set(left)),
        stayed_share=share(stayed),
    )


def _bound(result: ItemResult | None, name: str, missing: float) -> float:
    # Decimal -> float is exact enough here: quartiles have two decimals, answers are whole.
    value = getattr(result, name, None) if result is not None else None
    return missing if value is None else float(value)
