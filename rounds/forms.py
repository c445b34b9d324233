from django import forms
from django.utils.translation import gettext_lazy as _

from delphi_site.forms import CrispyFormMixin
from panels.models import Study

from .models import Domain, OpenQuestion, Round


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class DomainForm(CrispyFormMixin, forms.ModelForm):
    class Meta:
        model = Domain
        fields = ["title", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, study: Study, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.study = study


class RoundForm(CrispyFormMixin, forms.ModelForm):
    error_messages = {
        "dates": _("The deadline must come after the opening date."),
        "locked": _("The panel and kind of a round cannot change once it has been opened."),
    }

    class Meta:
        model = Round
        fields = [
            "number",
            "kind",
            "panel",
            "title",
            "instructions",
            "opens_at",
            "closes_at",
            "previous_round",
        ]
        widgets = {
            "instructions": forms.Textarea(attrs={"rows": 4}),
            "opens_at": DateTimeLocalInput(),
            "closes_at": DateTimeLocalInput(),
        }

    def __init__(self, *args, study: Study, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.study = study
        self.fields["panel"].queryset = study.panels.all()
        others = study.rounds.exclude(pk=self.instance.pk)
        self.fields["previous_round"].queryset = others
        if self.instance.pk is None:
            self.fields["number"].initial = (
                max(study.rounds.values_list("number", flat=True), default=0) + 1
            )
        else:
            if not self.instance.is_draft:
                # Experts have seen the round: its panel, kind and the round its feedback
                # comes from are part of what they answered.
                for name in ("kind", "panel", "previous_round"):
                    self.fields[name].disabled = True

    def clean(self):
        cleaned = super().clean()
        opens_at, closes_at = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens_at and closes_at and opens_at >= closes_at:
            self.add_error(
                "closes_at", forms.ValidationError(self.error_messages["dates"], code="dates")
            )
        return cleaned


class OpenQuestionForm(CrispyFormMixin, forms.ModelForm):
    class Meta:
        model = OpenQuestion
        fields = ["domain", "text", "order"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, delphi_round: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.delphi_round = delphi_round
        self.fields["domain"].queryset = delphi_round.study.domains.all()
        if self.instance.pk is None:
            self.fields["order"].initial = delphi_round.questions.count() + 1
