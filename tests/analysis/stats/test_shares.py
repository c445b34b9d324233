"""Shares: one rule for the whole app, whole percentages rounded half-up."""

from analysis import stats


def test_twelve_of_fourteen_is_86_percent_not_85():
    # 85.71 % was printed as 85 % (rounded down) on the results page.
    assert stats.percent_half_up(12, 14) == 86


def test_a_half_rounds_up_and_an_empty_whole_has_no_share():
    assert stats.percent_half_up(1, 8) == 13  # 12.5
    assert stats.percent_half_up(1, 3) == 33
    assert stats.percent_half_up(0, 0) is None


def test_distribution_bars_use_the_same_rule():
    # 1 of 8 = 12.5 % is 13 like every other share (Python's round gave 12); 3 of 8 = 37.5 -> 38.
    assert stats.distribution_percents([1, 3, 4]) == [13, 38, 50]
    assert stats.distribution_percents([0, 0]) == [0, 0]
