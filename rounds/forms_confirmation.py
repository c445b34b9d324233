"""The researcher's form for a confirmation round's criteria and statistic. It checks input
only; the rules (draft only, names unique, at least one) are rounds.confirmation's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ConfirmationStatistic, Round

# Blank rows offered for new criteria; a blank row left blank adds nothing.
EXTRA_ROWS = 2


class CriterionForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    label = forms.CharField(label=_("Criterion"), max_length=100, required=False)
    remove = forms.BooleanField(label=_("Remove"), required=False)


CriterionFormSet = forms.formset_factory(CriterionForm, extra=EXTRA_ROWS, max_num=20)


class CriteriaForm(forms.Form):
    """The statistic; the criteria themselves come in the `criteria` formset beside it."""

    statistic = forms.ChoiceField(
        label=_("How the verdict reads the answers"),
        choices=ConfirmationStatistic.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, delphi_round: Round, **kwargs):
        kwargs.setdefault("initial", {"statistic": delphi_round.confirmation_statistic})
        super().__init__(*args, **kwargs)
        self.criteria = CriterionFormSet(
            *args, prefix="criteria", initial=delphi_round.rating_criteria
        )

    def is_valid(self) -> bool:
        # Both must be checked: `and` would skip the formset's errors after the form's.
        valid = super().is_valid()
        return self.criteria.is_valid() and valid

    def chosen_criteria(self) -> list[dict]:
        """The kept rows in page order, as {"code", "label"}; blank new rows are left out,
        a blank name on an existing criterion is passed on for the service to refuse."""
        chosen = []
        for row in self.criteria.cleaned_data:
            if not row or row.get("remove"):
                continue
            if not row.get("code") and not row.get("label", "").strip():
                continue
            chosen.append({"code": row.get("code", ""), "label": row.get("label", "")})
        return chosen
