"""Frozen results: the Django side of the analysis.

Reads the ratings of a round from the database, hands plain counts to `analysis.stats` (the
only place a median or an IQR is computed) and stores what it returns as `ItemResult` rows.
Feedback to experts and every report read those rows, so a figure the committee has seen
never changes unless the round is frozen again on purpose.
"""

from collections import defaultdict
from decimal import Decimal

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from analysis import stats
from panels.models import Expert
from rounds.models import CANNOT_JUDGE, DEFAULT_CRITERION, ItemResult, Rating, Round, Submission

METHOD = "grouped"
_HUNDREDTH = Decimal("0.01")


def _decimal(value: float) -> Decimal | None:
    # The stats values are already rounded half-up to two decimals; going through repr
    # keeps 4.13 as 4.13 instead of the binary float's 4.12999…
    if np.isnan(value):
        return None
    return Decimal(repr(float(value))).quantize(_HUNDREDTH)


def _optional_float(value) -> float | None:
    return None if value is None or np.isnan(value) else float(value)


def frozen_rule(study) -> dict:
    """The rule a freeze applies, as ItemResult.rule keeps it (JSON; decimals as exact text).

    The consensus statistic and its threshold, the band cut-offs, the number of scale points
    and the method: enough to say under which rule a frozen verdict was reached, whatever the
    study's rule is today.
    """
    return {
        "statistic": "iqr",
        "threshold": str(study.consensus_iqr_threshold),
        "cutoffs": [str(cutoff) for cutoff in study.band_cutoffs],
        "points": study.scale_points,
        "method": METHOD,
    }


@transaction.atomic
def round_results_freeze(*, delphi_round: Round) -> int:
    """Replace the round's ItemResult rows with fresh ones; return how many were written.

    One row per round item and criterion, from the SUBMITTED submissions only (drafts are
    not answers yet); "cannot judge" (value 0) is left out of every statistic and counted
    in ``extra["cannot_judge"]``. Criteria are the ordinary rating criterion for a rating
    round plus every criterion the answers name (a confirmation round names its own); an
    item nobody rated gets a row with n = 0 and no median. Uses the study's scale points,
    band cut-offs and consensus threshold, the grouped-data method, and a fixed number of
    queries whatever the number of items; each row keeps that rule (`frozen_rule`). Raises
    ValidationError("off_scale") when an answer lies outside the study's scale.
    """
    # Lock the round: two freezes at once would both delete, then both insert and collide
    # on the one-result-per-item constraint. The same query brings the study's settings.
    delphi_round = Round.objects.select_for_update().select_related("study").get(pk=delphi_round.pk)
    study = delphi_round.study
    points = study.scale_points
    item_ids = list(delphi_round.items.order_by("order", "pk").values_list("pk", flat=True))

    tally = (
        Rating.objects.filter(
            submission__delphi_round=delphi_round,
            submission__status=Submission.Status.SUBMITTED,
        )
        .values("item_id", "criterion", "value")
        .annotate(answers=Count("pk"))
        .order_by()
    )
    counts: dict[str, dict[int, list[int]]] = defaultdict(dict)
    cannot_judge: dict[tuple[int, str], int] = defaultdict(int)
    for row in tally:
        per_item = counts[row["criterion"]].setdefault(row["item_id"], [0] * points)
        if row["value"] == CANNOT_JUDGE:
            cannot_judge[(row["item_id"], row["criterion"])] += row["answers"]
        elif 1 <= row["value"] <= points:
            per_item[row["value"] - 1] += row["answers"]
        else:
            # The database allows up to 10 so a study may change its scale; an answer off
            # this study's scale (e.g. the scale was shortened after answers came in) must
            # stop the freeze rather than be left out of the figures silently.
            raise ValidationError(
                _(
                    "An answer of %(value)s lies outside this study's scale of 1 to "
                    "%(points)s, so the results cannot be computed. Check the scale labels."
                ),
                code="off_scale",
                params={"value": row["value"], "points": points},
            )

    criteria = set(counts)
    if delphi_round.kind == Round.Kind.CONFIRMATION and (delphi_round.criteria or not criteria):
        # Every criterion the round asks about gets its rows, even one nobody answered.
        criteria |= set(delphi_round.criterion_codes)
    elif delphi_round.kind == Round.Kind.RATING or not criteria:
        criteria.add(DEFAULT_CRITERION)

    rule = frozen_rule(study)
    results = []
    for criterion in sorted(criteria):
        matrix = np.array(
            [counts[criterion].get(pk, [0] * points) for pk in item_ids], dtype=np.int64
        ).reshape(len(item_ids), points)
        summary = stats.summarize_count_matrix(
            matrix,
            points=points,
            cutoffs=tuple(float(c) for c in study.band_cutoffs),
            threshold=float(study.consensus_iqr_threshold),
            method=METHOD,
        )
        agreement = stats.percent_agreement(matrix)
        for j, item_id in enumerate(item_ids):
            mean, sd = stats.mean_sd(matrix[j].tolist())
            results.append(
                ItemResult(
                    item_id=item_id,
                    criterion=criterion,
                    n=int(summary.n[j]),
                    counts=matrix[j].tolist(),
                    median=_decimal(summary.median[j]),
                    q1=_decimal(summary.q1[j]),
                    q3=_decimal(summary.q3[j]),
                    iqr=_decimal(summary.iqr[j]),
                    band=summary.band[j] or "",
                    consensus=bool(summary.consensus[j]),
                    method=METHOD,
                    rule=rule,
                    extra={
                        # Share of answers in the top two points, in percent.
                        "percent_agreement": _optional_float(agreement[j]),
                        "mean": mean,
                        "sd": sd,
                        "cannot_judge": cannot_judge[(item_id, criterion)],
                    },
                )
            )

    ItemResult.objects.filter(item__delphi_round=delphi_round).delete()
    ItemResult.objects.bulk_create(results)
    return len(results)


def previous_results_for_round(delphi_round: Round) -> dict[tuple[int, str], ItemResult]:
    """The previous round's frozen results keyed by (statement id, criterion); one query.

    Keyed by statement because the same statement is a different RoundItem in each round.
    Empty when the round has no previous round or that round was never frozen.
    """
    if delphi_round.previous_round_id is None:
        return {}
    results = ItemResult.objects.filter(
        item__delphi_round_id=delphi_round.previous_round_id
    ).select_related("item")
    return {(result.item.statement_id, result.criterion): result for result in results}


def previous_ratings_for_expert(delphi_round: Round, expert: Expert) -> dict[tuple[int, str], int]:
    """The expert's submitted answers in the previous round, keyed by (statement id, criterion).

    One query (none without a previous round). A value of 0 (`CANNOT_JUDGE`) means the
    expert chose "cannot judge"; an unsubmitted draft of the previous round counts as no
    answer, as it does in the frozen statistics.
    """
    if delphi_round.previous_round_id is None:
        return {}
    rows = Rating.objects.filter(
        submission__delphi_round_id=delphi_round.previous_round_id,
        submission__expert=expert,
        submission__status=Submission.Status.SUBMITTED,
    ).values_list("item__statement_id", "criterion", "value")
    return {(statement_id, criterion): value for statement_id, criterion, value in rows}
