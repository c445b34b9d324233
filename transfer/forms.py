from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from delphi_site.forms import CrispyFormMixin

from .importing import max_import_bytes


class StudyImportForm(CrispyFormMixin, forms.Form):
    """Only the file and its size; what is wrong inside it is said by the import itself."""

    submit_label = _("Import the study")
    error_messages = {
        "too_large": _("The file is larger than %(limit)s, the most this site accepts."),
    }

    file = forms.FileField(
        label=_("Study export (.json)"),
        widget=forms.FileInput(attrs={"accept": ".json,.gz,application/json"}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > max_import_bytes():
            raise forms.ValidationError(
                self.error_messages["too_large"],
                code="too_large",
                params={"limit": filesizeformat(max_import_bytes())},
            )
        return uploaded


class StudyDeleteForm(forms.Form):
    title = forms.CharField(
        label=_("Type the study's title to confirm"),
        max_length=400,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
