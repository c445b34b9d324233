"""Reads for the expert's pages, each bringing what the rules need in the same query."""

from collections.abc import Iterable, Sequence

from django.db.models import OuterRef, QuerySet, Value
from django.utils import timezone

from panels.models import Expert
from rounds.models import DEFAULT_CRITERION, Invitation, OpenQuestion, Round, RoundItem

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


def invitations_mark_opened(*, expert: Expert, rounds: Sequence[Round]) -> int:
    """Record the first time the expert opened their link for these rounds (tracking page)."""
    if not rounds:
        return 0
    return Invitation.objects.filter(
        expert=expert, delphi_round__in=rounds, opened_at__isnull=True
    ).update(opened_at=timezone.now())
