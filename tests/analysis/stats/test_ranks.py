"""Kendall's W and stability between rounds (analysis.stats.ranks), by hand."""

import numpy as np
import pytest
from scipy.stats import wilcoxon

from analysis.stats import (
    kendalls_w,
    stability,
)


def test_kendalls_w_with_ties():
    # Ratings (experts x items) and mid-ranks within each row (1 = lowest):
    #   E1 5 4 4 2 -> 4, 2.5, 2.5, 1   ties: one pair, T = 2^3 - 2 = 6
    #   E2 5 5 3 1 -> 3.5, 3.5, 2, 1   T = 6
    #   E3 4 5 3 2 -> 3, 4, 2, 1       T = 0
    # R = 10.5, 10, 6.5, 3; mean m(n+1)/2 = 7.5; S = 9 + 6.25 + 1 + 20.25 = 36.5
    # W = 12 S / (m^2 (n^3 - n) - m sum T) = 438 / (9 * 60 - 3 * 12) = 438/504 = 0.869..
    # (without the tie correction it would be 438/540 = 0.811)
    # chi2 = m (n - 1) W = 9 * 438/504 = 7.821.., df = 3
    result = kendalls_w([[5, 4, 4, 2], [5, 5, 3, 1], [4, 5, 3, 2]])
    assert result.w == pytest.approx(438 / 504)
    assert result.chi2 == pytest.approx(9 * 438 / 504)
    assert (result.experts, result.items, result.df, result.dropped) == (3, 4, 3, 0)
    from scipy.stats import chi2

    assert result.p_value == pytest.approx(chi2.sf(9 * 438 / 504, 3))


def test_kendalls_w_without_ties():
    # Ranks (1,2,3), (1,3,2), (2,1,3): R = 4, 6, 8, mean 6, S = 8
    # W = 12 * 8 / (9 * 24) = 96/216 = 0.444..
    assert kendalls_w([[1, 2, 3], [1, 3, 2], [2, 1, 3]]).w == pytest.approx(96 / 216)


def test_kendalls_w_perfect_agreement_and_missing_rows():
    # Two identical complete rows -> W = 1; the row with a blank is left out.
    result = kendalls_w([[1, 2, 3, 4], [2, 3, 4, 5], [1, 0, 3, 4]])
    assert result.w == pytest.approx(1.0)
    assert (result.experts, result.dropped) == (2, 1)


def test_kendalls_w_undefined():
    assert kendalls_w([[1, 2, 3]]).w is None  # one expert
    assert kendalls_w([[3, 3], [4, 4]]).w is None  # every expert tied everything


def test_stability_share_and_wilcoxon():
    # Item 1: 8 pairs; only expert 4 (5 -> 5) kept the answer: 7/8 = 0.875 changed.
    # Item 2: experts 3 and 5 skipped a round -> 6 pairs, 1 changed (4 -> 5): 1/6.
    # Item 3: nobody changed -> share 0, no p-value. Item 4: nobody answered both.
    before = np.array(
        [
            [3, 5, 2, 1],
            [4, 5, 2, 0],
            [2, 0, 3, 0],
            [5, 4, 4, 0],
            [3, 4, 4, 0],
            [4, 3, 4, 0],
            [1, 5, 1, 0],
            [2, 5, 1, 0],
        ],
        dtype=float,
    )
    after = before.copy()
    after[:, 0] = [4, 5, 3, 5, 4, 5, 3, 1]
    after[3, 1] = 5
    after[4, 1] = np.nan
    after[0, 3] = 0
    item1, item2, item3, item4 = stability(before, after)
    assert (item1.pairs, item1.changed, item1.changed_share) == (8, 7, 0.875)
    expected = wilcoxon(before[:, 0], after[:, 0]).pvalue
    assert item1.p_value == pytest.approx(expected)
    assert (item2.pairs, item2.changed) == (6, 1)
    assert item2.changed_share == pytest.approx(1 / 6)
    assert item2.p_value is not None
    assert (item3.pairs, item3.changed, item3.changed_share, item3.p_value) == (8, 0, 0.0, None)
    assert (item4.pairs, item4.changed_share, item4.p_value) == (0, None, None)


def test_wilcoxon_exact_hand_value():
    # Differences +1, +2, +3, +4: all ranks positive, W- = 0. Exact two-sided p =
    # 2 * P(W- = 0) = 2 / 2^4 = 0.125.
    (item,) = stability([[1], [1], [1], [1]], [[2], [3], [4], [5]])
    assert item.p_value == pytest.approx(0.125)


def test_stability_rejects_mismatched_rounds():
    with pytest.raises(ValueError, match="same shape"):
        stability([[1, 2]], [[1, 2, 3]])
    with pytest.raises(ValueError, match="rating 9"):
        stability([[1, 9]], [[1, 2]])
