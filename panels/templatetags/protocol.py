"""The study page's protocol card reads the deviations through this tag.

A tag rather than a view variable because the card is the only reader on that page and the
query runs only for a study whose rules are fixed (no deviation can exist before).
"""

from django import template

from panels.protocol import protocol_deviations as _protocol_deviations

register = template.Library()


@register.simple_tag
def protocol_deviations(study) -> list:
    if study.rules_locked_at is None:
        return []
    return _protocol_deviations(study)
