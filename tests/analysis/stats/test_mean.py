"""Mean, SD and CV (analysis.stats.mean), by hand."""

import math
import statistics

import pytest

from analysis.stats import (
    coefficient_of_variation,
    mean_sd,
)

N18 = [0, 1, 3, 8, 6]


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
