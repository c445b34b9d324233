"""`{% round_next_steps round as next %}` and `{% study_next_steps study as next %}`: what comes
next (rounds.next_steps), filtered to what the reader may do."""

from django import template

from rounds import next_steps

register = template.Library()


@register.simple_tag
def round_next_steps(delphi_round, on_results: bool = False):
    steps = next_steps.round_next_steps(delphi_round, on_results=on_results)
    return steps.for_user(bool(getattr(delphi_round.study, "user_can_edit", False)))


@register.simple_tag
def study_next_steps(study):
    return next_steps.study_next_steps(study).for_user(bool(getattr(study, "user_can_edit", False)))
