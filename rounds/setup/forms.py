from django import forms
from django.utils.translation import gettext_lazy as _

from delphi_site.forms import CrispyFormMixin, LocalDateTimeField
from panels.models import Study
from rounds.models import Domain, OpenQuestion, Round

from .services import ERRORS, SENT_LOCKED_FIELDS


class DomainForm(CrispyFormMixin, forms.ModelForm):
    class Meta:
        model = Domain
        fields = ["title", "description", "order"]
        labels = {"title": _("Domain name")}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, study: Study, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.study = study


class RoundForm(CrispyFormMixin, forms.ModelForm):
    error_messages = {"dates": ERRORS["dates"]}

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
        }
        field_classes = {"opens_at": LocalDateTimeField, "closes_at": LocalDateTimeField}

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
        elif not self.instance.is_draft:
            # Experts have seen the round: its number, dates, panel, kind and the round its
            # feedback comes from are part of what they answered. A disabled field keeps the
            # stored value whatever is posted; the service refuses a change all the same.
            for name in SENT_LOCKED_FIELDS:
                self.fields[name].disabled = True
            self.fields["closes_at"].help_text = _(
                "While the round is open, its deadline changes on the round's tracking page."
            )

    @staticmethod
    def initial_from_query(query, study: Study) -> dict:
        """A new round's kind, panel and previous round as a next-step link proposes them
        (rounds.next_steps); values that do not belong to the study are ignored."""
        initial = {}
        if query.get("kind") in Round.Kind.values:
            initial["kind"] = query["kind"]
        for name, choices in (("panel", study.panels), ("previous_round", study.rounds)):
            value = query.get(name, "")
            if value.isdigit() and choices.filter(pk=int(value)).exists():
                initial[name] = int(value)
        return initial

    def clean(self):
        cleaned = super().clean()
        opens_at, closes_at = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens_at and closes_at and opens_at >= closes_at:
            self.add_error(
                "closes_at", forms.ValidationError(self.error_messages["dates"], code="dates")
            )
        return cleaned

    def editable_data(self) -> dict:
        """The cleaned values of the fields the researcher may change, for the service.

        Disabled fields are left out: their cleaned value is the stored one without the
        microseconds the widget cannot show, which the service would take for a change.
        """
        return {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if name in self.cleaned_data and not self.fields[name].disabled
        }


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
