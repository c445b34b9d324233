"""Delphi statistics: grouped median, quartiles, IQR, bands, consensus and related measures.

This module is the arithmetic a thesis committee re-does by hand, so it follows the seed
paper's formulas literally and keeps every intermediate value. It imports only the standard
library and numpy (scipy is imported lazily inside the two functions that need a p-value),
so it works the same from Django, a notebook or the shell.

Grouped-data method (the seed paper, after Boonchom Srisa-ard 2532 B.E., p. 68)
------------------------------------------------------------------------------
Each scale point k = 1..points is a class with lower boundary L = k - 0.5 and width i = 1.
For N answers with counts f_k and a position p:

    value = L + i * (p - F) / f

    p      = N/4 (Q1), N/2 (median), 3N/4 (Q3)
    class  = the FIRST class whose cumulative frequency is >= p
    F      = cumulative frequency below that class, f = its count
    IQR    = Q3 - Q1 (exact), then rounded

Because p > 0 whenever N >= 1, the chosen class always has f > 0: an empty class has the
same cumulative frequency as the class before it, so that earlier class would be first.

Boundary rule and ``statistics.median_grouped``: when p equals a cumulative frequency
exactly, the rule above picks the class whose top is p, giving its upper boundary k + 0.5.
CPython's ``statistics.median_grouped`` (3.12) interpolates in the class of
``sorted(data)[N // 2]``, i.e. the next non-empty class, giving its lower boundary. The two
agree when the next class is non-empty (top of k == bottom of k + 1) and differ only when
empty classes follow: for answers 1, 1, 5, 5 this module gives 1.5, ``median_grouped``
gives 4.5.

Rounding, bands and consensus
-----------------------------
Median, Q1, Q3 and IQR are computed exactly (``fractions.Fraction`` in the scalar path,
integer numerators/denominators in the vectorised path) and rounded half-up to two
decimals, the values a reader sees; the IQR is rounded once, from the exact Q3 - Q1
(not from the rounded quartiles, which can differ by 0.01). The rounded median is banded
with the cut-offs (1.49, 2.49, 3.49, 4.49): <= 1.49 least, <= 2.49 low, <= 3.49 moderate,
<= 4.49 high, else highest (Wichian Ketsingh 2538 B.E., pp. 8-11). Consensus is rounded
IQR <= 1.50 (Pranee Thongkham 2529 B.E., p. 33). Cut-offs and thresholds are read as the
decimals they are written as, so 1.50 is exactly 3/2 and never 1.5000000001.
"""

import itertools
import math
import numbers
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import numpy as np

__all__ = [
    "BANDS",
    "BAND_LABELS",
    "BAND_LABELS_EN",
    "BAND_LABELS_TH",
    "CONSENSUS_RULES",
    "DEFAULT_AGREEMENT_THRESHOLD",
    "DEFAULT_CUTOFFS",
    "DEFAULT_POINTS",
    "DEFAULT_THRESHOLD",
    "DEFAULT_TOP",
    "MEAN_CUTOFFS",
    "METHODS",
    "ItemStability",
    "ItemSummary",
    "KendallW",
    "QuantileTrace",
    "RatingsSummary",
    "agreement_reached",
    "apply_consensus_rule",
    "band_for",
    "coefficient_of_variation",
    "count_ratings",
    "kendalls_w",
    "mean_band",
    "mean_sd",
    "percent_agreement",
    "round_half_up",
    "stability",
    "summarize_count_matrix",
    "summarize_counts",
    "summarize_ratings",
]

BANDS = ("least", "low", "moderate", "high", "highest")
BAND_LABELS_EN = MappingProxyType(
    {"least": "Least", "low": "Low", "moderate": "Moderate", "high": "High", "highest": "Highest"}
)
BAND_LABELS_TH = MappingProxyType(
    {
        "least": "น้อยที่สุด",
        "low": "น้อย",
        "moderate": "ปานกลาง",
        "high": "มาก",
        "highest": "มากที่สุด",
    }
)
BAND_LABELS = MappingProxyType({"en": BAND_LABELS_EN, "th": BAND_LABELS_TH})

DEFAULT_POINTS = 5
DEFAULT_CUTOFFS = (1.49, 2.49, 3.49, 4.49)
DEFAULT_THRESHOLD = 1.50
DEFAULT_TOP = 2
DEFAULT_AGREEMENT_THRESHOLD = 70.0
METHODS = ("grouped", "plain")
CONSENSUS_RULES = ("iqr", "iqr_and_agreement")

# (name, quarters): the position is p = quarters * N / 4.
_QUANTILES = (("q1", 1), ("median", 2), ("q3", 3))
_HALF = Fraction(1, 2)
# Index len(BANDS) stands for "no answers", so banding stays a single np.take.
_BAND_TABLE = np.array([*BANDS, None], dtype=object)


# --------------------------------------------------------------------------- exact numbers


def _exact(x: Any) -> Fraction:
    """Return ``x`` as the decimal it is written as (1.49 -> 149/100, not the binary float)."""
    if isinstance(x, bool):
        raise TypeError("expected a number, got a bool")
    if isinstance(x, np.integer):
        return Fraction(int(x))
    if isinstance(x, Fraction | int | Decimal):
        return Fraction(x)
    if isinstance(x, float | np.floating):
        if not math.isfinite(x):
            raise ValueError(f"expected a finite number, got {x!r}")
        return Fraction(repr(float(x)))
    raise TypeError(f"expected a number, got {type(x).__name__}")


def round_half_up(x: Any, places: int = 2) -> Fraction:
    """Round ``x`` to ``places`` decimals, halves upwards, exactly: floor(x * 10^d + 1/2) / 10^d.

    Unlike ``round()`` (banker's rounding on binary floats), 4.125 -> 4.13 and 2.625 -> 2.63.
    Floats are read as the decimal they print as.
    """
    scale = 10**places
    return Fraction(math.floor(_exact(x) * scale + _HALF), scale)


def _floor_hundredths(x: Any) -> int:
    # A two-decimal value v satisfies v <= x exactly when 100 v <= floor(100 x).
    return math.floor(_exact(x) * 100)


def _format_exact(x: Fraction) -> str:
    """Terminating decimals as decimals (4.125), others as a fraction (13/3 ~ 4.3333)."""
    d = x.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    if d == 1:
        return format(Decimal(x.numerator) / Decimal(x.denominator), "f")
    return f"{x.numerator}/{x.denominator} (~{float(x):.4f})"


# --------------------------------------------------------------------------- options


@dataclass(frozen=True)
class _Options:
    points: int
    cutoffs: tuple[Any, ...]
    threshold: Any
    method: str
    cutoffs_h: tuple[int, ...]
    threshold_h: int


def _options(points: int, cutoffs: Sequence[Any], threshold: Any, method: str) -> _Options:
    if isinstance(points, bool) or not isinstance(points, int | np.integer) or points < 1:
        raise ValueError(f"points must be a positive whole number, got {points!r}")
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    cutoffs = tuple(cutoffs)
    if len(cutoffs) != len(BANDS) - 1:
        raise ValueError(f"cutoffs needs {len(BANDS) - 1} values (one per band border)")
    cutoffs_h = tuple(_floor_hundredths(c) for c in cutoffs)
    if any(a >= b for a, b in itertools.pairwise(cutoffs_h)):
        raise ValueError(f"cutoffs must increase, got {cutoffs!r}")
    return _Options(
        int(points), cutoffs, threshold, method, cutoffs_h, _floor_hundredths(threshold)
    )


def band_for(median: Any, *, cutoffs: Sequence[Any] = DEFAULT_CUTOFFS) -> str | None:
    """Band of a median: round half-up to 2 decimals, then the first cut-off it does not exceed.

    Defaults (seed paper, after Wichian Ketsingh 2538 B.E.): <= 1.49 'least', <= 2.49 'low',
    <= 3.49 'moderate', <= 4.49 'high', else 'highest'. ``None`` for ``None``.
    """
    if median is None:
        return None
    opts = _options(DEFAULT_POINTS, cutoffs, DEFAULT_THRESHOLD, "grouped")
    return _band_from_hundredths(round_half_up(median) * 100, opts)


# The usual Thai reading of a 5-point mean: 4.51-5.00 highest, 3.51-4.50 high,
# 2.51-3.50 moderate, 1.51-2.50 low, 1.00-1.50 least (บุญชม ศรีสะอาด / Boonchom Srisa-ard).
MEAN_CUTOFFS = (1.50, 2.50, 3.50, 4.50)


def mean_band(mean: Any) -> str | None:
    """Band of a mean of 5-point answers, rounded half-up to 2 decimals first (4.505 -> 4.51,
    'highest'; 4.50 is 'high'). ``None`` for ``None``."""
    return band_for(mean, cutoffs=MEAN_CUTOFFS)


def _band_from_hundredths(median_h: Fraction | int, opts: _Options) -> str:
    index = sum(1 for cut in opts.cutoffs_h if median_h > cut)
    return BANDS[index]


# --------------------------------------------------------------------------- single item


@dataclass(frozen=True)
class QuantileTrace:
    """One grouped quantile, with every number of ``value = L + i * (p - F) / f``.

    ``name`` is 'q1', 'median' or 'q3'; ``position`` is p; ``k`` the class (scale point)
    holding p; ``L = k - 0.5``; ``F`` the cumulative frequency below class k; ``f`` its count;
    ``width`` is i (always 1); ``value`` the exact, unrounded result.
    """

    name: str
    position: Fraction
    k: int
    L: Fraction
    F: int
    f: int
    value: Fraction
    width: int = 1

    @property
    def rounded(self) -> Fraction:
        """The value a reader sees: rounded half-up to two decimals, still exact."""
        return round_half_up(self.value)

    @property
    def formula(self) -> str:
        """The computation written out, for a trace a reader can check by hand."""
        fmt = _format_exact
        return (
            f"{self.name}: p = {fmt(self.position)}, class {self.k} "
            f"(L = {fmt(self.L)}, F = {self.F}, f = {self.f}); "
            f"{fmt(self.L)} + {self.width} * ({fmt(self.position)} - {self.F}) / {self.f} "
            f"= {fmt(self.value)} -> {Decimal(int(self.rounded * 100)) / 100:.2f}"
        )


@dataclass(frozen=True)
class ItemSummary:
    """Summary of one statement. Floats are the rounded (half-up, 2 decimals) values.

    ``median``, ``q1``, ``q3``, ``iqr`` and ``band`` are ``None`` and ``consensus`` is False
    when nobody answered. ``trace`` holds the exact grouped computations (empty for
    ``method="plain"`` and for n == 0).
    """

    counts: tuple[int, ...]
    n: int
    median: float | None
    q1: float | None
    q3: float | None
    iqr: float | None
    band: str | None
    consensus: bool
    method: str
    trace: tuple[QuantileTrace, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-friendly dict (trace values as strings, formulas included)."""
        data = asdict(self)
        data["counts"] = list(self.counts)
        data["trace"] = [_trace_dict(t) for t in self.trace]
        return data


def _trace_dict(t: QuantileTrace) -> dict[str, Any]:
    return {
        "name": t.name,
        "position": str(t.position),
        "k": t.k,
        "L": str(t.L),
        "F": t.F,
        "f": t.f,
        "value": str(t.value),
        "formula": t.formula,
    }


def _validate_counts(counts: Iterable[Any], points: int) -> tuple[int, ...]:
    values = tuple(counts)
    if len(values) != points:
        raise ValueError(f"expected {points} counts (one per scale point), got {len(values)}")
    cleaned = []
    for k, c in enumerate(values, start=1):
        if (
            isinstance(c, bool)
            or not isinstance(c, numbers.Real)
            or c < 0
            or not float(c).is_integer()
        ):
            raise ValueError(f"count for scale point {k} must be a whole number >= 0, got {c!r}")
        cleaned.append(int(c))
    return tuple(cleaned)


def _grouped_trace(counts: tuple[int, ...], name: str, quarters: int) -> QuantileTrace:
    n = sum(counts)
    position = Fraction(quarters * n, 4)
    below = 0
    for k, f in enumerate(counts, start=1):
        # First class whose cumulative frequency reaches p; f > 0 here because p > 0.
        if below + f >= position:
            lower = Fraction(2 * k - 1, 2)
            value = lower + (position - below) / f
            return QuantileTrace(name, position, k, lower, below, f, value)
        below += f
    raise AssertionError("unreachable: the last class has cumulative frequency N >= p")


def _plain_value(counts: tuple[int, ...], quarters: int) -> Fraction:
    # numpy's default ("linear") rule on the sorted answers: h = (N - 1) q, interpolate.
    n = sum(counts)
    h = Fraction((n - 1) * quarters, 4)
    j = math.floor(h)
    return _sorted_answer(counts, j) + (h - j) * (
        _sorted_answer(counts, j + 1) - _sorted_answer(counts, j) if h > j else 0
    )


def _sorted_answer(counts: tuple[int, ...], index: int) -> int:
    cumulative = 0
    for k, f in enumerate(counts, start=1):
        cumulative += f
        if cumulative > index:
            return k
    raise IndexError(index)


def summarize_counts(
    counts: Iterable[int],
    *,
    points: int = DEFAULT_POINTS,
    cutoffs: Sequence[Any] = DEFAULT_CUTOFFS,
    threshold: Any = DEFAULT_THRESHOLD,
    method: str = "grouped",
) -> ItemSummary:
    """Median, Q1, Q3, IQR, band and consensus of one statement from its answer counts.

    ``counts[k - 1]`` is the number of answers k (k = 1..points). ``method="grouped"``
    (default) uses the seed paper's grouped-data formula ``L + i * (p - F) / f`` with
    p = N/4, N/2, 3N/4 and the class = first class whose cumulative frequency >= p (see the
    module docstring for the boundary rule and how it differs from
    ``statistics.median_grouped``); ``method="plain"`` uses numpy's linear percentile rule on
    the raw answers, for comparison. Values are exact, then rounded half-up to 2 decimals;
    the IQR is rounded once from the exact Q3 - Q1, so it may differ by 0.01 from the
    difference of the rounded quartiles. Band from the rounded median and ``cutoffs``;
    consensus is rounded IQR <= ``threshold``. Raises ``ValueError`` for counts that are
    not ``points`` whole numbers >= 0 and for invalid options.

    Example (N = 18): ``summarize_counts([0, 1, 3, 8, 6])`` -> Q1 3.56, median 4.13
    (3.5 + (9 - 4)/8 = 4.125), Q3 4.75, IQR 1.19, band 'high', consensus True.
    """
    opts = _options(points, cutoffs, threshold, method)
    clean = _validate_counts(counts, opts.points)
    n = sum(clean)
    if n == 0:
        return ItemSummary(clean, 0, None, None, None, None, None, False, method, ())
    if method == "grouped":
        trace = tuple(_grouped_trace(clean, name, q) for name, q in _QUANTILES)
        exact = {t.name: t.value for t in trace}
    else:
        trace = ()
        exact = {name: _plain_value(clean, q) for name, q in _QUANTILES}
    return _item_from_exact(clean, n, exact, opts, trace)


def _item_from_exact(
    counts: tuple[int, ...],
    n: int,
    exact: dict[str, Fraction],
    opts: _Options,
    trace: tuple[QuantileTrace, ...],
) -> ItemSummary:
    median = round_half_up(exact["median"])
    iqr = round_half_up(exact["q3"] - exact["q1"])
    return ItemSummary(
        counts=counts,
        n=n,
        median=float(median),
        q1=float(round_half_up(exact["q1"])),
        q3=float(round_half_up(exact["q3"])),
        iqr=float(iqr),
        band=_band_from_hundredths(median * 100, opts),
        consensus=iqr * 100 <= opts.threshold_h,
        method=opts.method,
        trace=trace,
    )


# --------------------------------------------------------------------------- many items


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


def _as_ratings_array(matrix: Any) -> np.ndarray:
    arr = np.asarray(matrix)
    if arr.dtype.kind == "O":
        try:
            arr = arr.astype(float)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"ratings must be numbers (0 or empty = no answer): {exc}") from exc
    if arr.dtype.kind not in "iuf":
        raise ValueError(f"ratings must be numbers, got dtype {arr.dtype}")
    if arr.ndim != 2:
        raise ValueError(f"ratings must be a 2-D experts x items matrix, got {arr.ndim}-D")
    return arr


def _no_answer_mask(arr: np.ndarray) -> np.ndarray:
    return (arr == 0) | np.isnan(arr) if arr.dtype.kind == "f" else arr == 0


def _invalid_rating_error(arr: np.ndarray, points: int) -> ValueError:
    bad = ~(np.isin(arr, np.arange(points + 1)) | _no_answer_mask(arr))
    row, col = np.argwhere(bad)[0]
    value = arr[row, col].item()
    return ValueError(
        f"rating {value!r} (expert row {row + 1}, item column {col + 1}) is not a scale point "
        f"1..{points}; 0 or NaN means no answer ({int(bad.sum())} invalid value(s) in all)"
    )


def count_ratings(matrix: Any, *, points: int = DEFAULT_POINTS) -> np.ndarray:
    """Items x points array of answer counts from an experts x items ratings matrix.

    0 and NaN mean "no answer"; any other value outside the whole numbers 1..points raises
    ``ValueError`` naming the first offending cell. Vectorised: one comparison and column
    sum per scale point, no loop per item.
    """
    opts = _options(points, DEFAULT_CUTOFFS, DEFAULT_THRESHOLD, "grouped")
    arr = _as_ratings_array(matrix)
    counts = np.empty((arr.shape[1], opts.points), dtype=np.int64)
    for k in range(1, opts.points + 1):
        counts[:, k - 1] = np.count_nonzero(arr == k, axis=0)
    # Every cell is an answer 1..points or a blank: anything else leaves the tally short.
    blanks = np.count_nonzero(arr == 0)
    if arr.dtype.kind == "f":
        blanks += np.count_nonzero(np.isnan(arr))
    if int(counts.sum()) + blanks != arr.size:
        raise _invalid_rating_error(arr, opts.points)
    return counts


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
    opts = _options(points, cutoffs, threshold, method)
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
    opts = _options(points, cutoffs, threshold, method)
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
    for name, quarters in _QUANTILES:
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
    for name, quarters in _QUANTILES:
        j, r = np.divmod((n - 1) * quarters, 4)
        low = 1 + np.count_nonzero(cumulative <= j[:, None], axis=1)
        high = 1 + np.count_nonzero(cumulative <= (j + 1)[:, None], axis=1)
        out[name] = (400 * low + 100 * r * (high - low), np.full_like(n, 4))
    return out


def _round_ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    # Half-up rounding of a non-negative ratio in integers: floor((2a + b) / 2b).
    return (2 * numerator + denominator) // (2 * denominator)


def _summarize_matrix(counts: np.ndarray, opts: _Options) -> RatingsSummary:
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


# --------------------------------------------------------------------------- other measures


def _counts_array(counts: Any) -> np.ndarray:
    table = np.asarray(counts)
    if table.ndim not in (1, 2) or table.dtype.kind not in "iu" or (table < 0).any():
        raise ValueError("counts must be a 1-D (points) or 2-D (items x points) array of ints")
    return table.astype(np.int64)


def _top_and_total(table: np.ndarray, top: int) -> tuple[Any, Any]:
    if not 1 <= top <= table.shape[-1]:
        raise ValueError(f"top must be between 1 and {table.shape[-1]}, got {top}")
    return table[..., -top:].sum(axis=-1), table.sum(axis=-1)


def percent_agreement(counts: Any, top: int = DEFAULT_TOP) -> Any:
    """Share of answers in the top ``top`` scale points, in percent: 100 * sum(f_top) / N.

    ``counts`` is one item's counts (returns float, ``None`` when N == 0) or an
    items x points array (returns a float array, NaN where N == 0). Percent agreement is
    the most common Delphi consensus definition (Diamond et al. 2014, J Clin Epidemiol
    67(4):401-409).
    """
    table = _counts_array(counts)
    agree, n = _top_and_total(table, top)
    if table.ndim == 1:
        return None if n == 0 else float(100 * agree / n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n == 0, np.nan, 100 * agree / np.where(n == 0, 1, n))


def agreement_reached(
    counts: Any, *, top: int = DEFAULT_TOP, threshold: Any = DEFAULT_AGREEMENT_THRESHOLD
) -> Any:
    """True when :func:`percent_agreement` >= ``threshold`` percent, compared exactly.

    Tested as 100 * agree >= threshold * N in rationals, so 7 of 10 reaches 70.0. False for
    N == 0. Returns a bool for one item, a bool array for an items x points table.
    """
    table = _counts_array(counts)
    agree, n = _top_and_total(table, top)
    limit = _exact(threshold)
    reached = (100 * limit.denominator * agree >= limit.numerator * n) & (n > 0)
    return bool(reached) if table.ndim == 1 else reached


def mean_sd(counts: Iterable[int]) -> tuple[float | None, float | None]:
    """Mean and SAMPLE standard deviation (ddof = 1) of one item's answers from its counts.

    mean = sum(k f_k) / N; SD = sqrt(sum(f_k (k - mean)^2) / (N - 1)). Mean is ``None`` for
    N == 0, SD is ``None`` for N < 2. Computed exactly, converted to float at the end.
    """
    values = tuple(counts)
    return _mean_sd(_validate_counts(values, len(values)))


def _mean_sd(clean: tuple[int, ...]) -> tuple[float | None, float | None]:
    n = sum(clean)
    if n == 0:
        return None, None
    mean = Fraction(sum(k * f for k, f in enumerate(clean, start=1)), n)
    if n < 2:
        return float(mean), None
    ss = sum(f * (k - mean) ** 2 for k, f in enumerate(clean, start=1))
    return float(mean), math.sqrt(ss / (n - 1))


def coefficient_of_variation(counts: Iterable[int]) -> float | None:
    """Coefficient of variation CV = SD / mean (sample SD, ddof = 1), as a ratio, not percent.

    English & Kernan (1976, Transportation Research 10:1-8) read CV <= 0.5 as good
    agreement. ``None`` when N < 2.
    """
    mean, sd = mean_sd(counts)
    return None if sd is None or mean is None else sd / mean


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


def _clean_ratings(matrix: Any, points: int) -> np.ndarray:
    """Validated experts x items int matrix with 0 = no answer (not the hot path)."""
    arr = _as_ratings_array(matrix)
    count_ratings(arr, points=points)  # raises on invalid values
    return np.where(_no_answer_mask(arr), 0, arr).astype(np.int64)


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
    ratings = _clean_ratings(matrix, points)
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
    first = _clean_ratings(before, points)
    second = _clean_ratings(after, points)
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


def apply_consensus_rule(
    summary: ItemSummary | RatingsSummary,
    *,
    rule: str = "iqr",
    threshold: Any = DEFAULT_THRESHOLD,
    agreement_threshold: Any = DEFAULT_AGREEMENT_THRESHOLD,
    top: int = DEFAULT_TOP,
) -> Any:
    """Apply a study's consensus rule to a summary; bool for an item, bool array for many.

    ``rule="iqr"``: rounded IQR <= ``threshold`` (the seed paper: 1.50).
    ``rule="iqr_and_agreement"``: that AND percent agreement in the top ``top`` points
    >= ``agreement_threshold`` (see :func:`agreement_reached`). No answers -> False.
    """
    if rule not in CONSENSUS_RULES:
        raise ValueError(f"rule must be one of {CONSENSUS_RULES}, got {rule!r}")
    limit = _floor_hundredths(threshold)
    if isinstance(summary, RatingsSummary):
        # The IQRs are two-decimal floats, so rint recovers their exact hundredths.
        iqr_ok = np.rint(np.nan_to_num(summary.iqr, nan=np.inf) * 100) <= limit
    else:
        iqr_ok = summary.iqr is not None and round_half_up(summary.iqr) * 100 <= limit
    if rule == "iqr":
        return iqr_ok
    return iqr_ok & agreement_reached(summary.counts, top=top, threshold=agreement_threshold)
