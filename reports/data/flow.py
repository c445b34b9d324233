"""The flow of experts and of statements through the rounds of the whole study."""

from collections import defaultdict
from dataclasses import dataclass

from panels.models import Study
from rounds.models import ItemResult, Round, RoundItem, Statement, StatementSource, Submission

from .facts import RoundFacts


@dataclass(frozen=True)
class ParticipationStep:
    """One round in the participation flow: invited → returned, and who left since the
    previous round of the same panel (answered it, did not answer this one)."""

    facts: RoundFacts
    previous_number: int | None
    left: int | None


def participation(study: Study, facts: list[RoundFacts]) -> list[ParticipationStep]:
    """The flow of experts through the rounds that were sent (drafts are left out).

    One query: the submitted questionnaires of the study, to count who left between rounds.
    """
    sent = [fact for fact in facts if not fact.is_draft]
    answered: dict[int, set[int]] = defaultdict(set)
    rows = Submission.objects.filter(
        delphi_round__study=study, status=Submission.Status.SUBMITTED
    ).values_list("delphi_round_id", "expert_id")
    for round_id, expert_id in rows:
        answered[round_id].add(expert_id)
    last_of_panel: dict[int, RoundFacts] = {}
    steps = []
    for fact in sent:
        before = last_of_panel.get(fact.panel.pk)
        left = None
        if before is not None:
            left = len(answered[before.delphi_round.pk] - answered[fact.delphi_round.pk])
        steps.append(
            ParticipationStep(
                facts=fact, previous_number=before.number if before else None, left=left
            )
        )
        last_of_panel[fact.panel.pk] = fact
    return steps


@dataclass(frozen=True)
class ItemFlowRow:
    """What happened to the statements in one round.

    Open round: statements created from its answers (`added`), of which `merged` were merged
    into others and `out_of_scope` set aside. Rated round: statements asked (`rated`), new
    since the previous rated round (`added`: for the first one, every statement), left out
    from it (`dropped`), and with consensus (`consensus`, closed rounds only: a statement
    with several criteria counts when it reached consensus on every one). None = not
    applicable.
    """

    facts: RoundFacts
    rated: int | None = None
    added: int | None = None
    merged: int | None = None
    out_of_scope: int | None = None
    dropped: int | None = None
    consensus: int | None = None


def item_flow(study: Study, facts: list[RoundFacts]) -> list[ItemFlowRow]:
    """Item flow of the rounds that were sent; four queries whatever the size."""
    sent = [fact for fact in facts if not fact.is_draft]
    first_round_of: dict[int, int] = {}
    sources = (
        StatementSource.objects.filter(statement__study=study)
        .order_by("answer__question__delphi_round__number")
        .values_list("statement_id", "answer__question__delphi_round_id")
    )
    for statement_id, round_id in sources:
        first_round_of.setdefault(statement_id, round_id)
    status = dict(Statement.objects.filter(study=study).values_list("pk", "status"))
    items: dict[int, set[int]] = defaultdict(set)
    for round_id, statement_id in RoundItem.objects.filter(delphi_round__study=study).values_list(
        "delphi_round_id", "statement_id"
    ):
        items[round_id].add(statement_id)
    agreed: dict[int, dict[int, bool]] = defaultdict(dict)
    results = ItemResult.objects.filter(item__delphi_round__study=study).values_list(
        "item__delphi_round_id", "item__statement_id", "consensus"
    )
    for round_id, statement_id, consensus in results:
        before = agreed[round_id].get(statement_id, True)
        agreed[round_id][statement_id] = before and consensus

    rows = []
    previous_rated: set[int] | None = None
    for fact in sent:
        round_id = fact.delphi_round.pk
        if fact.kind == Round.Kind.OPEN:
            created = [pk for pk, first in first_round_of.items() if first == round_id]
            rows.append(
                ItemFlowRow(
                    facts=fact,
                    added=len(created),
                    merged=sum(1 for pk in created if status[pk] == Statement.Status.MERGED),
                    out_of_scope=sum(
                        1 for pk in created if status[pk] == Statement.Status.OUT_OF_SCOPE
                    ),
                )
            )
            continue
        asked = items[round_id]
        rows.append(
            ItemFlowRow(
                facts=fact,
                rated=len(asked),
                added=len(asked - previous_rated) if previous_rated is not None else len(asked),
                dropped=len(previous_rated - asked) if previous_rated is not None else None,
                consensus=(
                    sum(1 for value in agreed[round_id].values() if value)
                    if fact.is_closed
                    else None
                ),
            )
        )
        previous_rated = asked
    return rows
