"""Numbers in templates: `{{ result.median|number }}` -> "4.13" (two decimals, half-up; a dash
when missing), `{{ change|signed }}` -> "+0.25", `{{ p|pvalue }}` -> "0.03" or "< 0.01"."""

from django import template

from delphi_site.numbers import format_number, format_p_value

register = template.Library()


@register.filter
def number(value, places=2) -> str:
    return format_number(value, int(places))


@register.filter
def signed(value) -> str:
    return format_number(value, signed=True)


@register.filter
def pvalue(value) -> str:
    return format_p_value(value)
