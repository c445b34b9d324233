import itertools

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .models import Expert, Panel, Study, StudyMember


class CrispyFormMixin:
    """Bootstrap layout with one primary submit button."""

    submit_label = _("Save")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No layout bound to the fields now: subclasses may still add or drop fields, and
        # crispy then renders whatever the form holds, in order.
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


class StudyForm(CrispyFormMixin, forms.ModelForm):
    error_messages = {
        "labels": _("Give exactly %(points)s labels, one per line."),
        "cutoffs": _("Each band's upper limit must be higher than the one before."),
    }
    scale_labels_text = forms.CharField(
        label=_("Labels of the scale points"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One label per line, from 1 (lowest) to 5 (highest)."),
    )

    class Meta:
        model = Study
        fields = [
            "title",
            "title_en",
            "description",
            "language",
            "band_cutoff_1",
            "band_cutoff_2",
            "band_cutoff_3",
            "band_cutoff_4",
            "consensus_iqr_threshold",
            "status",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scale_labels_text"].initial = "\n".join(self.instance.scale_labels)
        if self.instance.pk is None:
            del self.fields["status"]
        self.order_fields(["title", "title_en", "description", "language", "scale_labels_text"])

    def clean_scale_labels_text(self) -> list[str]:
        labels = [line.strip() for line in self.cleaned_data["scale_labels_text"].splitlines()]
        labels = [label for label in labels if label]
        if len(labels) != 5:
            raise forms.ValidationError(
                self.error_messages["labels"], code="labels", params={"points": 5}
            )
        return labels

    def clean(self):
        cleaned = super().clean()
        cutoffs = [cleaned.get(f"band_cutoff_{i}") for i in range(1, 5)]
        if None not in cutoffs and any(a >= b for a, b in itertools.pairwise(cutoffs)):
            raise forms.ValidationError(self.error_messages["cutoffs"], code="cutoffs")
        if "scale_labels_text" in cleaned:
            self.instance.scale_labels = cleaned["scale_labels_text"]
        return cleaned


class PanelForm(CrispyFormMixin, forms.ModelForm):
    class Meta:
        model = Panel
        fields = ["name", "purpose", "code_prefix", "order"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, study: Study, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.study = study

    def clean_code_prefix(self) -> str:
        return self.cleaned_data["code_prefix"].strip().upper()


class ExpertForm(CrispyFormMixin, forms.ModelForm):
    class Meta:
        model = Expert
        fields = [
            "name",
            "code",
            "email",
            "phone",
            "line_id",
            "organisation",
            "position",
            "qualification",
        ]
        widgets = {"qualification": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, panel: Panel, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.panel = panel
        self.fields["code"].required = False
        if self.instance.pk is None:
            self.fields["code"].help_text = _("Leave empty to give the next free code.")

    def validate_unique(self):
        # A blank code is filled in by the service; the constraint is checked then.
        if self.cleaned_data.get("code"):
            super().validate_unique()


class CollaboratorForm(CrispyFormMixin, forms.Form):
    submit_label = _("Add collaborator")
    error_messages = {
        "unknown": _("No researcher has this user name or e-mail address."),
    }
    username = forms.CharField(label=_("User name or e-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=StudyMember.Role.choices)

    def clean_username(self):
        value = self.cleaned_data["username"].strip()
        users = get_user_model().objects.filter(is_active=True)
        user = users.filter(username=value).first() or users.filter(email__iexact=value).first()
        if user is None:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown")
        return user
