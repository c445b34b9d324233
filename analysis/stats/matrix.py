"""Every statement of a round at once: :func:`summarize_counts` vectorised with integer
arithmetic, with identical results column by column."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .bands import BANDS, DEFAULT_CUTOFFS
from .grouped import QUANTILES, ItemSummary, summarize_counts
from .options import DEFAULT_POINTS, DEFAULT_THRESHOLD, SummaryOptions, summary_options
from .ratings import count_ratings

# Index len(BANDS) stands for "no answers", so banding stays a single np.take.
_BAND_TABLE = np.array([*BANDS, None], dtype=object)


@dataclass(frozen=True, eq=False)
class RatingsSummary:
    """Per-item results of :func:`summarize_ratings`, one array entry per item (statement).

    ``n`` (int), ``median``, ``q1``, ``q3``, ``iqr`` (float, rounded half-up to 2 decimals,
    NaN where n == 0), ``band`` (object array of band codes / None), ``consensus`` (bool),
    ``counts`` (items x points int). Arrays are read-only. ``item(j)`` gives the full
    :class:`ItemSummary` of item j, trace included.
    """

    n: np.ndarray
    median: np.ndarray
    q1: np.ndarray
    q3: np.ndarray
    iqr: np.ndarray
    band: np.ndarray
    consensus: np.ndarray
    counts: np.ndarray
    method: str
    points: int
    cutoffs: tuple[Any, ...]
    threshold: Any

    def __len__(self) -> int:
        return len(self.n)

    def item(self, j: int) -> ItemSummary:
        """Full summary (with trace) of item ``j``; identical numbers to the arrays."""
        return summarize_counts(
            self.counts[j],
            points=self.points,
            cutoffs=self.cutoffs,
            threshold=self.threshold,
            method=self.method,
        )


def summarize_ratings(
    matrix: Any,
    *,
    points: int = DEFAULT_POINTS,
    cutoffs: Sequence[Any] = DEFAULT_CUTOFFS,
    threshold: Any = DEFAULT_THRESHOLD,
    method: str = "grouped",
) -> RatingsSummary:
    """:func:`summarize_counts` for every column of an experts x items ratings matrix.

    0 or NaN = no answer. Same formulas, rounding and options as :func:`summarize_counts`,
    with identical results column by column, but vectorised with integer arithmetic.
    """
    opts = summary_options(points, cutoffs, threshold, method)
    return _summarize_matrix(count_ratings(matrix, points=opts.points), opts)


def summarize_count_matrix(
    counts: Any,
    *,
    points: int = DEFAULT_POINTS,
    cutoffs: Sequence[Any] = DEFAULT_CUTOFFS,
    threshold: Any = DEFAULT_THRESHOLD,
    method: str = "grouped",
) -> RatingsSummary:
    """:func:`summarize_ratings` from an items x points counts array (e.g. a database tally)."""
    opts = summary_options(points, cutoffs, threshold, method)
    table = np.asarray(counts)
    if table.ndim != 2 or table.shape[1] != opts.points:
        raise ValueError(f"counts must be an items x {opts.points} array, got {table.shape}")
    if table.dtype.kind not in "iu" or (table < 0).any():
        raise ValueError("counts must be whole numbers >= 0")
    return _summarize_matrix(table.astype(np.int64), opts)


def _grouped_hundredths(counts: np.ndarray, n: np.ndarray) -> dict[str, tuple[Any, Any]]:
    """Exact 100 * value as (numerator, denominator) integer arrays, per quantile.

    With k0 = k - 1 (0-based class) and 4p = quarters * N, value = k0 + 1/2 + (4p - 4F)/(4f),
    so 100 * value = ((100 k0 + 50) f + 25 (4p - 4F)) / f: all integers.
    """
    cumulative = np.cumsum(counts, axis=1)
    below = cumulative - counts
    out = {}
    for name, quarters in QUANTILES:
        target = quarters * n  # 4p, an integer
        k0 = np.count_nonzero(4 * cumulative < target[:, None], axis=1)
        big_f = np.take_along_axis(below, k0[:, None], axis=1)[:, 0]
        f = np.take_along_axis(counts, k0[:, None], axis=1)[:, 0]
        numerator = (100 * k0 + 50) * f + 25 * (target - 4 * big_f)
        out[name] = (numerator, np.where(f == 0, 1, f))  # f == 0 only when n == 0 (masked)
    return out


def _plain_hundredths(counts: np.ndarray, n: np.ndarray) -> dict[str, tuple[Any, Any]]:
    """Exact 100 * value of numpy's linear rule as (numerator, denominator) integer arrays.

    h = (N - 1) q = j + r/4 (0-based), value = x_j + (r/4) (x_(j+1) - x_j) on sorted answers.
    """
    cumulative = np.cumsum(counts, axis=1)
    out = {}
    for name, quarters in QUANTILES:
        j, r = np.divmod((n - 1) * quarters, 4)
        low = 1 + np.count_nonzero(cumulative <= j[:, None], axis=1)
        high = 1 + np.count_nonzero(cumulative <= (j + 1)[:, None], axis=1)
        out[name] = (400 * low + 100 * r * (high - low), np.full_like(n, 4))
    return out


def _round_ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    # Half-up rounding of a non-negative ratio in integers: floor((2a + b) / 2b).
    return (2 * numerator + denominator) // (2 * denominator)


def _summarize_matrix(counts: np.ndarray, opts: SummaryOptions) -> RatingsSummary:
    n = counts.sum(axis=1)
    exact = (_grouped_hundredths if opts.method == "grouped" else _plain_hundredths)(counts, n)
    (a1, b1), (a3, b3) = exact["q1"], exact["q3"]
    median_h = _round_ratio(*exact["median"])
    iqr_h = _round_ratio(a3 * b1 - a1 * b3, b1 * b3)
    empty = n == 0
    band_index = np.searchsorted(np.asarray(opts.cutoffs_h), median_h, side="left")
    band_index[empty] = len(BANDS)
    arrays = {
        "n": n,
        "median": _to_float(median_h, empty),
        "q1": _to_float(_round_ratio(a1, b1), empty),
        "q3": _to_float(_round_ratio(a3, b3), empty),
        "iqr": _to_float(iqr_h, empty),
        "band": _BAND_TABLE.take(band_index),
        "consensus": (iqr_h <= opts.threshold_h) & ~empty,
        "counts": counts,
    }
    for value in arrays.values():
        value.flags.writeable = False
    return RatingsSummary(
        **arrays,
        method=opts.method,
        points=opts.points,
        cutoffs=opts.cutoffs,
        threshold=opts.threshold,
    )


def _to_float(hundredths: np.ndarray, empty: np.ndarray) -> np.ndarray:
    # int / 100 is one correctly rounded division: the same float as float(Fraction(h, 100)).
    values = hundredths / 100
    values[empty] = np.nan
    return values
