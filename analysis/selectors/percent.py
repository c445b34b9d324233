"""Shares as the results pages and reports show them."""

import math
from decimal import Decimal


def _share(part: int, whole: int) -> int | None:
    """Whole percentage rounded down, so a share short of a threshold never reads as reaching it."""
    return None if not whole else math.floor(100 * part / whole)


def _share_half_up(part: int, whole: int) -> int | None:
    # The tracking page rounds the response rate half-up; the same round shows the same figure.
    return None if not whole else math.floor(100 * part / whole + 0.5)


def format_percent(value: Decimal) -> str:
    """80.00 -> '80', 82.50 -> '82.5': a study's percentages as a person would write them."""
    return f"{Decimal(value).normalize():f}"
