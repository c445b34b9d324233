"""Forms of the round builder, of a confirmation round's criteria and of reopening a round. They
check input; the rules (draft only, closed sources, names unique, a reason to reopen) are the
services' (rounds.building, rounds.lifecycle)."""

from crispy_forms.layout import HTML, Layout
from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from delphi_site.forms import CrispyFormMixin, LocalDateTimeField
from delphi_site.templatetags.thaidate import localdatetime
from rounds.models import ConfirmationStatistic, Domain, Round

from .rules import FEEDBACK_FIELDS, PREVIOUS_ROUND_FEEDBACK
from .selectors import BuildSource

FROM_STATEMENTS = "statements"
ALL_ITEMS = "all"
WITHOUT_CONSENSUS = "without"
FINAL_MODEL = "model"

# Blank rows offered for new criteria; a blank row left blank adds nothing.
EXTRA_ROWS = 2


def _round_label(name: str):
    return Round._meta.get_field(name).verbose_name


class BuildForm(forms.Form):
    """Where the round's statements come from, and what feedback its experts see.

    Two buttons share the form: "build" fills the round from the chosen source (and saves the
    feedback), "feedback" saves only the feedback and leaves the statements as they are.
    """

    error_messages = {
        "source": _("Choose where the statements come from."),
    }
    action = forms.ChoiceField(
        choices=[("build", "build"), ("feedback", "feedback")], required=False
    )
    source = forms.ChoiceField(
        label=_("Statements to rate"), widget=forms.RadioSelect, required=False
    )
    show_median = forms.BooleanField(label=_round_label("show_median"), required=False)
    show_iqr = forms.BooleanField(label=_round_label("show_iqr"), required=False)
    show_distribution = forms.BooleanField(label=_round_label("show_distribution"), required=False)
    show_own_previous = forms.BooleanField(label=_round_label("show_own_previous"), required=False)
    require_reason_outside_iqr = forms.BooleanField(
        label=_round_label("require_reason_outside_iqr"),
        required=False,
        help_text=_(
            "Outside the middle half (Q1 to Q3) of the previous round's answers to the same "
            "statement."
        ),
    )
    require_reason_when_unchanged = forms.BooleanField(
        label=_round_label("require_reason_when_unchanged"),
        required=False,
        help_text=_(
            "Off: an expert who keeps the answer they gave in the previous round is not asked "
            "for a reason again."
        ),
    )
    allow_cannot_judge = forms.BooleanField(
        label=_round_label("allow_cannot_judge"),
        required=False,
        help_text=_("Left out of the statistics, and counted separately."),
    )

    def __init__(
        self,
        *args,
        delphi_round: Round,
        sources: list[BuildSource],
        statement_count: int,
        **kwargs,
    ):
        kwargs.setdefault(
            "initial", {name: getattr(delphi_round, name) for name in FEEDBACK_FIELDS}
        )
        super().__init__(*args, **kwargs)
        self.rounds = {source.delphi_round.pk: source.delphi_round for source in sources}
        choices = [
            (
                FROM_STATEMENTS,
                gettext("The study's active statements (%(count)s)") % {"count": statement_count},
            )
        ]
        for source in sources:
            title = source.delphi_round.display_title
            choices.append(
                (
                    f"{source.delphi_round.pk}:{ALL_ITEMS}",
                    gettext("%(round)s: all %(count)s statements")
                    % {"round": title, "count": source.items},
                )
            )
            choices.append(
                (
                    f"{source.delphi_round.pk}:{WITHOUT_CONSENSUS}",
                    gettext("%(round)s: only the %(count)s statements without consensus")
                    % {"round": title, "count": source.without_consensus},
                )
            )
        model_sources = []
        if delphi_round.kind == Round.Kind.CONFIRMATION:
            # A second panel certifies what the first one agreed on: the final model.
            model_sources = [s for s in sources if s.delphi_round.kind == Round.Kind.RATING]
            choices[1:1] = [
                (
                    f"{source.delphi_round.pk}:{FINAL_MODEL}",
                    gettext(
                        "The final model of %(round)s: statements rated high or highest with "
                        "consensus"
                    )
                    % {"round": source.delphi_round.display_title},
                )
                for source in model_sources
            ]
        self.fields["source"].choices = choices
        # Round 2 comes after the open round only: there is no group result to show yet.
        self.has_feedback = bool(sources)
        if not self.has_feedback:
            for name in PREVIOUS_ROUND_FEEDBACK:
                del self.fields[name]
        if model_sources:
            self.fields["source"].initial = f"{model_sources[0].delphi_round.pk}:{FINAL_MODEL}"
        elif sources:
            # Round 3 and later usually carry over what the last round left unsettled.
            previous = self.rounds.get(delphi_round.previous_round_id, sources[0].delphi_round)
            self.fields["source"].initial = f"{previous.pk}:{WITHOUT_CONSENSUS}"
        else:
            self.fields["source"].initial = FROM_STATEMENTS

    def clean(self):
        cleaned = super().clean()
        cleaned["action"] = cleaned.get("action") or "build"
        if cleaned["action"] == "build" and not cleaned.get("source"):
            self.add_error(
                "source", forms.ValidationError(self.error_messages["source"], code="source")
            )
        return cleaned

    def source_round(self) -> tuple[Round | None, bool]:
        """(round to build from or None for the study's statements, only without consensus)."""
        source = self.cleaned_data["source"]
        if source == FROM_STATEMENTS:
            return None, False
        pk, _sep, which = source.partition(":")
        return self.rounds[int(pk)], which == WITHOUT_CONSENSUS

    def is_final_model(self) -> bool:
        """Whether the chosen source is a round's final model (confirmation rounds)."""
        return self.cleaned_data["source"].endswith(f":{FINAL_MODEL}")

    def feedback(self) -> dict:
        return {name: self.cleaned_data[name] for name in FEEDBACK_FIELDS if name in self.fields}


class StatementAddForm(forms.Form):
    """A statement the researcher adds: their own, or one suggested in an expert's comment."""

    text = forms.CharField(
        label=_("New statement"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Write it as experts will read it; it is added at the end of its domain."),
    )
    domain = forms.ModelChoiceField(
        label=_("Domain"),
        queryset=Domain.objects.none(),
        required=False,
        empty_label=_("No domain"),
    )
    comment = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, delphi_round: Round, **kwargs):
        super().__init__(*args, **kwargs)
        domains = Domain.objects.filter(study_id=delphi_round.study_id)
        field = self.fields["domain"]
        field.queryset = domains
        # In a study organised by domains, a statement left without one would sit after every
        # domain, away from its neighbours: the researcher picks its domain.
        if domains.exists():
            field.required = True
            field.empty_label = _("Choose its domain")


class ItemActionForm(forms.Form):
    item = forms.IntegerField()
    action = forms.ChoiceField(choices=[("remove", "remove"), ("up", "up"), ("down", "down")])


class ReopenForm(CrispyFormMixin, forms.Form):
    submit_label = _("Reopen the round")
    reason = forms.CharField(
        label=_("Why is the round reopened?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the study's log, e.g. “Three experts' paper answers arrived late.”"),
    )
    closes_at = LocalDateTimeField(label=_("New deadline"), required=False)

    def __init__(self, *args, delphi_round: Round, **kwargs):
        super().__init__(*args, **kwargs)
        if delphi_round.closes_at:
            self.fields["closes_at"].help_text = gettext(
                "Leave it empty to keep the deadline (%(date)s). Experts can answer only until "
                "their deadline; answers received on paper can be keyed in at any time while "
                "the round is open."
            ) % {"date": localdatetime(delphi_round.closes_at)}
        else:
            self.fields["closes_at"].help_text = gettext(
                "Leave it empty for no deadline: experts can answer until you close the round."
            )
        paragraphs = [
            gettext("Experts can answer and change their answers again until you close the round.")
        ]
        if delphi_round.kind != Round.Kind.OPEN:
            paragraphs.append(
                gettext(
                    "Its results stay as they were frozen until you close it again; closing "
                    "it again freezes them afresh, and the study's log keeps both."
                )
            )
        self.helper.layout = Layout(
            HTML(format_html("".join("<p>{}</p>" for _p in paragraphs), *paragraphs)),
            "reason",
            "closes_at",
        )


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
