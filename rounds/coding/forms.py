"""Forms of the content-analysis workspace. They check input; the rules are rounds.coding's.

Each form is rendered with crispy's bootstrap5 field templates inside the workspace's own
<form> tag, because the same form is posted by HTMX (from inside the workspace) and plainly
(from its own page, without JavaScript).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from panels.models import Study
from rounds.models import OpenAnswer, Round, Statement

from .rows import StatementBoard, StatementView
from .selectors import codable_answers

MAX_SPLIT_PARTS = 6


def _statement_label(view: StatementView) -> str:
    text = " ".join(view.statement.text.split())
    if len(text) > 90:
        text = text[:89] + "…"
    return f"{view.code} {text}"


class DomainChoiceField(forms.ModelChoiceField):
    def __init__(self, study: Study, **kwargs):
        kwargs.setdefault("label", _("Domain"))
        super().__init__(
            queryset=study.domains.order_by("order", "pk"),
            required=False,
            empty_label=_("No domain"),
            **kwargs,
        )


class AnswerSelectionField(forms.ModelMultipleChoiceField):
    """The answers chosen with the checkboxes, carried along as hidden inputs."""

    def __init__(self, delphi_round: Round, **kwargs):
        super().__init__(
            queryset=codable_answers(delphi_round).select_related(
                "submission__expert", "question__domain"
            ),
            widget=forms.MultipleHiddenInput,
            error_messages={
                "required": _("Choose at least one answer: tick the boxes beside the answers."),
                "invalid_choice": _("One of the chosen answers is not an answer of this round."),
                "invalid_pk_value": _("One of the chosen answers is not an answer of this round."),
            },
            **kwargs,
        )


class StatementTextField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Wording of the statement"))
        super().__init__(
            widget=forms.Textarea(attrs={"rows": 3, "autofocus": True}),
            error_messages={"required": _("Write the wording of the statement.")},
            **kwargs,
        )


class StatementCreateForm(forms.Form):
    """A new statement from the ticked answers; the wording starts as the first answer's."""

    text = StatementTextField()
    domain = forms.Field()
    answers = forms.Field()

    def __init__(self, *args, delphi_round: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"] = DomainChoiceField(delphi_round.study)
        self.fields["answers"] = AnswerSelectionField(delphi_round)

    @classmethod
    def for_answers(cls, *, delphi_round: Round, answers: list[OpenAnswer]):
        first = answers[0] if answers else None
        initial = {"answers": [answer.pk for answer in answers]}
        if first is not None:
            initial["text"] = first.text.strip()
            initial["domain"] = first.question.domain_id
        return cls(delphi_round=delphi_round, initial=initial)


class SourcesAddForm(forms.Form):
    """The ticked answers added to a statement that already exists."""

    statement = forms.TypedChoiceField(
        label=_("Add them to the statement"),
        coerce=int,
        error_messages={
            "required": _("Choose the statement the answers belong to."),
            "invalid_choice": _("That statement is no longer active; choose another."),
        },
    )
    answers = forms.Field()

    def __init__(self, *args, delphi_round: Round, board: StatementBoard, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statement"].choices = [("", "—")] + [
            (view.pk, _statement_label(view)) for view in board.active
        ]
        self.fields["answers"] = AnswerSelectionField(delphi_round)


class StatementEditForm(forms.Form):
    """A statement's wording and domain, and the version they were read at (hidden), so a
    save made by a colleague in the meantime is noticed instead of overwritten."""

    text = StatementTextField()
    domain = forms.Field()
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args, study: Study, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"] = DomainChoiceField(study)

    @classmethod
    def of(cls, statement: Statement, *, study: Study, data=None):
        initial = {"text": statement.text, "domain": statement.domain_id}
        return cls(data, study=study, initial=initial | {"version": statement.version})

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("version") is None:
            raise forms.ValidationError(
                _("This form is out of date. Open the statement again to edit it."),
                code="no_version",
            )
        return cleaned

    def conflict(self, error: ValidationError) -> dict:
        """What the page shows after a colleague saved first: why, and what this user typed
        (their wording and domain), so nothing they wrote is lost."""
        return {
            "message": " ".join(error.messages),
            "text": self.cleaned_data["text"],
            "domain": self.cleaned_data["domain"],
        }


class StatementMergeForm(forms.Form):
    """Merge one statement into another that says the same thing."""

    target = forms.TypedChoiceField(
        label=_("Merge it into"),
        coerce=int,
        help_text=_(
            "The chosen statement keeps its wording and also receives every answer this one "
            "came from."
        ),
        error_messages={
            "required": _("Choose the statement to merge it into."),
            "invalid_choice": _("That statement is no longer active; choose another."),
        },
    )

    def __init__(self, *args, board: StatementBoard, statement_pk: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", "—")] + [
            (view.pk, _statement_label(view)) for view in board.active if view.pk != statement_pk
        ]


class StatementSplitForm(forms.Form):
    """Two or more parts, each with its wording, domain and share of the original's answers."""

    parts = forms.IntegerField(widget=forms.HiddenInput, min_value=2, max_value=MAX_SPLIT_PARTS)

    def __init__(self, *args, view: StatementView, study: Study, **kwargs):
        super().__init__(*args, **kwargs)
        self.view = view
        count = self._part_count()
        self.fields["parts"].initial = count
        source_choices = [
            (source.answer_id, f"{source.label} {' '.join(source.text.split())[:80]}")
            for source in view.sources
        ]
        for number in range(1, count + 1):
            self.fields[f"text_{number}"] = StatementTextField(
                label=_("Part %(number)s: wording") % {"number": number}
            )
            self.fields[f"domain_{number}"] = DomainChoiceField(
                study, label=_("Part %(number)s: domain") % {"number": number}
            )
            self.fields[f"answers_{number}"] = forms.TypedMultipleChoiceField(
                label=_("Part %(number)s: the answers it comes from") % {"number": number},
                choices=source_choices,
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            if number > 1:
                self.fields[f"text_{number}"].widget.attrs.pop("autofocus", None)
        if not self.is_bound:
            statement = view.statement
            self.initial.setdefault("text_1", statement.text)
            for number in range(1, count + 1):
                self.initial.setdefault(f"domain_{number}", statement.domain_id)
            self.initial.setdefault("answers_1", [source.answer_id for source in view.sources])

    def _part_count(self) -> int:
        raw = self.data.get("parts") if self.is_bound else self.initial.get("parts")
        try:
            count = int(raw)
        except (TypeError, ValueError):
            count = 2
        return max(2, min(count, MAX_SPLIT_PARTS))

    @classmethod
    def with_another_part(cls, data, *, view: StatementView, study: Study):
        """An unbound copy of the posted form with one more (empty) part: nothing is saved."""
        count = min(cls(data, view=view, study=study)._part_count() + 1, MAX_SPLIT_PARTS)
        initial = {"parts": count}
        for number in range(1, count + 1):
            initial[f"text_{number}"] = data.get(f"text_{number}", "")
            initial[f"domain_{number}"] = data.get(f"domain_{number}") or None
            initial[f"answers_{number}"] = [
                int(pk) for pk in data.getlist(f"answers_{number}") if pk.isdigit()
            ]
        return cls(view=view, study=study, initial=initial)

    def part_fields(self):
        """(wording, domain, answers) bound fields per part, for the template."""
        return [
            (self[f"text_{n}"], self[f"domain_{n}"], self[f"answers_{n}"])
            for n in range(1, self._part_count() + 1)
        ]

    def cleaned_parts(self) -> list[tuple]:
        answers = {source.answer_id: source for source in self.view.sources}
        return [
            (
                self.cleaned_data[f"text_{n}"],
                self.cleaned_data[f"domain_{n}"],
                [OpenAnswer(pk=pk) for pk in self.cleaned_data[f"answers_{n}"] if pk in answers],
            )
            for n in range(1, self._part_count() + 1)
        ]


class OutOfScopeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this answer out of scope?"),
        max_length=500,
        widget=forms.TextInput(attrs={"autofocus": True}),
        help_text=_("For example: about teachers' pay, which the study does not cover."),
        error_messages={"required": _("Say why the answer is out of scope.")},
    )


class StatementOutOfScopeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this statement out of scope?"),
        max_length=500,
        widget=forms.TextInput(attrs={"autofocus": True}),
        help_text=_(
            "Kept with the statement and in the study's log. It can be brought back at any time."
        ),
        error_messages={"required": _("Say why the statement is out of scope.")},
    )
