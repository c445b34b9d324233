"""The options every summary takes (scale points, band cut-offs, consensus threshold,
method), checked once and kept with their exact hundredths."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .bands import cutoff_hundredths
from .rounding import floor_hundredths

DEFAULT_POINTS = 5
# Consensus is rounded IQR <= 1.50 (Pranee Thongkham 2529 B.E., p. 33).
DEFAULT_THRESHOLD = 1.50
METHODS = ("grouped", "plain")


@dataclass(frozen=True)
class SummaryOptions:
    """Checked options; ``cutoffs_h`` and ``threshold_h`` are whole hundredths (149, 150)."""

    points: int
    cutoffs: tuple[Any, ...]
    threshold: Any
    method: str
    cutoffs_h: tuple[int, ...]
    threshold_h: int


def summary_options(
    points: int, cutoffs: Sequence[Any], threshold: Any, method: str
) -> SummaryOptions:
    """The options checked; ``ValueError`` for a bad number of points, method or cut-offs."""
    if isinstance(points, bool) or not isinstance(points, int | np.integer) or points < 1:
        raise ValueError(f"points must be a positive whole number, got {points!r}")
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    cutoffs = tuple(cutoffs)
    cutoffs_h = cutoff_hundredths(cutoffs)
    return SummaryOptions(
        int(points), cutoffs, threshold, method, cutoffs_h, floor_hundredths(threshold)
    )
