"""Every statement at once (analysis.stats.matrix), worked by hand."""

import dataclasses

import numpy as np
import pytest

from analysis.stats import (
    summarize_count_matrix,
    summarize_ratings,
)


def test_plain_method_matrix():
    ratings = np.array([[2.0], [4], [4], [5], [np.nan], [0]])
    r = summarize_ratings(ratings, method="plain")
    assert (r.q1[0], r.median[0], r.q3[0], r.iqr[0]) == (3.5, 4.0, 4.25, 0.75)


def test_summarize_ratings_columns():
    # Column 1: 4,4,3,5 -> [0,0,1,2,1], N 4, cum 0,0,1,3,4.
    #   Q1 p 1 -> class 3 -> 2.5 + 1 = 3.5; Md p 2 -> class 4, F 1, f 2 -> 4.0;
    #   Q3 p 3 -> class 4 -> 3.5 + 2/2 = 4.5; IQR 1.0
    # Column 2: 5,4,5,2 -> [0,1,0,1,2], cum 0,1,1,2,4.
    #   Q1 p 1 -> class 2 -> 1.5 + 1 = 2.5; Md p 2 -> class 4, F 1, f 1 -> 4.5;
    #   Q3 p 3 -> class 5, F 2, f 2 -> 5.0; IQR 2.5
    # Column 3: 1 and three blanks -> N 1: 0.75, 1.00, 1.25; IQR 0.5
    # Column 4: no answers.
    ratings = [[4, 5, 1, 0], [4, 4, 0, np.nan], [3, 5, np.nan, 0], [5, 2, 0, 0]]
    r = summarize_ratings(ratings)
    assert r.n.tolist() == [4, 4, 1, 0]
    np.testing.assert_array_equal(r.q1, [3.5, 2.5, 0.75, np.nan])
    np.testing.assert_array_equal(r.median, [4.0, 4.5, 1.0, np.nan])
    np.testing.assert_array_equal(r.q3, [4.5, 5.0, 1.25, np.nan])
    np.testing.assert_array_equal(r.iqr, [1.0, 2.5, 0.5, np.nan])
    assert r.band.tolist() == ["high", "highest", "least", None]
    assert r.consensus.tolist() == [True, False, True, False]
    assert r.counts.tolist() == [[0, 0, 1, 2, 1], [0, 1, 0, 1, 2], [1, 0, 0, 0, 0], [0] * 5]
    assert len(r) == 4
    assert r.item(0).trace[1].value == 4
    assert r.item(3).median is None


def test_ratings_summary_is_read_only():
    r = summarize_ratings([[1, 2]])
    with pytest.raises(ValueError, match="read-only"):
        r.median[0] = 3.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.method = "plain"


def test_integer_matrix_and_empty_panel():
    r = summarize_ratings(np.zeros((0, 3), dtype=np.int64))
    assert r.n.tolist() == [0, 0, 0]
    assert np.isnan(r.median).all()
    assert r.band.tolist() == [None, None, None]


def test_large_counts_do_not_overflow():
    # 10^6 answers each of 1 and 5: Md p = 10^6 -> class 1 -> 0.5 + 1 = 1.5.
    # Q1 = 0.5 + 0.5 = 1.0; Q3: p = 1.5e6 -> class 5, F 1e6 -> 4.5 + 0.5 = 5.0.
    r = summarize_count_matrix(np.array([[10**6, 0, 0, 0, 10**6]]))
    assert (r.q1[0], r.median[0], r.q3[0], r.iqr[0]) == (1.0, 1.5, 5.0, 4.0)


def test_points_option_widens_the_scale():
    assert summarize_ratings([[7, 6]], points=7).median.tolist() == [7.0, 6.0]
    with pytest.raises(ValueError, match=r"1\.\.5"):
        summarize_ratings([[7, 6]])


def test_summarize_count_matrix_rejects_bad_tables():
    with pytest.raises(ValueError, match="items x 5"):
        summarize_count_matrix(np.ones((2, 4), dtype=int))
    with pytest.raises(ValueError, match="whole numbers"):
        summarize_count_matrix(-np.ones((2, 5), dtype=int))
