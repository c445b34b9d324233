"""A study's percentages (its thresholds) as the results pages and reports write them.

Shares computed from counts (consensus, response rate, distribution) are rounded in
`analysis.stats.shares`.
"""

from decimal import Decimal


def format_percent(value: Decimal) -> str:
    """80.00 -> '80', 82.50 -> '82.5': a study's percentages as a person would write them."""
    return f"{Decimal(value).normalize():f}"
