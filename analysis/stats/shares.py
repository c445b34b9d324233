"""Whole-number percentages as the pages and reports print them: one rule, halves upwards.

12 of 14 is 85.71 % and prints 86 %, 1 of 8 is 12.5 % and prints 13 %, on every page and in
every report. A verdict never rests on the printed figure: shares are compared with their
thresholds exactly (see ``analysis.selectors.verdict``).
"""

from collections.abc import Sequence


def percent_half_up(part: int, whole: int) -> int | None:
    """``part`` as a whole percentage of ``whole``, halves upwards (12.5 -> 13); ``None`` when
    ``whole`` is 0."""
    # floor(100 part / whole + 1/2) in integers, so no float can tip a half either way.
    return None if not whole else (200 * part + whole) // (2 * whole)


def distribution_percents(counts: Sequence[int]) -> list[int]:
    """Each count as a whole percentage of all the answers (0 for every point when there are
    none), for the bars of a distribution. Each bar is its own share rounded half-up, so the
    bars may add up to 99 or 101: each one is the figure printed for its point."""
    total = sum(counts)
    return [percent_half_up(count, total) if total else 0 for count in counts]
