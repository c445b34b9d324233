"""The options of a report download, read from the query string."""

from django import forms
from django.utils.translation import gettext_lazy

from panels.models import Study


class ReportOptionsForm(forms.Form):
    """The query string of a download: the report's language and whether to name the experts."""

    lang = forms.ChoiceField(
        label=gettext_lazy("Report language"),
        required=False,
        choices=Study.Language.choices,
    )
    roster = forms.BooleanField(
        label=gettext_lazy("Include the experts' names (roster)"),
        required=False,
        help_text=gettext_lazy(
            "Without it, experts appear only by code (E01, E02, …), as a committee expects."
        ),
    )
