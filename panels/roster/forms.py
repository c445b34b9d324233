from django import forms
from django.utils.translation import gettext_lazy as _

from delphi_site.forms import CrispyFormMixin


class ExpertImportForm(CrispyFormMixin, forms.Form):
    """Only asks for a file; what is wrong with its content is reported row by row."""

    submit_label = _("Check the file")

    # Empty files pass here on purpose: the import page explains them with the other
    # problems of a file instead of as a bare form error.
    file = forms.FileField(
        label=_("Expert list (.xlsx or .csv)"),
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
    )
