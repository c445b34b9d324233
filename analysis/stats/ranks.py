"""The rank-based measures: Kendall's W within a round, and stability between two rounds
(Wilcoxon signed-rank). scipy gives their p-values and is imported lazily, inside the two
functions that need it, so that importing `analysis.stats` stays light."""

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from .options import DEFAULT_POINTS
from .ratings import clean_ratings


@dataclass(frozen=True)
class KendallW:
    """Kendall's coefficient of concordance for one round.

    ``w`` is ``None`` when undefined (fewer than 2 complete experts or 2 items, or every
    expert tied all items). ``chi2 = m (n - 1) W`` with ``df = n - 1``; ``p_value`` is its
    upper-tail probability (reliable for n > 7; use exact tables below). ``dropped`` counts
    experts left out because they did not answer every item.
    """

    w: float | None
    experts: int
    items: int
    chi2: float | None
    df: int
    p_value: float | None
    dropped: int


def _doubled_ranks(ratings: np.ndarray, points: int) -> tuple[np.ndarray, int]:
    """Twice the mid-ranks within each row (ties share their average), and sum of t^3 - t.

    For integer ratings the mid-rank of value v is (#values < v) + (#values == v + 1) / 2,
    so doubling keeps everything integral.
    """
    per_value = np.stack([np.count_nonzero(ratings == k, axis=1) for k in range(1, points + 1)], 1)
    below = np.cumsum(per_value, axis=1) - per_value
    doubled = np.take_along_axis(2 * below + per_value + 1, ratings - 1, axis=1)
    ties = int((per_value**3 - per_value).sum())
    return doubled, ties


def kendalls_w(matrix: Any, *, points: int = DEFAULT_POINTS) -> KendallW:
    """Kendall's W for an experts x items ratings matrix, ranks within each expert's row.

    W = 12 S / (m^2 (n^3 - n) - m sum(T)), S = sum_j (R_j - m (n + 1) / 2)^2, where m experts
    rank n items (mid-ranks for ties), R_j is item j's rank sum and T = sum(t^3 - t) over
    each expert's groups of t tied items. Experts with any missing answer (0/NaN) are left
    out. Kendall & Babington Smith (1939), Ann. Math. Statist. 10(3):275-287; Siegel &
    Castellan (1988), Nonparametric Statistics for the Behavioral Sciences, 2nd ed., 9.4.
    """
    ratings = clean_ratings(matrix, points)
    complete = ratings[(ratings > 0).all(axis=1)]
    m, n = complete.shape
    dropped = ratings.shape[0] - m
    if m < 2 or n < 2:
        return KendallW(None, m, n, None, max(n - 1, 0), None, dropped)
    doubled, ties = _doubled_ranks(complete, points)
    s = Fraction(int(((doubled.sum(axis=0) - m * (n + 1)) ** 2).sum()), 4)
    denominator = m * m * (n**3 - n) - m * ties
    if denominator == 0:
        return KendallW(None, m, n, None, n - 1, None, dropped)
    w = 12 * s / denominator
    chi2 = float(m * (n - 1) * w)
    from scipy.stats import chi2 as chi2_dist  # lazy: keeps importing this module light

    return KendallW(float(w), m, n, chi2, n - 1, float(chi2_dist.sf(chi2, n - 1)), dropped)


@dataclass(frozen=True)
class ItemStability:
    """Stability of one item between rounds r and r + 1.

    ``pairs``: experts who answered the item in both rounds; ``changed``: how many of them
    gave a different answer; ``changed_share = changed / pairs`` (0..1, ``None`` without
    pairs); ``p_value``: two-sided Wilcoxon signed-rank test of the paired answers
    (``None`` when there is no pair or no answer changed).
    """

    pairs: int
    changed: int
    changed_share: float | None
    p_value: float | None


def stability(
    before: Any, after: Any, *, points: int = DEFAULT_POINTS
) -> tuple[ItemStability, ...]:
    """Per-item stability between two rounds from paired experts x items matrices.

    Row i of both matrices must be the same expert. changed_share = #(x != y) / #pairs over
    experts who answered both rounds; p-value from ``scipy.stats.wilcoxon(x, y)`` (zero
    differences dropped, scipy's default). Dajani, Sincoff & Talley (1979), Technol.
    Forecast. Soc. Change 13(1):83-90; von der Gracht (2012), TFSC 79(8):1525-1536.
    """
    first = clean_ratings(before, points)
    second = clean_ratings(after, points)
    if first.shape != second.shape:
        raise ValueError(f"rounds must have the same shape, got {first.shape} and {second.shape}")
    both = (first > 0) & (second > 0)
    return tuple(
        _item_stability(first[both[:, j], j], second[both[:, j], j]) for j in range(first.shape[1])
    )


def _item_stability(x: np.ndarray, y: np.ndarray) -> ItemStability:
    pairs = len(x)
    changed = int(np.count_nonzero(x != y))
    if pairs == 0:
        return ItemStability(0, 0, None, None)
    p_value = _wilcoxon_p(x, y) if changed else None
    return ItemStability(pairs, changed, changed / pairs, p_value)


def _wilcoxon_p(x: np.ndarray, y: np.ndarray) -> float | None:
    from scipy.stats import wilcoxon  # lazy: keeps importing this module light

    p_value = float(wilcoxon(x, y).pvalue)
    return None if math.isnan(p_value) else p_value
