"""The audit log's filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from delphi_site.forms import LocalDateField

from .selectors import AuditFilters


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.ChoiceField(label=_("By"), required=False)
    since = LocalDateField(label=_("From"), required=False)
    until = LocalDateField(label=_("To"), required=False)
    round_number = forms.IntegerField(label=_("Round"), required=False, min_value=1)

    def __init__(self, *args, actions, actors, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["action"].choices = everything + list(actions)
        self.fields["actor"].choices = everything + list(actors)
        for field in self.fields.values():
            is_select = isinstance(field, forms.ChoiceField)
            field.widget.attrs["class"] = "form-select" if is_select else "form-control"

    def filters(self) -> AuditFilters:
        """The valid filters; a field with an error is left out (the page says which)."""
        if not self.is_bound:
            return AuditFilters()
        self.is_valid()
        data = self.cleaned_data
        return AuditFilters(
            action=data.get("action") or "",
            actor=data.get("actor") or "",
            since=data.get("since"),
            until=data.get("until"),
            round_number=data.get("round_number"),
        )
