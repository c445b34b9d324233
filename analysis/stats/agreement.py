"""Percent agreement and the study's consensus rules (IQR alone, or IQR and agreement)."""

from typing import Any

import numpy as np

from .grouped import ItemSummary
from .matrix import RatingsSummary
from .options import DEFAULT_THRESHOLD
from .rounding import exact_value, floor_hundredths, round_half_up

DEFAULT_TOP = 2
DEFAULT_AGREEMENT_THRESHOLD = 70.0
CONSENSUS_RULES = ("iqr", "iqr_and_agreement")


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
    limit = exact_value(threshold)
    reached = (100 * limit.denominator * agree >= limit.numerator * n) & (n > 0)
    return bool(reached) if table.ndim == 1 else reached


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
    limit = floor_hundredths(threshold)
    if isinstance(summary, RatingsSummary):
        # The IQRs are two-decimal floats, so rint recovers their exact hundredths.
        iqr_ok = np.rint(np.nan_to_num(summary.iqr, nan=np.inf) * 100) <= limit
    else:
        iqr_ok = summary.iqr is not None and round_half_up(summary.iqr) * 100 <= limit
    if rule == "iqr":
        return iqr_ok
    return iqr_ok & agreement_reached(summary.counts, top=top, threshold=agreement_threshold)
