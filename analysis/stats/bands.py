"""Bands of a median (or a mean): least, low, moderate, high, highest.

The rounded median is banded with the cut-offs (1.49, 2.49, 3.49, 4.49): <= 1.49 least,
<= 2.49 low, <= 3.49 moderate, <= 4.49 high, else highest (Wichian Ketsingh 2538 B.E.,
pp. 8-11). Cut-offs are compared as the two-decimal values they are written as.
"""

import itertools
from collections.abc import Sequence
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from .rounding import floor_hundredths, round_half_up

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

DEFAULT_CUTOFFS = (1.49, 2.49, 3.49, 4.49)

# The usual Thai reading of a 5-point mean: 4.51-5.00 highest, 3.51-4.50 high,
# 2.51-3.50 moderate, 1.51-2.50 low, 1.00-1.50 least (บุญชม ศรีสะอาด / Boonchom Srisa-ard).
MEAN_CUTOFFS = (1.50, 2.50, 3.50, 4.50)


def cutoff_hundredths(cutoffs: Sequence[Any]) -> tuple[int, ...]:
    """The band borders as whole hundredths; ``ValueError`` unless one per border, increasing."""
    cutoffs = tuple(cutoffs)
    if len(cutoffs) != len(BANDS) - 1:
        raise ValueError(f"cutoffs needs {len(BANDS) - 1} values (one per band border)")
    hundredths = tuple(floor_hundredths(c) for c in cutoffs)
    if any(a >= b for a, b in itertools.pairwise(hundredths)):
        raise ValueError(f"cutoffs must increase, got {cutoffs!r}")
    return hundredths


def band_from_hundredths(median_h: Fraction | int, cutoffs_h: Sequence[int]) -> str:
    """Band of a rounded median given as hundredths (413 for 4.13): the first border it does
    not exceed."""
    index = sum(1 for cut in cutoffs_h if median_h > cut)
    return BANDS[index]


def band_for(median: Any, *, cutoffs: Sequence[Any] = DEFAULT_CUTOFFS) -> str | None:
    """Band of a median: round half-up to 2 decimals, then the first cut-off it does not exceed.

    Defaults (seed paper, after Wichian Ketsingh 2538 B.E.): <= 1.49 'least', <= 2.49 'low',
    <= 3.49 'moderate', <= 4.49 'high', else 'highest'. ``None`` for ``None``.
    """
    if median is None:
        return None
    return band_from_hundredths(round_half_up(median) * 100, cutoff_hundredths(cutoffs))


def mean_band(mean: Any) -> str | None:
    """Band of a mean of 5-point answers, rounded half-up to 2 decimals first (4.505 -> 4.51,
    'highest'; 4.50 is 'high'). ``None`` for ``None``."""
    return band_for(mean, cutoffs=MEAN_CUTOFFS)
