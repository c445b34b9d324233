"""Dates as Thai readers expect them: the Buddhist era (พ.ศ. = C.E. + 543) when Thai is active."""

import datetime

from django import template
from django.utils import formats, timezone, translation
from django.utils.dateformat import format as django_format

register = template.Library()

BUDDHIST_ERA_OFFSET = 543


def _format(value, format_name: str) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    pattern = formats.get_format(format_name)
    if translation.get_language() == "th":
        # Only the year changes; the pattern's other letters keep their meaning. Digits are
        # not format characters, so the Buddhist-era year passes through verbatim.
        pattern = pattern.replace("Y", str(value.year + BUDDHIST_ERA_OFFSET))
    return django_format(value, pattern)


@register.filter
def localdate(value) -> str:
    """A date (or the date part of a datetime) in the active language's long format."""
    return _format(value, "DATE_FORMAT")


@register.filter
def localdatetime(value) -> str:
    """A datetime in the active language's long format, in the site's time zone."""
    return _format(value, "DATETIME_FORMAT")
