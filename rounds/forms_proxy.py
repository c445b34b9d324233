"""The researcher's form for keying in an expert's answers received on paper, by phone, …

Built at runtime from the round's questions or items (pretix's BaseQuestionsForm shape).
It only validates input and reports what changed; the answering services do the writing
and the audit trail.
"""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CANNOT_JUDGE, Channel, OpenAnswer, OpenQuestion, Rating, Round, RoundItem

# Answers the researcher keys in never came through the personal link.
PROXY_CHANNELS = [(value, label) for value, label in Channel.choices if value != Channel.WEB]
# Enough empty boxes for what one expert typically writes per question on paper.
MIN_ANSWER_BOXES = 3
MAX_ANSWER_LENGTH = 5000


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


@dataclass
class RatingChange:
    item: RoundItem
    value: int
    comment: str
    reason: str


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
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
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
        else:
            self._add_item_fields()

    # ------------------------------------------------------------------ building

    def _add_question_fields(self) -> None:
        for question in self.questions:
            old = self.old_answers.get(question.pk, [])
            for slot in range(max(MIN_ANSWER_BOXES, len(old) + 1)):
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

    @staticmethod
    def answer_field_name(question: OpenQuestion, slot: int) -> str:
        return f"answer_{question.pk}_{slot + 1}"

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
            )
            for item in self.items
        ]

    # ------------------------------------------------------------------ validation

    def clean(self):
        cleaned = super().clean()
        for item in self.items:
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


def answers_by_question(answers: list[OpenAnswer]) -> dict[int, list[str]]:
    """Stored answers as {question id: [text, …]} in position order, for the form's initial."""
    grouped: dict[int, list[str]] = {}
    for answer in sorted(answers, key=lambda a: (a.question_id, a.position)):
        grouped.setdefault(answer.question_id, []).append(answer.text)
    return grouped
