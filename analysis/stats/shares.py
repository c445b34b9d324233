"""Whole-number percentages as the pages and reports print them.

Three roundings, each for a reason: a share compared with a threshold is rounded down, so it
never reads as reaching a threshold it falls short of; a response rate is rounded half-up,
the same figure on the tracking page, the results page and the reports; the bars of a
distribution keep Python's ``round`` (halves to even), as they have always been drawn.
"""

from collections.abc import Sequence


def percent_rounded_down(part: int, whole: int) -> int | None:
    """``part`` as a whole percentage of ``whole``, rounded down; ``None`` when ``whole`` is 0.

    For shares read against a threshold (consensus, answers outside the middle half): 69.9 %
    stays 69 and never reads as reaching 70.
    """
    return None if not whole else 100 * part // whole


def percent_half_up(part: int, whole: int) -> int | None:
    """``part`` as a whole percentage of ``whole``, halves upwards (12.5 -> 13); ``None`` when
    ``whole`` is 0. For response rates."""
    # floor(100 part / whole + 1/2) in integers, so no float can tip a half either way.
    return None if not whole else (200 * part + whole) // (2 * whole)


def distribution_percents(counts: Sequence[int]) -> list[int]:
    """Each count as a whole percentage of all the answers (0 for every point when there are
    none), for the bars of a distribution."""
    total = sum(counts)
    return [round(100 * count / total) if total else 0 for count in counts]
