import itertools

from crispy_forms.layout import HTML, Layout
from django import forms
from django.contrib.auth import get_user_model
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from delphi_site.forms import CrispyFormMixin
from delphi_site.templatetags.thaidate import localdatetime

from . import protocol
from .models import Expert, Panel, Study, StudyMember

# The rule fields a new form may leave out: blank keeps the study's current rule (the model's
# default for a new study), so a form rendered before these rules existed still saves.
OPTIONAL_RULE_FIELDS = (
    "consensus_rule",
    "agreement_threshold",
    "stopping_consensus_share",
    "stability_max_change",
)


class _StatusField(forms.ChoiceField):
    """The researcher's choice of status; "running" (the old manual value, and what a form
    filled in before this change sends) is accepted and means "from the rounds"."""

    def valid_value(self, value) -> bool:
        return value == Study.Status.RUNNING or super().valid_value(value)

    def to_python(self, value):
        value = super().to_python(value)
        return Study.Status.SETUP if value == Study.Status.RUNNING else value


class StudyForm(CrispyFormMixin, forms.ModelForm):
    error_messages = {
        "labels": _("Give exactly %(points)s labels, one per line."),
        "cutoffs": _("Each band's upper limit must be higher than the one before."),
        "reason_required": protocol.ERRORS["reason_required"],
    }
    scale_labels_text = forms.CharField(
        label=_("Labels of the scale points"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One label per line, from 1 (lowest) to 5 (highest)."),
    )
    deviation_reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Needed only when you change the scale, the bands, the consensus rule or the "
            "stopping rule. It is kept with the change and shown in reports."
        ),
    )

    COVER_FIELDS = (
        "title",
        "title_en",
        "description",
        "researcher_name",
        "researcher_position",
        "institution",
        "institution_address",
        "degree",
        "advisor_name",
    )

    class Meta:
        model = Study
        fields = [
            "title",
            "title_en",
            "description",
            "researcher_name",
            "researcher_position",
            "institution",
            "institution_address",
            "degree",
            "advisor_name",
            "language",
            "band_cutoff_1",
            "band_cutoff_2",
            "band_cutoff_3",
            "band_cutoff_4",
            "consensus_iqr_threshold",
            "consensus_rule",
            "agreement_threshold",
            "stopping_consensus_share",
            "stopping_requires_stability",
            "stability_max_change",
            "status",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "institution_address": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scale_labels_text"].initial = "\n".join(self.instance.scale_labels)
        # Kept before validation copies the posted values onto the instance.
        self.rules_before = dict(protocol.protocol_values(self.instance))
        self.rules_before["scale_labels"] = list(self.instance.scale_labels)
        for name in OPTIONAL_RULE_FIELDS:
            self.fields[name].required = False
        if self.instance.pk is None:
            del self.fields["status"]
        else:
            # The rounds decide "set up" and "running" (Study.phase); the researcher decides
            # only whether the study is finished or archived.
            self.fields["status"] = _StatusField(
                label=_("status"),
                choices=[
                    (Study.Status.SETUP, _("From the rounds (being set up, then running)")),
                    (Study.Status.FINISHED, Study.Status.FINISHED.label),
                    (Study.Status.ARCHIVED, Study.Status.ARCHIVED.label),
                ],
                help_text=Study.PHASE_HELP,
            )
            if self.instance.status == Study.Status.RUNNING:
                self.initial["status"] = Study.Status.SETUP
        if not self.instance.rules_locked:
            del self.fields["deviation_reason"]
        self.order_fields([*self.COVER_FIELDS, "language", "scale_labels_text"])
        if self.instance.rules_locked:
            self._warn_rules_locked()

    def _warn_rules_locked(self) -> None:
        """Put the warning just above the rules, and the reason box just below them."""
        message = gettext(
            "The consensus rules were fixed on %(date)s, when the first rating round opened. "
            "Changing the scale, the bands, the consensus rule or the stopping rule now is a "
            "deviation from the protocol: give the reason below; the change is recorded and "
            "shown in reports."
        ) % {"date": localdatetime(self.instance.rules_locked_at)}
        warning = format_html(
            '<div class="alert alert-warning" role="alert" id="rules-locked">{}</div>', message
        )
        names = [name for name in self.fields if name != "deviation_reason"]
        first_rule = names.index("scale_labels_text")
        last_rule = names.index("stability_max_change")
        self.helper.layout = Layout(
            *names[:first_rule],
            HTML(warning),
            *names[first_rule : last_rule + 1],
            "deviation_reason",
            *names[last_rule + 1 :],
        )

    def _clean_rule(self, name: str):
        value = self.cleaned_data.get(name)
        if value in (None, ""):
            return self.rules_before[name]
        return value

    def clean_consensus_rule(self):
        return self._clean_rule("consensus_rule")

    def clean_agreement_threshold(self):
        return self._clean_rule("agreement_threshold")

    def clean_stopping_consensus_share(self):
        return self._clean_rule("stopping_consensus_share")

    def clean_stability_max_change(self):
        return self._clean_rule("stability_max_change")

    def clean_scale_labels_text(self) -> list[str]:
        labels = [line.strip() for line in self.cleaned_data["scale_labels_text"].splitlines()]
        labels = [label for label in labels if label]
        if len(labels) != 5:
            raise forms.ValidationError(
                self.error_messages["labels"], code="labels", params={"points": 5}
            )
        return labels

    def validate_constraints(self):
        # The model's constraint on the cut-offs would repeat the form's own "cutoffs" message.
        if not self.has_error(forms.forms.NON_FIELD_ERRORS, code="cutoffs"):
            super().validate_constraints()

    def clean(self):
        cleaned = super().clean()
        cutoffs = [cleaned.get(f"band_cutoff_{i}") for i in range(1, 5)]
        if None not in cutoffs and any(a >= b for a, b in itertools.pairwise(cutoffs)):
            raise forms.ValidationError(self.error_messages["cutoffs"], code="cutoffs")
        if "scale_labels_text" in cleaned:
            self.instance.scale_labels = cleaned["scale_labels_text"]
        self.rule_changes = protocol.protocol_changes(self.rules_before, self.rules_after())
        if (
            self.instance.rules_locked
            and self.rule_changes
            and not cleaned.get("deviation_reason", "").strip()
        ):
            self.add_error(
                "deviation_reason",
                forms.ValidationError(
                    self.error_messages["reason_required"], code="reason_required"
                ),
            )
        return cleaned

    def rules_after(self) -> dict:
        """The protocol rules as posted (only those that passed validation)."""
        after = {
            name: self.cleaned_data[name]
            for name in protocol.LOCKED_FIELDS
            if name in self.cleaned_data
        }
        if "scale_labels_text" in self.cleaned_data:
            after["scale_labels"] = self.cleaned_data["scale_labels_text"]
        return after


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
