"""Reads for building a round: where it can be built from, its items as experts will see them,
and the previous round's comments a new statement may come from."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from rounds.models import DEFAULT_CRITERION, Rating, Round, RoundItem, Statement, Submission
from rounds.results import previous_results_for_round

from .rules import RATED_KINDS, item_order


@dataclass
class BuildSource:
    """A closed rating round the next round can be built from."""

    delphi_round: Round
    items: int
    without_consensus: int


def round_items_for_building(delphi_round: Round) -> list[RoundItem]:
    """The round's items in the order experts see them, each with its `number` (the
    statement's code, S01, …, as on every page and report) and
    `previous_result` (the previous round's frozen result for the same statement, or None);
    two queries."""
    items = list(delphi_round.items.select_related("statement__domain").order_by(*item_order()))
    results = previous_results_for_round(delphi_round)
    for item in items:
        item.number = item.statement.code
        item.previous_result = results.get((item.statement_id, DEFAULT_CRITERION))
    return items


def build_sources(delphi_round: Round) -> list[BuildSource]:
    """Closed rating rounds before this one, with how many statements have no consensus; one
    query."""
    rounds = (
        Round.objects.filter(
            study_id=delphi_round.study_id,
            kind__in=RATED_KINDS,
            status=Round.Status.CLOSED,
            number__lt=delphi_round.number,
        )
        .annotate(
            item_count=Count(
                "items",
                filter=Q(items__statement__status=Statement.Status.ACTIVE),
                distinct=True,
            ),
            without_consensus=Count(
                "items",
                filter=Q(
                    items__statement__status=Statement.Status.ACTIVE,
                    items__results__consensus=False,
                ),
                distinct=True,
            ),
        )
        .order_by("-number")
    )
    return [
        BuildSource(delphi_round=r, items=r.item_count, without_consensus=r.without_consensus)
        for r in rounds
    ]


def active_statement_count(delphi_round: Round) -> int:
    return Statement.objects.filter(
        study_id=delphi_round.study_id, status=Statement.Status.ACTIVE
    ).count()


def comments_of_previous_round(delphi_round: Round) -> QuerySet[Rating]:
    """The experts' comments in the round this one is built from (submitted answers only),
    by statement, with the expert's code — never the name; one query."""
    if delphi_round.previous_round_id is None:
        return Rating.objects.none()
    return (
        Rating.objects.filter(
            submission__delphi_round_id=delphi_round.previous_round_id,
            submission__status=Submission.Status.SUBMITTED,
        )
        .exclude(comment="")
        .select_related("item__statement__domain", "submission__expert")
        .order_by("item__order", "item__pk", "submission__expert__code")
    )


def comment_for_round(delphi_round: Round, comment_pk) -> Rating | None:
    """One comment of the previous round, to start a new statement from it."""
    if not str(comment_pk).isdigit():
        return None
    return comments_of_previous_round(delphi_round).filter(pk=int(comment_pk)).first()
