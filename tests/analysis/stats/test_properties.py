"""Property tests: invariants, vectorised == scalar, and agreement with reference code."""

import math
import statistics
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from analysis.stats import summarize_count_matrix, summarize_counts, summarize_ratings

# database=None: keep the repository free of a .hypothesis folder.
FAST = settings(max_examples=200, deadline=None, database=None)

# Zeros are drawn often so that empty classes (the tricky case) are common.
count = st.one_of(st.just(0), st.integers(0, 3), st.integers(0, 40))
counts5 = st.lists(count, min_size=5, max_size=5)
answered = counts5.filter(lambda c: sum(c) > 0)
cell = st.sampled_from([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, np.nan])
matrices = arrays(
    np.float64,
    st.tuples(st.integers(0, 25), st.integers(1, 6)),
    elements=cell,
)
thresholds = st.sampled_from([0.0, 0.5, 1.0, 1.19, 1.5, 1.505, 2.0, 4.0])
cutoff_sets = st.sampled_from([(1.49, 2.49, 3.49, 4.49), (1.5, 2.5, 3.5, 4.5), (1, 2, 3, 4)])


def answers_of(counts):
    return [k for k, f in enumerate(counts, start=1) for _ in range(f)]


def half_up(x: float) -> float:
    """Independent reference rounding: the decimal the float prints as, ROUND_HALF_UP."""
    return float(Decimal(repr(float(x))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def assert_column_matches(summary, j, item):
    assert summary.n[j] == item.n
    for name in ("median", "q1", "q3", "iqr"):
        expected = getattr(item, name)
        actual = getattr(summary, name)[j]
        if expected is None:
            assert math.isnan(actual)
        else:
            assert actual == expected, (name, actual, expected)
    assert summary.band[j] == item.band
    assert bool(summary.consensus[j]) is item.consensus
    assert tuple(summary.counts[j]) == item.counts


@FAST
@given(answered, st.sampled_from(["grouped", "plain"]))
def test_quartiles_are_ordered(counts, method):
    s = summarize_counts(counts, method=method)
    assert s.q1 <= s.median <= s.q3
    assert s.iqr >= 0
    if method == "grouped":
        q1, median, q3 = (t.value for t in s.trace)
        assert q1 <= median <= q3
        assert all(t.f > 0 and t.F < t.position <= t.F + t.f for t in s.trace)
        assert all(t.formula.endswith(f"-> {getattr(s, t.name):.2f}") for t in s.trace)


@FAST
@given(answered.flatmap(lambda c: st.permutations(answers_of(c))))
def test_order_of_answers_does_not_matter(answers):
    column = np.array(answers, dtype=float)[:, None]
    shuffled = summarize_ratings(column)
    ordered = summarize_ratings(np.sort(column, axis=0))
    for name in ("n", "median", "q1", "q3", "iqr", "consensus", "band"):
        assert getattr(shuffled, name).tolist() == getattr(ordered, name).tolist()


@FAST
@given(matrices, st.sampled_from(["grouped", "plain"]), thresholds, cutoff_sets)
def test_summarize_ratings_equals_summarize_counts(matrix, method, threshold, cutoffs):
    options = {"method": method, "threshold": threshold, "cutoffs": cutoffs}
    summary = summarize_ratings(matrix, **options)
    for j in range(matrix.shape[1]):
        column = matrix[:, j]
        counts = [int(np.count_nonzero(column == k)) for k in range(1, 6)]
        assert_column_matches(summary, j, summarize_counts(counts, **options))


@FAST
@given(st.lists(counts5, min_size=1, max_size=6))
def test_count_matrix_equals_ratings(table):
    from_counts = summarize_count_matrix(np.array(table))
    for j, counts in enumerate(table):
        assert_column_matches(from_counts, j, summarize_counts(counts))


def median_on_boundary_before_empty_class(counts):
    """True when N is even, N/2 is the cumulative frequency of the first class reaching it,
    and the next class is empty: the only case where our class differs from the class of
    sorted(data)[N // 2] that statistics.median_grouped (CPython 3.12) interpolates in.

    For odd N both pick the class of the ((N + 1) / 2)-th answer. For even N ours is the
    first class with cum >= N/2, theirs the first with cum > N/2; they differ only when some
    cum equals N/2, and then our value is that class's top, theirs the next non-empty
    class's bottom: the same number unless empty classes lie in between.
    """
    n = sum(counts)
    if n % 2:
        return False
    cumulative = 0
    for k, f in enumerate(counts):
        cumulative += f
        if cumulative >= n // 2:
            return cumulative == n // 2 and counts[k + 1] == 0
    raise AssertionError


@FAST
@given(answered)
@example([2, 0, 0, 0, 2])  # 1,1,5,5: boundary before empty classes
@example([0, 2, 2, 0, 0])  # boundary before a non-empty class: same value
@example([0, 1, 0, 1, 0])
def test_grouped_median_equals_statistics_median_grouped(counts):
    s = summarize_counts(counts)
    exact = s.trace[1].value
    reference = statistics.median_grouped(answers_of(counts), interval=1)
    if median_on_boundary_before_empty_class(counts):
        # Ours is the top of the class, theirs the bottom of the next non-empty class.
        assert exact == s.trace[1].k + 0.5
        assert reference > exact
    else:
        assert math.isclose(float(exact), reference, rel_tol=0, abs_tol=1e-12)


@FAST
@given(answered)
def test_plain_equals_numpy_percentile(counts):
    answers = np.array(answers_of(counts))
    q1, median, q3 = np.percentile(answers, [25, 50, 75])
    assert median == np.median(answers)
    s = summarize_counts(counts, method="plain")
    # Quarter steps between small integers are exact in binary, so these floats are exact.
    assert (s.q1, s.median, s.q3, s.iqr) == tuple(map(half_up, (q1, median, q3, q3 - q1)))


@FAST
@given(matrices)
def test_plain_matrix_equals_numpy_nanpercentile(matrix):
    blanked = np.where(matrix == 0, np.nan, matrix)
    answered_items = ~np.isnan(blanked).all(axis=0)
    r = summarize_ratings(matrix, method="plain")
    assert np.isnan(r.median[~answered_items]).all()
    if answered_items.any():
        expected = np.nanpercentile(blanked[:, answered_items], [25, 50, 75], axis=0)
        for name, row in zip(("q1", "median", "q3"), expected, strict=True):
            assert getattr(r, name)[answered_items].tolist() == [half_up(v) for v in row]
