"""Dates for Thai readers in the Buddhist era (พ.ศ. = ค.ศ. + 543), in Bangkok time."""

import datetime

from django.template import Context, Template
from django.utils import translation

from delphi_site.templatetags.thaidate import localdate, localdatetime

UTC = datetime.UTC
JAN_22 = datetime.date(2019, 1, 22)
# 18:30 on the 21st in UTC is already 01:30 on the 22nd in Bangkok (UTC+7).
LATE_EVENING_UTC = datetime.datetime(2019, 1, 21, 18, 30, tzinfo=UTC)


def test_thai_date_uses_the_buddhist_era_and_the_thai_month():
    with translation.override("th"):
        assert localdate(JAN_22) == "22 มกราคม 2562"


def test_english_date_keeps_the_common_era():
    with translation.override("en"):
        text = localdate(JAN_22)

    assert "2019" in text
    assert "2562" not in text
    assert "Jan" in text


def test_aware_datetime_is_shown_in_bangkok_time():
    with translation.override("th"):
        assert localdatetime(LATE_EVENING_UTC) == "22 มกราคม 2562, 1:30"


def test_date_of_an_aware_datetime_is_the_bangkok_date():
    with translation.override("th"):
        assert localdate(LATE_EVENING_UTC) == "22 มกราคม 2562"


def test_english_datetime_in_bangkok_time_and_common_era():
    with translation.override("en"):
        text = localdatetime(LATE_EVENING_UTC)

    assert text.startswith("Jan. 22, 2019")
    assert "1:30" in text


def test_new_year_in_bangkok_moves_the_buddhist_year_too():
    # 17:00 UTC on 31 December 2019 is midnight in Bangkok: 1 January 2563.
    new_year = datetime.datetime(2019, 12, 31, 17, 0, tzinfo=UTC)

    with translation.override("th"):
        assert localdate(new_year) == "1 มกราคม 2563"


def test_missing_date_renders_as_nothing():
    with translation.override("th"):
        assert localdate(None) == ""
        assert localdatetime(None) == ""


def test_filters_work_in_templates():
    template = Template("{% load thaidate %}{{ day|localdate }}")

    with translation.override("th"):
        assert template.render(Context({"day": JAN_22})) == "22 มกราคม 2562"


def test_a_sentence_ending_after_a_time_has_one_period():
    # Django's English "8:59 p.m." made "We received your answers on … 8:59 p.m.. Thank you."
    evening = datetime.datetime(2026, 12, 4, 13, 59, tzinfo=UTC)  # 20:59 in Bangkok
    template = Template(
        "{% load i18n thaidate %}{% blocktranslate with date=when|localdatetime %}"
        "We received your answers on {{ date }}. Thank you.{% endblocktranslate %}"
    )

    with translation.override("en"):
        text = template.render(Context({"when": evening}))

    assert ".." not in text
    assert "20:59" in text
