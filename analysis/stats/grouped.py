"""One statement's median, quartiles and IQR from its answer counts (the grouped formulas).

This is the arithmetic a thesis committee re-does by hand, so it follows the seed paper's
formulas literally and keeps every intermediate value.

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
Values are exact (``fractions.Fraction``) and rounded half-up to two decimals
(`analysis.stats.rounding`); the IQR is rounded once, from the exact Q3 - Q1 (not from the
rounded quartiles, which can differ by 0.01). The rounded median gives the band
(`analysis.stats.bands`); consensus is rounded IQR <= the threshold (1.50 by default).
"""

import math
import numbers
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .bands import DEFAULT_CUTOFFS, band_from_hundredths
from .options import DEFAULT_POINTS, DEFAULT_THRESHOLD, SummaryOptions, summary_options
from .rounding import format_exact, round_half_up

# (name, quarters): the position is p = quarters * N / 4.
QUANTILES = (("q1", 1), ("median", 2), ("q3", 3))


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
        fmt = format_exact
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


def validate_counts(counts: Iterable[Any], points: int) -> tuple[int, ...]:
    """``counts`` as ``points`` whole numbers >= 0; ``ValueError`` naming the first bad one."""
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
    opts = summary_options(points, cutoffs, threshold, method)
    clean = validate_counts(counts, opts.points)
    n = sum(clean)
    if n == 0:
        return ItemSummary(clean, 0, None, None, None, None, None, False, method, ())
    if method == "grouped":
        trace = tuple(_grouped_trace(clean, name, q) for name, q in QUANTILES)
        exact = {t.name: t.value for t in trace}
    else:
        trace = ()
        exact = {name: _plain_value(clean, q) for name, q in QUANTILES}
    return _item_from_exact(clean, n, exact, opts, trace)


def _item_from_exact(
    counts: tuple[int, ...],
    n: int,
    exact: dict[str, Fraction],
    opts: SummaryOptions,
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
        band=band_from_hundredths(median * 100, opts.cutoffs_h),
        consensus=iqr * 100 <= opts.threshold_h,
        method=opts.method,
        trace=trace,
    )
