"""Half-up rounding to two decimals, exactly (analysis.stats.rounding)."""

from fractions import Fraction

import pytest

from analysis.stats import (
    round_half_up,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(33, 8), Fraction(413, 100)),
        (2.675, Fraction(268, 100)),  # the float prints as 2.675; round() gives 2.67
        (1.005, Fraction(101, 100)),
        (Fraction(1, 3), Fraction(33, 100)),
        (0, Fraction(0)),
    ],
)
def test_round_half_up(value, expected):
    assert round_half_up(value) == expected
