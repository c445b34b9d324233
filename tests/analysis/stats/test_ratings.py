"""Reading and counting a ratings matrix (analysis.stats.ratings)."""

import numpy as np
import pytest

from analysis.stats import (
    count_ratings,
    summarize_ratings,
)


def test_count_ratings():
    assert count_ratings([[1, 5], [1, 0], [np.nan, 5]]).tolist() == [
        [2, 0, 0, 0, 0],
        [0, 0, 0, 0, 2],
    ]


@pytest.mark.parametrize(
    ("ratings", "message"),
    [
        ([[1, 6]], r"rating 6 \(expert row 1, item column 2\) is not a scale point 1..5"),
        ([[1, 2], [2.5, 3]], r"rating 2.5 \(expert row 2, item column 1\)"),
        ([[-1, 2]], "rating -1"),
        ([[np.inf, 2]], "rating inf"),
        ([["a", 2]], "must be numbers"),
        ([1, 2, 3], "2-D"),
        ([[True, False]], "must be numbers"),
    ],
)
def test_invalid_ratings(ratings, message):
    with pytest.raises(ValueError, match=message):
        summarize_ratings(ratings)
