"""Exact decimals: numbers read as the decimals they are written as, rounded half-up.

Median, Q1, Q3 and IQR are computed exactly (``fractions.Fraction`` in the scalar path,
integer numerators/denominators in the vectorised path) and rounded half-up to two
decimals, the values a reader sees. Cut-offs and thresholds are read as the decimals they
are written as, so 1.50 is exactly 3/2 and never 1.5000000001.
"""

import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np

_HALF = Fraction(1, 2)


def exact_value(x: Any) -> Fraction:
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
    return Fraction(math.floor(exact_value(x) * scale + _HALF), scale)


def floor_hundredths(x: Any) -> int:
    """floor(100 x), exactly: the largest two-decimal value v <= x, times 100."""
    # A two-decimal value v satisfies v <= x exactly when 100 v <= floor(100 x).
    return math.floor(exact_value(x) * 100)


def format_exact(x: Fraction) -> str:
    """Terminating decimals as decimals (4.125), others as a fraction (13/3 ~ 4.3333)."""
    d = x.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    if d == 1:
        return format(Decimal(x.numerator) / Decimal(x.denominator), "f")
    return f"{x.numerator}/{x.denominator} (~{float(x):.4f})"
