"""Every figure shown: two decimals, halves upwards (delphi_site.numbers and its filters)."""

from decimal import Decimal
from fractions import Fraction

from django.template import Context, Template

from delphi_site.numbers import format_number, format_p_value


def test_two_decimals_half_up_whatever_the_type():
    assert format_number(Decimal("4.13000000000000")) == "4.13"
    assert format_number(4.125) == "4.13"  # read as written, not as the binary float
    assert format_number(2.675) == "2.68"
    assert format_number(Fraction(13, 3)) == "4.33"
    assert format_number(3) == "3.00"
    assert format_number(Decimal("-0.001")) == "0.00"
    assert format_number(None) == "\N{EN DASH}"


def test_changes_are_signed_and_p_values_never_read_zero():
    assert format_number(Decimal("0.25"), signed=True) == "+0.25"
    assert format_number(Decimal("-0.25"), signed=True) == "-0.25"
    assert format_p_value(0.0312) == "0.03"
    assert format_p_value(0.0004) == "< 0.01"


def test_the_template_filters():
    template = Template(
        "{% load numbers %}{{ a|number }} {{ b|number }} {{ c|number:0 }} {{ d|signed }}"
    )
    rendered = template.render(
        Context({"a": Decimal("0.00"), "b": None, "c": 87.5, "d": Decimal("0.5")})
    )
    # An IQR of 0.00 is a figure, not a missing value (`default` hid it).
    assert rendered == "0.00 \N{EN DASH} 88 +0.50"
