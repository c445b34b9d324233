"""The researcher's form for keying in an expert's answers received on paper, by phone, …

Built at runtime from the round's questions or items (pretix's BaseQuestionsForm shape).
It only validates input and reports what changed; the answering services do the writing
and the audit trail.
"""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from rounds.models import (
    CANNOT_JUDGE,
    DEFAULT_CRITERION,
    Channel,
    Domain,
    OpenAnswer,
    OpenQuestion,
    Rating,
    Round,
    RoundItem,
)

from .fields import TypedRatingField

# Answers the researcher keys in never came through the personal link.
PROXY_CHANNELS = [(value, label) for value, label in Channel.choices if value != Channel.WEB]
# Enough empty boxes for what one expert typically writes per question on paper.
MIN_ANSWER_BOXES = 3
MAX_ANSWER_LENGTH = 5000
# A forged post cannot make the form build thousands of fields.
MAX_ANSWER_BOXES = 50


@dataclass
class QuestionRow:
    question: OpenQuestion
    fields: list  # bound fields, one per answer box


@dataclass
class ItemRow:
    item: RoundItem
    rating: forms.BoundField
    comment: forms.BoundField
    reason: forms.BoundField | None
    typed: forms.BoundField


@dataclass
class CriterionRow:
    """A component of a confirmation round with one radio row per criterion."""

    item: RoundItem
    cells: list  # (criterion dict, bound field, typed bound field)


@dataclass
class RatingChange:
    item: RoundItem
    value: int
    comment: str
    reason: str
    criterion: str = DEFAULT_CRITERION


class ProxyEntryForm(forms.Form):
    error_messages = {
        "comment_without_rating": _(
            "Choose a rating for this statement too: a comment is saved together with a rating."
        ),
    }

    channel = forms.ChoiceField(
        label=_("How did the answers reach you?"),
        choices=PROXY_CHANNELS,
        initial=Channel.PAPER,
    )
    mark_submitted = forms.BooleanField(
        label=_("Mark the expert's answers as submitted"),
        required=False,
        help_text=_("Tick this when you have keyed in everything the expert sent."),
    )

    def __init__(
        self,
        *args,
        delphi_round: Round,
        questions=(),
        items=(),
        answers: dict[int, list[str]] | None = None,
        ratings: dict[int, Rating] | None = None,
        channel: str | None = None,
        domains=(),
        suggestions: dict[int, str] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        # Confirmation rounds: `ratings` is keyed by (item pk, criterion code), and each of
        # `domains` gets a suggestion box (`suggestions`: domain pk → stored text).
        self.domains = list(domains)
        self.old_suggestions = suggestions or {}
        self.delphi_round = delphi_round
        self.questions = list(questions)
        self.items = list(items)
        self.old_answers = answers or {}
        self.old_ratings = ratings or {}
        if channel == Channel.WEB:
            # The expert began through their link: keep saying so unless the researcher
            # records that the rest came another way.
            self.fields["channel"].choices = [(Channel.WEB, Channel.WEB.label), *PROXY_CHANNELS]
        if channel:
            self.fields["channel"].initial = channel
        if delphi_round.kind == Round.Kind.OPEN:
            self._add_question_fields()
        elif delphi_round.kind == Round.Kind.CONFIRMATION:
            self._add_criterion_fields()
        else:
            self._add_item_fields()

    # ------------------------------------------------------------------ building

    @property
    def adding_box(self) -> bool:
        """The researcher asked for one more answer box: the page comes back, nothing saved."""
        return self.is_bound and "add_box" in self.data

    @property
    def added_box_for(self) -> int | None:
        """The question that just got one more box (its new box takes the focus)."""
        value = self.data.get("add_box", "") if self.is_bound else ""
        return int(value) if value.isdigit() else None

    def _box_count(self, question: OpenQuestion, old: list[str]) -> int:
        count = max(MIN_ANSWER_BOXES, len(old) + 1)
        if self.is_bound:
            prefix = f"answer_{question.pk}_"
            posted = [
                int(key.removeprefix(prefix))
                for key in self.data
                if key.startswith(prefix) and key.removeprefix(prefix).isdigit()
            ]
            count = max(count, *posted) if posted else count
            if self.data.get("add_box") == str(question.pk):
                count += 1
        return min(count, MAX_ANSWER_BOXES)

    def _add_question_fields(self) -> None:
        for question in self.questions:
            old = self.old_answers.get(question.pk, [])
            for slot in range(self._box_count(question, old)):
                self.fields[self.answer_field_name(question, slot)] = forms.CharField(
                    label=_("Answer %(number)s") % {"number": slot + 1},
                    required=False,
                    max_length=MAX_ANSWER_LENGTH,
                    initial=old[slot] if slot < len(old) else "",
                    widget=forms.Textarea(attrs={"rows": 2}),
                )

    def _add_item_fields(self) -> None:
        labels = self.delphi_round.study.scale_labels
        choices = [(k, f"{k} · {label}") for k, label in enumerate(labels, start=1)]
        if self.delphi_round.allow_cannot_judge:
            choices.append((CANNOT_JUDGE, _("Cannot judge")))
        for item in self.items:
            old = self.old_ratings.get(item.pk)
            self.fields[f"rating_{item.pk}"] = forms.TypedChoiceField(
                label=_("Rating"),
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                initial=old.value if old else None,
                widget=forms.RadioSelect,
            )
            self.fields[f"typed_{item.pk}"] = TypedRatingField(
                label=_("Rating typed as a number"),
                top=len(labels),
                cannot_judge=self.delphi_round.allow_cannot_judge,
                initial=old.value if old else "",
            )
            self.fields[f"comment_{item.pk}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=MAX_ANSWER_LENGTH,
                initial=old.comment if old else "",
                widget=forms.Textarea(attrs={"rows": 1}),
            )
            if self.delphi_round.require_reason_outside_iqr:
                self.fields[f"reason_{item.pk}"] = forms.CharField(
                    label=_("Reason for an answer outside the group's range"),
                    required=False,
                    max_length=MAX_ANSWER_LENGTH,
                    initial=old.reason if old else "",
                    widget=forms.Textarea(attrs={"rows": 1}),
                )

    def _rating_choices(self) -> list:
        labels = self.delphi_round.study.scale_labels
        return [(k, f"{k} · {label}") for k, label in enumerate(labels, start=1)]

    def _add_criterion_fields(self) -> None:
        choices = self._rating_choices()
        for item in self.items:
            for criterion in self.delphi_round.rating_criteria:
                old = self.old_ratings.get((item.pk, criterion["code"]))
                self.fields[f"rating_{item.pk}_{criterion['code']}"] = forms.TypedChoiceField(
                    label=criterion["label"],
                    choices=choices,
                    coerce=int,
                    empty_value=None,
                    required=False,
                    initial=old.value if old else None,
                    widget=forms.RadioSelect,
                )
                self.fields[f"typed_{item.pk}_{criterion['code']}"] = TypedRatingField(
                    label=_("Rating typed as a number"),
                    top=len(choices),
                    cannot_judge=False,
                    initial=old.value if old else "",
                )
        for domain in self.domains:
            self.fields[f"suggestion_{domain.pk}"] = forms.CharField(
                label=_("Suggestions on “%(domain)s”") % {"domain": domain.title},
                required=False,
                max_length=MAX_ANSWER_LENGTH,
                initial=self.old_suggestions.get(domain.pk, ""),
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @staticmethod
    def answer_field_name(question: OpenQuestion, slot: int) -> str:
        return f"answer_{question.pk}_{slot + 1}"

    def refused_field_name(
        self,
        *,
        question: OpenQuestion | None = None,
        item: RoundItem | None = None,
        criterion: str | None = None,
    ) -> str:
        """The field beside which a refused answer is shown: a question's first box, or the
        item's rating (on the criterion, in a confirmation round)."""
        if question is not None:
            return self.answer_field_name(question, 0)
        if self.delphi_round.kind == Round.Kind.CONFIRMATION:
            return f"rating_{item.pk}_{criterion}"
        return f"rating_{item.pk}"

    # ------------------------------------------------------------------ rendering

    @property
    def question_rows(self) -> list[QuestionRow]:
        return [
            QuestionRow(
                question,
                [self[name] for name in self.fields if name.startswith(f"answer_{question.pk}_")],
            )
            for question in self.questions
        ]

    @property
    def item_rows(self) -> list[ItemRow]:
        return [
            ItemRow(
                item,
                self[f"rating_{item.pk}"],
                self[f"comment_{item.pk}"],
                self[f"reason_{item.pk}"] if f"reason_{item.pk}" in self.fields else None,
                self[f"typed_{item.pk}"],
            )
            for item in self.items
        ]

    @property
    def criterion_rows(self) -> list[CriterionRow]:
        criteria = self.delphi_round.rating_criteria
        return [
            CriterionRow(
                item,
                [
                    (c, self[f"rating_{item.pk}_{c['code']}"], self[f"typed_{item.pk}_{c['code']}"])
                    for c in criteria
                ],
            )
            for item in self.items
        ]

    @property
    def suggestion_rows(self) -> list[tuple[Domain, forms.BoundField]]:
        return [(domain, self[f"suggestion_{domain.pk}"]) for domain in self.domains]

    # ------------------------------------------------------------------ validation

    def clean(self):
        cleaned = super().clean()
        if self.delphi_round.kind == Round.Kind.CONFIRMATION:
            for item in self.items:
                for code in self.delphi_round.criterion_codes:
                    self._take_typed(
                        cleaned, f"{item.pk}_{code}", self.old_ratings.get((item.pk, code))
                    )
            return cleaned
        for item in self.items:
            # A typed number that differs from the stored rating is what the researcher keyed
            # in: the script keeps the radio buttons in step, and without it the number alone
            # is enough. An untouched box (the stored value) leaves the radio buttons to speak.
            self._take_typed(cleaned, str(item.pk), self.old_ratings.get(item.pk))
            has_text = cleaned.get(f"comment_{item.pk}") or cleaned.get(f"reason_{item.pk}")
            if (
                has_text
                and cleaned.get(f"rating_{item.pk}") is None
                and item.pk not in self.old_ratings
            ):
                self.add_error(
                    f"rating_{item.pk}",
                    forms.ValidationError(
                        self.error_messages["comment_without_rating"],
                        code="comment_without_rating",
                    ),
                )
        return cleaned

    def _take_typed(self, cleaned: dict, key: str, old: Rating | None) -> None:
        typed = cleaned.get(f"typed_{key}")
        changed = typed is not None and (old is None or typed != old.value)
        if changed and f"rating_{key}" not in self.errors:
            cleaned[f"rating_{key}"] = typed

    # ------------------------------------------------------------------ what changed

    def changed_answers(self) -> dict[OpenQuestion, list[str]]:
        """Questions whose answers differ from what is stored, with the new texts in order.

        Empty boxes are dropped, so clearing a box removes that answer; unchanged questions
        are left out so that the audit trail records only real corrections.
        """
        changes = {}
        for question in self.questions:
            texts = [
                self.cleaned_data[name].strip()
                for name in self.fields
                if name.startswith(f"answer_{question.pk}_")
            ]
            texts = [text for text in texts if text]
            if texts != self.old_answers.get(question.pk, []):
                changes[question] = texts
        return changes

    def changed_ratings(self) -> list[RatingChange]:
        """Items whose rating, comment or reason differ from what is stored."""
        if self.delphi_round.kind == Round.Kind.CONFIRMATION:
            return self._changed_criterion_ratings()
        changes = []
        for item in self.items:
            old = self.old_ratings.get(item.pk)
            value = self.cleaned_data.get(f"rating_{item.pk}")
            if value is None:
                if old is None:
                    continue
                # A radio button cannot be cleared: no choice keeps the stored rating.
                value = old.value
            comment = self.cleaned_data.get(f"comment_{item.pk}", "").strip()
            reason = self.cleaned_data.get(f"reason_{item.pk}", old.reason if old else "")
            reason = reason.strip()
            if old is None or (old.value, old.comment, old.reason) != (value, comment, reason):
                changes.append(RatingChange(item, value, comment, reason))
        return changes

    def _changed_criterion_ratings(self) -> list[RatingChange]:
        changes = []
        for item in self.items:
            for code in self.delphi_round.criterion_codes:
                old = self.old_ratings.get((item.pk, code))
                value = self.cleaned_data.get(f"rating_{item.pk}_{code}")
                # A radio button cannot be cleared: no choice keeps the stored rating.
                if value is None or (old is not None and old.value == value):
                    continue
                changes.append(RatingChange(item, value, "", "", code))
        return changes

    def changed_suggestions(self) -> dict[int, str]:
        """Domains whose suggestion differs from what is stored (blank removes it)."""
        changes = {}
        for domain in self.domains:
            text = self.cleaned_data.get(f"suggestion_{domain.pk}", "").strip()
            if text != self.old_suggestions.get(domain.pk, ""):
                changes[domain.pk] = text
        return changes


def answers_by_question(answers: list[OpenAnswer]) -> dict[int, list[str]]:
    """Stored answers as {question id: [text, …]} in position order, for the form's initial."""
    grouped: dict[int, list[str]] = {}
    for answer in sorted(answers, key=lambda a: (a.question_id, a.position)):
        grouped.setdefault(answer.question_id, []).append(answer.text)
    return grouped
