"""Bands of a median and their labels (analysis.stats.bands)."""

from fractions import Fraction

import pytest

from analysis.stats import (
    BAND_LABELS,
    BAND_LABELS_TH,
    BANDS,
    band_for,
)


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (1.0, "least"),
        (1.49, "least"),
        (1.494, "least"),
        (1.495, "low"),
        (1.5, "low"),
        (2.49, "low"),
        (2.5, "moderate"),
        (3.49, "moderate"),
        (3.5, "high"),
        (4.49, "high"),
        (4.495, "highest"),
        (4.5, "highest"),
        (5.0, "highest"),
        (Fraction(299, 200), "low"),
        (None, None),
    ],
)
def test_band_for(value, band):
    assert band_for(value) == band


def test_band_for_custom_cutoffs():
    assert band_for(2.0, cutoffs=(1.99, 2.99, 3.99, 4.99)) == "low"
    assert band_for(1.99, cutoffs=(1.99, 2.99, 3.99, 4.99)) == "least"


def test_band_labels():
    assert BANDS == ("least", "low", "moderate", "high", "highest")
    assert tuple(BAND_LABELS_TH.values()) == ("น้อยที่สุด", "น้อย", "ปานกลาง", "มาก", "มากที่สุด")
    assert set(BAND_LABELS["en"]) == set(BANDS) == set(BAND_LABELS["th"])
