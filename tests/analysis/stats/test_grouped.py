"""Hand-worked cases of the seed paper's grouped formulas (analysis.stats.grouped).

Every expected value below is worked out by hand in the comment above it, never by calling
the code under test. Notation: counts are f_1..f_5, cum = cumulative frequencies, p the
position (N/4, N/2, 3N/4), class = first class with cum >= p, L = k - 0.5, F = cum below,
value = L + (p - F) / f.
"""

import statistics
from fractions import Fraction

import numpy as np
import pytest

from analysis.stats import (
    QuantileTrace,
    summarize_counts,
    summarize_ratings,
)


def quartiles(summary):
    return summary.q1, summary.median, summary.q3, summary.iqr


def test_n18_worked_example():
    # [0,1,3,8,6], N = 18, cum 0,1,4,12,18.
    # Q1: p = 4.5 -> class 4 (cum 12), L 3.5, F 4, f 8 -> 3.5 + 0.5/8 = 3.5625 -> 3.56
    # Md: p = 9   -> class 4,          L 3.5, F 4, f 8 -> 3.5 + 5/8   = 4.125  -> 4.13
    # Q3: p = 13.5-> class 5 (cum 18), L 4.5, F 12, f 6 -> 4.5 + 1.5/6 = 4.75  -> 4.75
    # IQR = 4.75 - 3.5625 = 1.1875 -> 1.19 <= 1.50: consensus; 4.13 is 'high'.
    s = summarize_counts([0, 1, 3, 8, 6])
    assert s.n == 18
    assert quartiles(s) == (3.56, 4.13, 4.75, 1.19)
    assert s.band == "high"
    assert s.consensus is True
    assert s.counts == (0, 1, 3, 8, 6)
    assert s.method == "grouped"
    q1, median, q3 = s.trace
    assert q1 == QuantileTrace("q1", Fraction(9, 2), 4, Fraction(7, 2), 4, 8, Fraction(57, 16))
    assert median == QuantileTrace("median", Fraction(9), 4, Fraction(7, 2), 4, 8, Fraction(33, 8))
    assert q3 == QuantileTrace("q3", Fraction(27, 2), 5, Fraction(9, 2), 12, 6, Fraction(19, 4))
    assert median.rounded == Fraction(413, 100)
    assert q1.formula.endswith("= 3.5625 -> 3.56")
    assert q3.formula.endswith("= 4.75 -> 4.75")
    assert median.formula == (
        "median: p = 9, class 4 (L = 3.5, F = 4, f = 8); 3.5 + 1 * (9 - 4) / 8 = 4.125 -> 4.13"
    )


def test_n21_no_consensus():
    # [1,2,3,7,8], N = 21, cum 1,3,6,13,21.
    # Q1: p = 5.25  -> class 3, F 3, f 3  -> 2.5 + 2.25/3 = 3.25
    # Md: p = 10.5  -> class 4, F 6, f 7  -> 3.5 + 4.5/7  = 4.142857.. -> 4.14
    # Q3: p = 15.75 -> class 5, F 13, f 8 -> 4.5 + 2.75/8 = 4.84375   -> 4.84
    # IQR = 4.84375 - 3.25 = 1.59375 -> 1.59 > 1.50: no consensus.
    s = summarize_counts([1, 2, 3, 7, 8])
    assert s.n == 21
    assert quartiles(s) == (3.25, 4.14, 4.84, 1.59)
    assert (s.band, s.consensus) == ("high", False)
    assert s.trace[1].value == Fraction(7, 2) + Fraction(9, 14)
    assert s.trace[1].formula.endswith("= 29/7 (~4.1429) -> 4.14")


def test_all_answers_equal():
    # 18 x "5": every p lies in class 5, L 4.5, F 0, f 18.
    # Q1 = 4.5 + 4.5/18 = 4.75, Md = 4.5 + 9/18 = 5.00, Q3 = 4.5 + 13.5/18 = 5.25
    # IQR = 0.50: consensus, 'highest'. (Quartiles may leave 1..5: that is the formula.)
    s = summarize_counts([0, 0, 0, 0, 18])
    assert quartiles(s) == (4.75, 5.0, 5.25, 0.5)
    assert (s.band, s.consensus) == ("highest", True)


def test_empty_inner_classes():
    # [3,0,4,0,1], N = 8, cum 3,3,7,7,8.
    # Q1: p = 2 -> class 1, F 0, f 3 -> 0.5 + 2/3 = 1.1666.. -> 1.17
    # Md: p = 4 -> class 3 (class 2 has cum 3 < 4), F 3, f 4 -> 2.5 + 1/4 = 2.75
    # Q3: p = 6 -> class 3, F 3, f 4 -> 2.5 + 3/4 = 3.25
    # IQR = 3.25 - 7/6 = 2.0833.. -> 2.08: no consensus; 2.75 is 'moderate'.
    s = summarize_counts([3, 0, 4, 0, 1])
    assert quartiles(s) == (1.17, 2.75, 3.25, 2.08)
    assert (s.band, s.consensus) == ("moderate", False)
    assert [t.k for t in s.trace] == [1, 3, 3]


def test_boundary_before_empty_classes_differs_from_median_grouped():
    # Answers 1,1,5,5: [2,0,0,0,2], cum 2,2,2,2,4.
    # Md: p = 2 -> class 1 already has cum 2 >= 2 -> 0.5 + 2/2 = 1.5 (top of class 1).
    # statistics.median_grouped takes the class of sorted(data)[2] = 5 -> 4.5 + 0/2 = 4.5.
    # Q1: p = 1 -> class 1 -> 0.5 + 1/2 = 1.0; Q3: p = 3 -> class 5, F 2, f 2 -> 5.0.
    s = summarize_counts([2, 0, 0, 0, 2])
    assert quartiles(s) == (1.0, 1.5, 5.0, 4.0)
    assert (s.band, s.consensus) == ("low", False)
    assert s.trace[1].k == 1
    assert statistics.median_grouped([1, 1, 5, 5]) == 4.5


def test_boundary_followed_by_non_empty_class_is_the_same_point():
    # [0,2,2,0,0] (answers 2,2,3,3), cum 0,2,4.
    # Md: p = 2 -> class 2 (cum 2 >= 2) -> 1.5 + 2/2 = 2.5, the top of class 2, which is
    # also the bottom of class 3: median_grouped's 2.5 + 0/2 gives the same 2.5.
    # Q1: p = 1 -> class 2 -> 1.5 + 1/2 = 2.0; Q3: p = 3 -> class 3, F 2 -> 2.5 + 1/2 = 3.0
    s = summarize_counts([0, 2, 2, 0, 0])
    assert quartiles(s) == (2.0, 2.5, 3.0, 1.0)
    assert s.band == "moderate"
    assert statistics.median_grouped([2, 2, 3, 3]) == 2.5


def test_n1():
    # One answer "3": p = 0.25, 0.5, 0.75 all in class 3, L 2.5, F 0, f 1.
    # Q1 = 2.75, Md = 3.00, Q3 = 3.25, IQR 0.50.
    s = summarize_counts([0, 0, 1, 0, 0])
    assert quartiles(s) == (2.75, 3.0, 3.25, 0.5)
    assert (s.n, s.band, s.consensus) == (1, "moderate", True)


def test_n2():
    # Answers 2 and 4: [0,1,0,1,0], cum 0,1,1,2,2.
    # Q1: p = 0.5 -> class 2, F 0, f 1 -> 1.5 + 0.5 = 2.0
    # Md: p = 1   -> class 2 (cum 1 >= 1) -> 1.5 + 1 = 2.5 (empty class 3 follows)
    # Q3: p = 1.5 -> class 4, F 1, f 1 -> 3.5 + 0.5 = 4.0; IQR 2.0
    s = summarize_counts([0, 1, 0, 1, 0])
    assert quartiles(s) == (2.0, 2.5, 4.0, 2.0)
    assert (s.band, s.consensus) == ("moderate", False)


def test_n0():
    s = summarize_counts([0, 0, 0, 0, 0])
    assert (s.n, s.median, s.q1, s.q3, s.iqr, s.band, s.consensus, s.trace) == (
        0,
        None,
        None,
        None,
        None,
        None,
        False,
        (),
    )


def test_seven_point_scale():
    # points=7, [0,0,0,1,2,1,0], N = 4, cum 0,0,0,1,3,4,4.
    # Md: p = 2 -> class 5, F 1, f 2 -> 4.5 + 1/2 = 5.0 -> above 4.49: 'highest'.
    s = summarize_counts([0, 0, 0, 1, 2, 1, 0], points=7)
    assert s.median == 5.0
    assert s.band == "highest"


def test_half_up_differs_from_bankers_rounding():
    # [0,0,0,3,4], N = 7, cum 0,0,0,3,7. Md: p = 3.5 -> class 5, F 3, f 4
    # -> 4.5 + 0.5/4 = 4.625 exactly -> half-up 4.63; round(4.625, 2) == 4.62 (to even).
    s = summarize_counts([0, 0, 0, 3, 4])
    assert s.median == 4.63
    assert round(4.625, 2) == 4.62
    assert s.trace[1].value == Fraction(37, 8)


def test_iqr_exactly_150_is_consensus():
    # [0,0,1,1,1], N = 3, cum 0,0,1,2,3.
    # Q1: p = 0.75 -> class 3, F 0, f 1 -> 3.25; Q3: p = 2.25 -> class 5, F 2, f 1 -> 4.75
    # IQR = 1.50 exactly -> consensus.
    s = summarize_counts([0, 0, 1, 1, 1])
    assert (s.q1, s.q3, s.iqr, s.consensus) == (3.25, 4.75, 1.5, True)


def test_iqr_1505_rounds_half_up_to_151_no_consensus():
    # [0,0,25,27,40], N = 92, cum 0,0,25,52,92.
    # Q1: p = 23 -> class 3, F 0, f 25  -> 2.5 + 23/25 = 3.42
    # Md: p = 46 -> class 4, F 25, f 27 -> 3.5 + 21/27 = 4.2777.. -> 4.28
    # Q3: p = 69 -> class 5, F 52, f 40 -> 4.5 + 17/40 = 4.925 -> 4.93
    # IQR = 4.925 - 3.42 = 1.505 exactly -> half-up 1.51 > 1.50: NO consensus
    # (banker's rounding would give 1.50 and a different verdict).
    s = summarize_counts([0, 0, 25, 27, 40])
    assert quartiles(s) == (3.42, 4.28, 4.93, 1.51)
    assert s.consensus is False


def test_iqr_1495_rounds_to_150_consensus():
    # [0,0,9,4,25], N = 38, cum 0,0,9,13,38.
    # Q1: p = 9.5  -> class 4, F 9, f 4   -> 3.5 + 0.5/4 = 3.625 -> 3.63
    # Md: p = 19   -> class 5, F 13, f 25 -> 4.5 + 6/25 = 4.74
    # Q3: p = 28.5 -> class 5, F 13, f 25 -> 4.5 + 15.5/25 = 5.12
    # IQR = 5.12 - 3.625 = 1.495 exactly -> 1.50: consensus. IQR is rounded once from the
    # exact difference, so it need not equal 5.12 - 3.63 = 1.49 of the displayed quartiles.
    s = summarize_counts([0, 0, 9, 4, 25])
    assert quartiles(s) == (3.63, 4.74, 5.12, 1.5)
    assert s.consensus is True


def test_iqr_rounded_once_from_exact_value():
    # [0,1,7,9,10], N = 27, cum 0,1,8,17,27.
    # Q1: p = 6.75  -> class 3, F 1, f 7   -> 2.5 + 5.75/7 = 93/28 = 3.3214.. -> 3.32
    # Q3: p = 20.25 -> class 5, F 17, f 10 -> 4.5 + 3.25/10 = 4.825 -> 4.83
    # IQR = 193/40 - 93/28 = 421/280 = 1.50357.. -> 1.50: consensus
    # (subtracting the displayed quartiles would give 1.51).
    s = summarize_counts([0, 1, 7, 9, 10])
    assert (s.q1, s.q3, s.iqr, s.consensus) == (3.32, 4.83, 1.5, True)


@pytest.mark.parametrize(
    ("counts", "median", "band"),
    [
        # [100,0,0,0,98]: p = 99 -> class 1, F 0, f 100 -> 0.5 + 0.99 = 1.49: 'least'
        ([100, 0, 0, 0, 98], 1.49, "least"),
        # [99,0,0,0,99]: p = 99 -> class 1 -> 0.5 + 99/99 = 1.50: 'low'
        ([99, 0, 0, 0, 99], 1.5, "low"),
        # [200,0,0,0,198]: p = 199 -> 0.5 + 199/200 = 1.495 -> half-up 1.50: 'low'
        # (the float 1.495 is 1.49499.. and round() would say 1.49: 'least').
        ([200, 0, 0, 0, 198], 1.5, "low"),
        # [0,0,0,100,98]: p = 99 -> class 4, F 0, f 100 -> 3.5 + 0.99 = 4.49: 'high'
        ([0, 0, 0, 100, 98], 4.49, "high"),
        # [0,0,0,99,99]: p = 99 -> class 4 -> 3.5 + 1 = 4.50: 'highest'
        ([0, 0, 0, 99, 99], 4.5, "highest"),
        # [0,0,0,200,198]: p = 199 -> 3.5 + 199/200 = 4.495 -> 4.50: 'highest'
        ([0, 0, 0, 200, 198], 4.5, "highest"),
    ],
)
def test_band_boundaries_from_counts(counts, median, band):
    s = summarize_counts(counts)
    assert (s.median, s.band) == (median, band)
    r = summarize_ratings(np.repeat(np.arange(1, 6), counts)[:, None])
    assert (r.median[0], r.band[0]) == (median, band)


def test_threshold_option():
    # N = 18 example: IQR 1.19.
    assert summarize_counts([0, 1, 3, 8, 6], threshold=1.19).consensus is True
    assert summarize_counts([0, 1, 3, 8, 6], threshold=1.18).consensus is False
    assert summarize_counts([0, 0, 1, 1, 1], threshold=1.0).consensus is False


def test_plain_method():
    # Answers 2,4,4,5 (N = 4). numpy's linear rule: h = (N - 1) q.
    # Q1: h = 0.75 -> 2 + 0.75 (4 - 2) = 3.5; Md: h = 1.5 -> 4 + 0.5 (4 - 4) = 4.0
    # Q3: h = 2.25 -> 4 + 0.25 (5 - 4) = 4.25; IQR 0.75.
    s = summarize_counts([0, 1, 0, 2, 1], method="plain")
    assert quartiles(s) == (3.5, 4.0, 4.25, 0.75)
    assert (s.method, s.trace, s.band, s.consensus) == ("plain", (), "high", True)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"counts": [1, 2, 3]}, "expected 5 counts"),
        ({"counts": [1, -2, 3, 0, 0]}, "whole number >= 0"),
        ({"counts": [1, 2.5, 3, 0, 0]}, "whole number >= 0"),
        ({"counts": [1, 2, 3, 4, 5], "method": "mean"}, "method must be one of"),
        ({"counts": [1, 2, 3, 4, 5], "cutoffs": (1, 2)}, "cutoffs needs 4"),
        ({"counts": [1, 2, 3, 4, 5], "cutoffs": (1, 3, 2, 4)}, "must increase"),
        ({"counts": [1, 2, 3, 4, 5], "points": 0}, "points must be"),
    ],
)
def test_invalid_counts_and_options(kwargs, message):
    counts = kwargs.pop("counts")
    with pytest.raises(ValueError, match=message):
        summarize_counts(counts, **kwargs)


def test_as_dict_is_json_ready():
    data = summarize_counts([0, 1, 3, 8, 6]).as_dict()
    assert data["median"] == 4.13
    assert data["trace"][1]["value"] == "33/8"
    assert data["trace"][1]["formula"].endswith("= 4.125 -> 4.13")
