"""The results page's filter form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from analysis import stats
from panels.models import Study


class ResultsFilterForm(forms.Form):
    """The page's filters, read from the query string so a filtered view can be bookmarked."""

    consensus = forms.ChoiceField(
        label=_("Consensus"),
        required=False,
        choices=[("", _("All statements")), ("no", _("No consensus")), ("yes", _("Consensus"))],
    )
    changed = forms.BooleanField(
        label=_("Changed since the previous round"),
        required=False,
        help_text=_("Median, interquartile range or consensus differ from the previous round."),
    )
    band = forms.ChoiceField(label=_("Band"), required=False)

    def __init__(self, *args, study: Study, **kwargs):
        super().__init__(*args, **kwargs)
        # Band names in the study's language, as the results tables print them.
        labels = stats.BAND_LABELS.get(study.language, stats.BAND_LABELS_EN)
        self.fields["band"].choices = [("", _("Any band"))] + [
            (band, labels[band]) for band in reversed(stats.BANDS)
        ]

    def filters(self) -> dict:
        """The valid filters; a bad value is reported on the form and otherwise ignored."""
        cleaned = {}
        if self.is_bound:
            # An invalid form still keeps its valid fields in cleaned_data.
            self.is_valid()
            cleaned = self.cleaned_data
        return {
            "consensus": cleaned.get("consensus") or "",
            "changed": bool(cleaned.get("changed")),
            "band": cleaned.get("band") or "",
        }
