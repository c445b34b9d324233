"""Reads for the expert's pages (and the researcher's proxy entry and preview), each bringing
what the rules need in the same query."""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import F, OuterRef, QuerySet, Subquery, Value

from panels.models import Expert
from rounds.models import (
    DEFAULT_CRITERION,
    Domain,
    DomainSuggestion,
    OpenAnswer,
    OpenQuestion,
    Rating,
    Round,
    RoundItem,
    Submission,
)

from .rules import (
    deadline_override_subquery,
    previous_range_annotations,
    remember_expert_deadline,
)


def rounds_for_expert(expert: Expert) -> QuerySet[Round]:
    """The rounds an expert's link reaches: their own panel's, in their study, never a draft.

    Each round carries the expert's personal deadline (`remember_expert_deadline`), and the
    study and previous round come in the same query.
    """
    return (
        Round.objects.filter(panel_id=expert.panel_id, study_id=expert.panel.study_id)
        .exclude(status=Round.Status.DRAFT)
        .select_related("study", "previous_round")
        .annotate(
            expert_deadline_for=Value(expert.pk),
            expert_deadline_override=deadline_override_subquery(expert, OuterRef("pk")),
        )
    )


def round_items_with_previous_range(
    delphi_round: Round, criterion: str = DEFAULT_CRITERION
) -> QuerySet[RoundItem]:
    """The round's items (statement and domain joined), each with the previous round's Q1/Q3.

    Call `remember_previous_ranges` on the list to let the reason rule use them.
    """
    return (
        delphi_round.items.select_related("statement__domain")
        .annotate(**previous_range_annotations(criterion))
        .order_by("order", "pk")
    )


def remember_previous_ranges(items: Iterable[RoundItem], criterion: str = DEFAULT_CRITERION):
    for item in items:
        item.previous_ranges = {criterion: (item.previous_q1, item.previous_q3)}


def round_item_for_expert(*, expert: Expert, round_pk: int, item_pk: int) -> RoundItem | None:
    """One item of a round the expert's link reaches, with everything a save checks; one query."""
    item = (
        RoundItem.objects.filter(
            pk=item_pk,
            delphi_round_id=round_pk,
            delphi_round__panel_id=expert.panel_id,
            delphi_round__study_id=expert.panel.study_id,
        )
        .exclude(delphi_round__status=Round.Status.DRAFT)
        .select_related("delphi_round__study", "statement")
        .annotate(
            expert_deadline_override=deadline_override_subquery(expert, OuterRef("delphi_round")),
            **previous_range_annotations(DEFAULT_CRITERION),
        )
        .first()
    )
    if item is not None:
        remember_expert_deadline(item.delphi_round, expert, item.expert_deadline_override)
        remember_previous_ranges([item])
    return item


def question_for_expert(*, expert: Expert, round_pk: int, question_pk: int) -> OpenQuestion | None:
    """One open question of a round the expert's link reaches, with their deadline; one query."""
    question = (
        OpenQuestion.objects.filter(
            pk=question_pk,
            delphi_round_id=round_pk,
            delphi_round__panel_id=expert.panel_id,
            delphi_round__study_id=expert.panel.study_id,
        )
        .exclude(delphi_round__status=Round.Status.DRAFT)
        .select_related("delphi_round__study")
        .annotate(
            expert_deadline_override=deadline_override_subquery(expert, OuterRef("delphi_round"))
        )
        .first()
    )
    if question is not None:
        remember_expert_deadline(question.delphi_round, expert, question.expert_deadline_override)
    return question


def round_for_expert(*, expert: Expert, round_pk: int) -> Round | None:
    """One round the expert's link reaches (see `rounds_for_expert`), or None."""
    return rounds_for_expert(expert).filter(pk=round_pk).first()


def open_rounds_for_expert(expert: Expert) -> list[Round]:
    """The expert's open rounds in order, each with `submission_status` (None: not begun)."""
    submissions = Submission.objects.filter(delphi_round=OuterRef("pk"), expert=expert)
    return list(
        rounds_for_expert(expert)
        .filter(status=Round.Status.OPEN)
        .annotate(submission_status=Subquery(submissions.values("status")[:1]))
        .order_by("number")
    )


def submission_for_expert(
    *, delphi_round: Round, expert: Expert, submitted: bool = False
) -> Submission | None:
    """The expert's submission of the round (only a submitted one with `submitted`), or None."""
    submissions = Submission.objects.filter(delphi_round=delphi_round, expert=expert)
    if submitted:
        submissions = submissions.filter(status=Submission.Status.SUBMITTED)
    return submissions.first()


def round_questions(delphi_round: Round) -> list[OpenQuestion]:
    """An open round's questions with their domains, in the questionnaire's order."""
    return list(delphi_round.questions.select_related("domain"))


def confirmation_items(delphi_round: Round) -> list[RoundItem]:
    """A confirmation round's items with statement and domain, in the round's order."""
    return list(delphi_round.items.select_related("statement__domain").order_by("order", "pk"))


def round_domains(delphi_round: Round) -> list[Domain]:
    """The domains of the round's items, in the study's order; one query."""
    return list(
        Domain.objects.filter(statements__items__delphi_round=delphi_round)
        .distinct()
        .order_by("order", "pk")
    )


def saved_ratings(submission: Submission | None) -> dict[int, Rating]:
    """Item pk → the submission's rating of a rating round (none without a submission)."""
    if submission is None:
        return {}
    return {
        rating.item_id: rating
        for rating in Rating.objects.filter(submission=submission, criterion=DEFAULT_CRITERION)
    }


def saved_open_boxes(submission: Submission | None) -> tuple[dict, dict[str, datetime]]:
    """Question pk → position → text of the submission's open answers, and when each box was
    last saved, by field name (`answer_<question>_<position>`); one query."""
    texts: dict[int, dict[int, str]] = {}
    times: dict[str, datetime] = {}
    if submission is not None:
        for answer in OpenAnswer.objects.filter(submission=submission):
            texts.setdefault(answer.question_id, {})[answer.position] = answer.text
            times[f"answer_{answer.question_id}_{answer.position}"] = answer.updated_at
    return texts, times


def confirmation_answers(
    *, delphi_round: Round, expert: Expert
) -> tuple[dict[tuple[int, str], str], dict[int, str]]:
    """The expert's confirmation answers as the page shows them: (item pk, criterion code) →
    value as text, and domain pk → suggestion; two queries."""
    ratings = Rating.objects.filter(
        submission__delphi_round=delphi_round,
        submission__expert=expert,
        criterion__in=delphi_round.criterion_codes,
    ).values_list("item_id", "criterion", "value")
    values = {(pk, code): str(value) for pk, code, value in ratings}
    suggestions = dict(
        DomainSuggestion.objects.filter(
            submission__delphi_round=delphi_round, submission__expert=expert
        ).values_list("domain_id", "text")
    )
    return values, suggestions


# The questionnaire's order: domain by domain, then the round's item order.
_QUESTIONNAIRE_ORDER = (
    F("item__statement__domain__order").asc(nulls_last=True),
    "item__statement__domain_id",
    "item__order",
    "item__pk",
)


def submitted_open_answers(submission: Submission) -> list[OpenAnswer]:
    return list(OpenAnswer.objects.filter(submission=submission).select_related("question__domain"))


def submitted_ratings(submission: Submission) -> list[tuple]:
    """(statement text, value, comment, reason, statement number) of each rating, in the
    questionnaire's order."""
    return list(
        Rating.objects.filter(submission=submission, criterion=DEFAULT_CRITERION)
        .order_by(*_QUESTIONNAIRE_ORDER)
        # Plain rows, not model instances: the page shows four values of each.
        .values_list(
            "item__statement__text", "value", "comment", "reason", "item__statement__number"
        )
    )


def submitted_criterion_ratings(submission: Submission, codes: list[str]) -> list[Rating]:
    """A confirmation submission's ratings on `codes`, with their statements, in order."""
    return list(
        Rating.objects.filter(submission=submission, criterion__in=codes)
        .select_related("item__statement")
        .order_by(*_QUESTIONNAIRE_ORDER)
    )


def submitted_suggestions(submission: Submission) -> list[DomainSuggestion]:
    return list(
        submission.suggestions.select_related("domain").order_by("domain__order", "domain__pk")
    )


def round_questions_by_pk(delphi_round: Round) -> dict[int, OpenQuestion]:
    return {question.pk: question for question in delphi_round.questions.all()}


def round_items_with_statements(delphi_round: Round) -> list[RoundItem]:
    return list(delphi_round.items.select_related("statement"))
