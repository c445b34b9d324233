"""A whole questionnaire saved as the expert's page posts it ("Save draft", "Submit"), in a
constant number of queries whatever the number of statements.

The rules are those of `services` (see the package docstring); one statement at a time is
`services.rating_autosave` / `services.open_answer_autosave`.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from panels.models import Expert
from rounds.models import OpenAnswer, OpenQuestion, Rating, Round, Submission

from .rules import (
    RatingInput,
    check_accepts,
    check_question,
    clean_rating,
    clean_texts,
    completeness_problem,
    remember_own_previous,
)
from .store import (
    mark_submitted,
    round_hold,
    submission_touch,
    upsert_open_answers,
    upsert_ratings,
)


@dataclass
class QuestionnaireSaved:
    """What `questionnaire_save` did: answers it refused (keyed by item or question pk) and,
    when asked to submit, whether it did or why not."""

    submission: Submission
    refused: dict[int, ValidationError] = field(default_factory=dict)
    submitted: bool = False
    submit_error: ValidationError | None = None


@transaction.atomic
def questionnaire_save(
    *,
    delphi_round: Round,
    expert: Expert,
    ratings: Sequence[RatingInput] = (),
    open_answers: Mapping[OpenQuestion, Sequence[str]] | None = None,
    submit: bool = False,
) -> QuestionnaireSaved:
    """Save a whole questionnaire as the expert's page posts it, and submit it if asked.

    Every answer that keeps the rules is saved even when others are refused, so "Save
    draft" never loses good answers; the refused ones come back to be shown beside their
    statement. It submits only when nothing was refused and the questionnaire is complete;
    otherwise `submit_error` says why and the answers stay saved as a draft. A constant
    number of queries whatever the number of statements. Raises RoundClosedError (nothing
    saved) when the round no longer accepts the expert's answers.
    """
    check_accepts(delphi_round, expert, None)
    refused: dict[int, ValidationError] = {}
    ratings_to_save: list[Rating] = []
    if (
        ratings
        and delphi_round.require_reason_outside_iqr
        and not delphi_round.require_reason_when_unchanged
        and delphi_round.previous_round_id is not None
    ):
        # An unchanged answer needs no reason: one query for all of them.
        remember_own_previous([answer.item for answer in ratings], delphi_round, expert)
    for answer in ratings:
        try:
            ratings_to_save.append(
                clean_rating(delphi_round=delphi_round, answer=answer, actor=None, expert=expert)
            )
        except ValidationError as error:
            refused[answer.item.pk] = error
    answers_to_save: list[OpenAnswer] = []
    kept_positions: dict[int, list[int]] = {}
    for question, texts in (open_answers or {}).items():
        try:
            check_question(delphi_round, question)
            kept = clean_texts(texts)
        except ValidationError as error:
            refused[question.pk] = error
            continue
        kept_positions[question.pk] = list(kept)
        answers_to_save += [
            OpenAnswer(question=question, position=position, text=text)
            for position, text in kept.items()
        ]

    # The round is held until the transaction ends (see `store.round_hold`): the answers and
    # the submit land before the round's closing freezes them, or are refused after it.
    round_hold(delphi_round, expert)
    submission = submission_touch(delphi_round, expert)
    for row in [*ratings_to_save, *answers_to_save]:
        row.submission = submission
    upsert_ratings(ratings_to_save)
    upsert_open_answers(answers_to_save)
    if kept_positions:
        stale = Q()
        for question_pk, positions in kept_positions.items():
            stale |= Q(question_id=question_pk) & ~Q(position__in=positions)
        OpenAnswer.objects.filter(stale, submission=submission).delete()

    outcome = QuestionnaireSaved(submission=submission, refused=refused)
    if submit:
        if refused:
            outcome.submit_error = ValidationError(
                _("Some answers need your attention before you can submit."), code="refused"
            )
            return outcome
        if not _rates_every_item(delphi_round, ratings_to_save):
            outcome.submit_error = completeness_problem(submission, delphi_round, None)
        if outcome.submit_error is None:
            mark_submitted(submission, None)
            outcome.submitted = True
    return outcome


def _rates_every_item(delphi_round: Round, ratings: Sequence[Rating]) -> bool:
    """Whether the ratings just saved alone complete a rating round. Each has passed
    clean_rating, reason rule included, so the completeness query (the costliest part of a
    submit) would find nothing missing; a count of the items is enough."""
    if delphi_round.kind != Round.Kind.RATING or not ratings:
        return False
    return len({rating.item_id for rating in ratings}) == delphi_round.items.count()
