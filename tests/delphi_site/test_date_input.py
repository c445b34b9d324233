"""Date fields typed in the reader's era: Buddhist era in Thai, Common Era in English."""

import datetime
import zoneinfo

import pytest
from django import forms
from django.utils import translation

from delphi_site.forms import LocalDateTimeField

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")
DEC_20 = datetime.datetime(2026, 12, 20, 17, 0, tzinfo=BANGKOK)


class DeadlineForm(forms.Form):
    closes_at = LocalDateTimeField(label="deadline")


def _clean(language: str, text: str) -> forms.Form:
    with translation.override(language):
        form = DeadlineForm(data={"closes_at": text})
        form.is_valid()
    return form


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("th", "20/12/2569 17:00"),
        ("th", "20.12.2569 17.00"),
        ("th", " 20/12/2569  17:00 "),
        ("en", "20/12/2026 17:00"),
        ("en", "2026-12-20T17:00"),
        ("th", "2026-12-20T17:00"),
    ],
)
def test_a_date_typed_in_the_readers_era_is_the_same_moment(language, text):
    form = _clean(language, text)

    assert form.errors == {}
    assert form.cleaned_data["closes_at"] == DEC_20


def test_the_widget_shows_the_buddhist_era_in_thai_and_the_common_era_in_english():
    with translation.override("th"):
        thai = str(DeadlineForm(initial={"closes_at": DEC_20})["closes_at"])
    with translation.override("en"):
        english = str(DeadlineForm(initial={"closes_at": DEC_20})["closes_at"])

    assert 'value="20/12/2569 17:00"' in thai
    assert 'value="20/12/2026 17:00"' in english
    for html in (thai, english):
        assert 'type="text"' in html
        assert 'inputmode="decimal"' in html
        assert "placeholder=" in html
    assert "วว/ดด/ปปปป" in thai


def test_an_aware_utc_value_is_shown_in_bangkok_time():
    utc = datetime.datetime(2026, 12, 20, 10, 0, tzinfo=datetime.UTC)
    with translation.override("th"):
        html = str(DeadlineForm(initial={"closes_at": utc})["closes_at"])
    assert 'value="20/12/2569 17:00"' in html


def test_a_common_era_year_typed_in_thai_is_refused_naming_the_buddhist_year():
    form = _clean("th", "20/12/2026 17:00")

    assert form.has_error("closes_at", code="buddhist_year")
    with translation.override("th"):
        message = form.errors["closes_at"][0]
    assert "2569" in message and "พ.ศ." in message


@pytest.mark.parametrize("text", ["20/12/2569 17:00", "2569-12-20T17:00"])
def test_a_buddhist_year_typed_in_english_is_refused_naming_the_common_year(text):
    form = _clean("en", text)

    assert form.has_error("closes_at", code="common_year")
    assert "2026" in form.errors["closes_at"][0]


@pytest.mark.parametrize("text", ["31/02/2569 17:00", "20/12/2569", "tomorrow", "20/13/2569 9:00"])
def test_a_bad_date_gets_a_clear_message(text):
    form = _clean("th", text)

    assert form.has_error("closes_at", code="invalid")
    with translation.override("th"):
        assert "วว/ดด/ปปปป" in form.errors["closes_at"][0]


def test_the_round_form_reads_a_thai_deadline(db):
    from rounds.setup.forms import RoundForm
    from tests.panels.factories import PanelFactory

    panel = PanelFactory()
    with translation.override("th"):
        form = RoundForm(
            data={
                "number": 1,
                "kind": "open",
                "panel": panel.pk,
                "title": "รอบที่ 1",
                "opens_at": "01/12/2569 09:00",
                "closes_at": "20/12/2569 17:00",
            },
            study=panel.study,
        )
        assert form.is_valid(), form.errors
    assert form.cleaned_data["closes_at"] == DEC_20
    assert form.cleaned_data["opens_at"] == datetime.datetime(2026, 12, 1, 9, 0, tzinfo=BANGKOK)


def test_the_deadline_and_reopen_forms_use_the_field():
    from rounds.building.forms import ReopenForm
    from rounds.lifecycle.forms import DeadlineForm as RoundDeadlineForm

    assert isinstance(RoundDeadlineForm.base_fields["closes_at"], LocalDateTimeField)
    assert isinstance(ReopenForm.base_fields["closes_at"], LocalDateTimeField)
