"""The one-key rating box of the proxy entry form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rounds.models import CANNOT_JUDGE


class TypedRatingField(forms.CharField):
    """One key per statement, as a sheet is read aloud: 1 to the top of the scale, 0 for
    "cannot judge" where the round allows it. Empty keeps whatever the radio buttons say."""

    default_error_messages = {
        "off_scale": _("Type a number from 1 to %(top)s."),
        "off_scale_or_zero": _("Type a number from 1 to %(top)s, or 0 for “cannot judge”."),
    }

    def __init__(self, *, top: int, cannot_judge: bool, **kwargs):
        self.top, self.cannot_judge = top, cannot_judge
        attrs = {
            "inputmode": "numeric",
            "maxlength": 1,
            "autocomplete": "off",
            "class": "form-control text-center rating-typed",
            "data-typed-rating": "",
        }
        super().__init__(required=False, widget=forms.TextInput(attrs), **kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        lowest = CANNOT_JUDGE if self.cannot_judge else 1
        if not text.isdigit() or not lowest <= int(text) <= self.top:
            code = "off_scale_or_zero" if self.cannot_judge else "off_scale"
            raise forms.ValidationError(
                self.error_messages[code], code=code, params={"top": self.top}
            )
        return int(text)
