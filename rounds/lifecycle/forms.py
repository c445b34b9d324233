from django import forms
from django.utils.translation import gettext_lazy as _

from delphi_site.forms import CrispyFormMixin, LocalDateTimeField
from rounds.models import Round


class DeadlineForm(CrispyFormMixin, forms.Form):
    """A new deadline for the whole round or for one expert of its panel."""

    submit_label = _("Set the deadline")

    closes_at = LocalDateTimeField(label=_("New deadline"))
    expert = forms.ModelChoiceField(
        label=_("For"),
        queryset=None,
        required=False,
        empty_label=_("Every expert of the round"),
        help_text=_(
            "Choose one expert to give only them more time; the others keep the round's deadline."
        ),
    )

    def __init__(self, *args, delphi_round: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = delphi_round.panel.experts.order_by("code")
        self.fields["expert"].label_from_instance = lambda expert: f"{expert.code} {expert.name}"
        if delphi_round.closes_at and not self.is_bound and "closes_at" not in self.initial:
            self.initial["closes_at"] = delphi_round.closes_at
