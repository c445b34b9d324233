"""Forms of the expert's questionnaire, built at run time from the round's items or questions.

They check input only (a point of the scale, text lengths, a comment needs a rating); the
workflow rules (deadline, reasons, completeness) are `rounds.answering.rules`, applied by its
services. The page renders the fields by hand, for large touch targets and the autosave
attributes, so the field names below are the page's contract: `rating_<item pk>`,
`comment_<item pk>`, `reason_<item pk>` and `answer_<question pk>_<position>`.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from rounds.models import CANNOT_JUDGE, OpenQuestion, RoundItem

from .rules import MAX_OPEN_ANSWERS, MAX_TEXT_LENGTH, RatingInput

ANSWER_FIELD = re.compile(r"^answer_(\d+)_(\d+)$")


def _text_field() -> forms.CharField:
    return forms.CharField(
        required=False,
        max_length=MAX_TEXT_LENGTH,
        error_messages={
            "max_length": _("Please keep each answer under %(limit_value)d characters.")
        },
    )


class RatingQuestionnaireForm:
    """One rating (radio), comment and reason per item; every field optional (drafts).

    Not a django Form: a 50-statement page would make 150 fields and bound fields on every
    submit. Three shared fields check each item's values instead, with the same rules and
    messages a Form with those fields gives (`is_valid`, per-item errors, cleaned answers).
    """

    error_messages = {
        "rating_needed": _("Choose a rating as well: a comment is saved together with it."),
        "invalid_choice": _("Please choose one of the points of the scale."),
    }

    def __init__(self, data, *, items: list[RoundItem], points: int, allow_cannot_judge: bool):
        self.data = data
        self.items = items
        choices = [(str(point), str(point)) for point in range(1, points + 1)]
        if allow_cannot_judge:
            choices.append((str(CANNOT_JUDGE), _("Cannot judge")))
        self.rating_field = forms.TypedChoiceField(
            choices=choices,
            coerce=int,
            required=False,
            empty_value=None,
            error_messages={"invalid_choice": self.error_messages["invalid_choice"]},
        )
        self.text_field = _text_field()
        self._cleaned: dict[int, dict] | None = None
        self._errors: dict[int, list[str]] = {}

    def _clean(self) -> None:
        self._cleaned = {}
        for item in self.items:
            values, messages = {}, []
            for prefix, field in (
                ("rating", self.rating_field),
                ("comment", self.text_field),
                ("reason", self.text_field),
            ):
                try:
                    values[prefix] = field.clean(self.data.get(f"{prefix}_{item.pk}"))
                except forms.ValidationError as error:
                    messages += error.messages
            has_text = values.get("comment") or values.get("reason")
            if "rating" in values and values["rating"] is None and has_text:
                messages.insert(0, str(self.error_messages["rating_needed"]))
            if messages:
                self._errors[item.pk] = messages
            else:
                self._cleaned[item.pk] = values

    def is_valid(self) -> bool:
        if self._cleaned is None:
            self._clean()
        return not self._errors

    def item_errors(self) -> dict[int, list[str]]:
        """The messages of each item's three fields together (rating's first), by item pk."""
        self.is_valid()
        return self._errors

    def answers(self) -> list[RatingInput]:
        """The items the expert rated whose fields are all valid."""
        self.is_valid()
        return [
            RatingInput(
                item=item,
                value=values["rating"],
                comment=values["comment"],
                reason=values["reason"],
            )
            for item in self.items
            if (values := self._cleaned.get(item.pk)) and values["rating"] is not None
        ]

    def posted(self, item: RoundItem) -> dict:
        """What the expert sent for an item, as sent (to show it back, valid or not)."""
        return {
            "value": self.data.get(f"rating_{item.pk}", ""),
            "comment": self.data.get(f"comment_{item.pk}", ""),
            "reason": self.data.get(f"reason_{item.pk}", ""),
        }


class OpenQuestionnaireForm(forms.Form):
    """Answer boxes `answer_<question>_<position>`, up to MAX_OPEN_ANSWERS per question."""

    def __init__(self, *args, questions: list[OpenQuestion], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            for position in range(1, MAX_OPEN_ANSWERS + 1):
                self.fields[f"answer_{question.pk}_{position}"] = _text_field()

    def texts(self) -> dict[OpenQuestion, list[str]]:
        """Each valid question's texts in box order; a blank box stays a blank entry.

        A question with an invalid box is left out whole: its stored answers stay as they are
        rather than being replaced by a list with a hole where the invalid text was.
        """
        failed = self.question_errors()
        texts = {}
        for question in self.questions:
            if question.pk in failed:
                continue
            boxes = [
                self.cleaned_data.get(f"answer_{question.pk}_{position}", "")
                for position in range(1, MAX_OPEN_ANSWERS + 1)
            ]
            while boxes and not boxes[-1].strip():
                boxes.pop()
            texts[question] = boxes
        return texts

    def posted(self) -> dict[int, dict[int, str]]:
        """Question pk → position → text, as sent (to show it back, valid or not)."""
        posted: dict[int, dict[int, str]] = {}
        for name, value in self.data.items():
            match = ANSWER_FIELD.match(name)
            if match:
                question_pk, position = int(match.group(1)), int(match.group(2))
                posted.setdefault(question_pk, {})[position] = value
        return posted

    def question_errors(self) -> dict[int, list[str]]:
        errors: dict[int, list[str]] = {}
        for name, messages in self.errors.items():
            match = ANSWER_FIELD.match(name)
            if match:
                errors.setdefault(int(match.group(1)), []).extend(messages)
        return errors


class OpenAnswerForm(forms.Form):
    """One answer box, as its autosave posts it."""

    def __init__(self, *args, question: OpenQuestion, position: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.field_name = f"answer_{question.pk}_{position}"
        self.fields[self.field_name] = _text_field()

    @property
    def text(self) -> str:
        return self.cleaned_data.get(self.field_name, "")
