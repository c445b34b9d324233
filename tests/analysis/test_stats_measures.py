"""Percent agreement, mean/SD, CV, Kendall's W, stability and consensus rules, by hand."""

import math
import statistics

import numpy as np
import pytest
from scipy.stats import wilcoxon

from analysis.stats import (
    agreement_reached,
    apply_consensus_rule,
    coefficient_of_variation,
    kendalls_w,
    mean_sd,
    percent_agreement,
    stability,
    summarize_counts,
    summarize_ratings,
)

N18 = [0, 1, 3, 8, 6]


# --------------------------------------------------------------------------- agreement


def test_percent_agreement():
    # Top two points of [0,1,3,8,6]: 8 + 6 = 14 of 18 = 77.77..%; top one: 6/18 = 33.33..%
    assert percent_agreement(N18) == pytest.approx(100 * 14 / 18)
    assert percent_agreement(N18, top=1) == pytest.approx(100 / 3)
    assert percent_agreement([0, 0, 0, 0, 0]) is None


def test_percent_agreement_table():
    table = np.array([N18, [0, 0, 0, 0, 0], [1, 0, 0, 0, 1]])
    result = percent_agreement(table)
    assert result[0] == pytest.approx(100 * 14 / 18)
    assert math.isnan(result[1])
    assert result[2] == 50.0


def test_agreement_reached_is_exact_at_the_threshold():
    # [1,2,0,4,3]: 7 of 10 in the top two = 70 % exactly -> reaches 70.
    assert agreement_reached([1, 2, 0, 4, 3]) is True
    assert agreement_reached([1, 2, 0, 4, 3], threshold=70.01) is False
    # [1,1,1,0,0]: none of 3 in the top two.
    assert agreement_reached([1, 1, 1, 0, 0]) is False
    assert agreement_reached([0, 0, 0, 0, 0]) is False
    table = np.array([[1, 2, 0, 4, 3], [5, 5, 0, 0, 0]])
    assert agreement_reached(table).tolist() == [True, False]


def test_percent_agreement_rejects_bad_top():
    with pytest.raises(ValueError, match="top must be"):
        percent_agreement(N18, top=6)


# --------------------------------------------------------------------------- mean, SD, CV


def test_mean_sd_sample_sd():
    # [0,1,3,8,6]: sum k f = 2 + 9 + 32 + 30 = 73 -> mean 73/18 = 4.0555..
    # sum k^2 f = 4 + 27 + 128 + 150 = 309; SS = 309 - 73^2/18 = 233/18
    # sample variance = (233/18) / 17 = 233/306 -> SD = sqrt(233/306) = 0.87260..
    mean, sd = mean_sd(N18)
    assert mean == pytest.approx(73 / 18)
    assert sd == pytest.approx(math.sqrt(233 / 306))
    answers = [2] + [3] * 3 + [4] * 8 + [5] * 6
    assert sd == pytest.approx(statistics.stdev(answers))  # ddof = 1, not pstdev


def test_mean_sd_small_samples():
    assert mean_sd([0, 0, 0, 0, 0]) == (None, None)
    assert mean_sd([0, 0, 1, 0, 0]) == (3.0, None)


def test_coefficient_of_variation():
    # SD / mean = sqrt(233/306) / (73/18) = 0.21516..
    assert coefficient_of_variation(N18) == pytest.approx(math.sqrt(233 / 306) / (73 / 18))
    assert coefficient_of_variation([0, 0, 0, 0, 18]) == 0.0
    assert coefficient_of_variation([0, 0, 1, 0, 0]) is None


# --------------------------------------------------------------------------- Kendall's W


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


# --------------------------------------------------------------------------- stability


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


# --------------------------------------------------------------------------- consensus rules


def test_apply_consensus_rule_item():
    s = summarize_counts(N18)  # IQR 1.19, 77.8 % in the top two
    assert apply_consensus_rule(s) is True
    assert apply_consensus_rule(s, threshold=1.0) is False
    assert apply_consensus_rule(s, rule="iqr_and_agreement") is True
    assert apply_consensus_rule(s, rule="iqr_and_agreement", agreement_threshold=80) is False
    assert apply_consensus_rule(summarize_counts([0] * 5)) is False


def test_apply_consensus_rule_exact_threshold():
    # [0,0,1,1,1]: IQR exactly 1.50 -> meets 1.50; only 2 of 3 (66.7 %) in the top two.
    s = summarize_counts([0, 0, 1, 1, 1])
    assert apply_consensus_rule(s, threshold=1.5) is True
    assert apply_consensus_rule(s, threshold=1.49) is False
    assert apply_consensus_rule(s, rule="iqr_and_agreement") is False
    assert apply_consensus_rule(s, rule="iqr_and_agreement", agreement_threshold=66.6) is True


def test_apply_consensus_rule_matrix():
    # Columns: [0,1,3,8,6] (IQR 1.19, 77.8 %), [0,0,1,1,1] (1.50, 66.7 %), empty.
    ratings = np.full((18, 3), np.nan)
    ratings[:, 0] = [2] + [3] * 3 + [4] * 8 + [5] * 6
    ratings[:3, 1] = [3, 4, 5]
    r = summarize_ratings(ratings)
    assert apply_consensus_rule(r).tolist() == [True, True, False]
    assert apply_consensus_rule(r, rule="iqr_and_agreement").tolist() == [True, False, False]
    assert apply_consensus_rule(r, threshold=1.49).tolist() == [True, False, False]


def test_apply_consensus_rule_unknown():
    with pytest.raises(ValueError, match="rule must be one of"):
        apply_consensus_rule(summarize_counts(N18), rule="vote")
