"""Mean, sample standard deviation and coefficient of variation of one item's answers."""

import math
from collections.abc import Iterable
from fractions import Fraction

from .grouped import validate_counts


def mean_sd(counts: Iterable[int]) -> tuple[float | None, float | None]:
    """Mean and SAMPLE standard deviation (ddof = 1) of one item's answers from its counts.

    mean = sum(k f_k) / N; SD = sqrt(sum(f_k (k - mean)^2) / (N - 1)). Mean is ``None`` for
    N == 0, SD is ``None`` for N < 2. Computed exactly, converted to float at the end.
    """
    values = tuple(counts)
    return _mean_sd(validate_counts(values, len(values)))


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
