"""Percent agreement and the consensus rules (analysis.stats.agreement), by hand."""

import math

import numpy as np
import pytest

from analysis.stats import (
    agreement_reached,
    apply_consensus_rule,
    percent_agreement,
    summarize_counts,
    summarize_ratings,
)

N18 = [0, 1, 3, 8, 6]


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
