"""The final report names the confirmation's bands in the report's language, not the study's:
an English report of a Thai study says "Highest", as its other sections do."""

import pytest
from django.utils import translation

from analysis import stats
from demo.services import demo_study_load
from reports.data import confirmation_results

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "th"])
def test_confirmation_bands_are_named_in_the_report_language(language):
    study = demo_study_load().study
    assert study.language == "th"

    with translation.override(language):
        confirmation = confirmation_results(study)

    cells = [cell for row in confirmation.results.rows for cell in row.cells if cell]
    assert cells, "the demo study's qualified persons have confirmed the model"
    assert {cell.band_label for cell in cells} <= set(stats.BAND_LABELS[language].values())
    assert {cell.band_label for cell in cells} & set(stats.BAND_LABELS[language].values())
    assert confirmation.report.band_labels == dict(stats.BAND_LABELS[language])
