"""Factories for the expert's side (engineer A's; tests/factories.py is the lead's).

Statements, round items, submissions and ratings come from engineer C's factories_c.
"""

from decimal import Decimal

import factory
from django.utils import timezone

from rounds.links import expert_token
from rounds.models import (
    DEFAULT_CRITERION,
    Invitation,
    ItemResult,
    OpenAnswer,
    Round,
)
from tests.factories import DomainFactory, ExpertFactory, RoundFactory
from tests.rounds.factories_c import (
    RatingFactory,
    RoundItemFactory,
    StatementFactory,
    SubmissionFactory,
)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    delphi_round = factory.SubFactory(RoundFactory)
    expert = factory.SubFactory(ExpertFactory, panel=factory.SelfAttribute("..delphi_round.panel"))


class OpenAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpenAnswer

    submission = factory.SubFactory(SubmissionFactory)
    question = factory.SubFactory(
        "tests.factories.OpenQuestionFactory",
        delphi_round=factory.SelfAttribute("..submission.delphi_round"),
    )
    position = 1
    text = factory.Sequence(lambda n: f"คำตอบ {n}")


class ItemResultFactory(factory.django.DjangoModelFactory):
    """A frozen result; the default figures are those of counts [0, 1, 2, 5, 2] (N = 10)."""

    class Meta:
        model = ItemResult

    item = factory.SubFactory(RoundItemFactory)
    criterion = DEFAULT_CRITERION
    n = 10
    counts = factory.LazyFunction(lambda: [0, 1, 2, 5, 2])
    median = Decimal("3.80")
    q1 = Decimal("3.25")
    q3 = Decimal("4.25")
    iqr = Decimal("1.00")
    band = "high"
    consensus = True


def consented_expert(panel, **fields):
    """An expert who has already agreed to take part, and their link's token."""
    expert = ExpertFactory(panel=panel, consent_given_at=timezone.now(), **fields)
    return expert, expert_token(expert)


def open_round(study, panel, **fields) -> Round:
    fields.setdefault("number", 1)
    fields.setdefault("status", Round.Status.OPEN)
    return RoundFactory(study=study, panel=panel, kind=Round.Kind.OPEN, **fields)


def rating_round(study, panel, *, statements: int = 3, domains: int = 1, **fields):
    """An open rating round (or `kind=`) with `statements` items over `domains` domains."""
    fields.setdefault("number", 2)
    fields.setdefault("status", Round.Status.OPEN)
    fields.setdefault("kind", Round.Kind.RATING)
    delphi_round = RoundFactory(study=study, panel=panel, **fields)
    groups = [DomainFactory(study=study) for _ in range(domains)]
    items = [
        RoundItemFactory(
            delphi_round=delphi_round,
            statement=StatementFactory(study=study, domain=groups[n % domains]),
            order=n,
        )
        for n in range(statements)
    ]
    return delphi_round, items


def next_round_items(delphi_round, previous_items, **fields):
    """Items of `delphi_round` for the same statements as `previous_items` (a later round)."""
    return [
        RoundItemFactory(delphi_round=delphi_round, statement=item.statement, order=item.order)
        for item in previous_items
    ]


def round_after_frozen_round(study, panel, *, values, expert=None, **fields):
    """Round 3 (open, a reason asked outside [Q1, Q3]) on a closed round 2 of len(values)
    statements whose frozen results put Q1..Q3 at 3.25..4.25; when `expert` is given, they
    rated round 2 with `values`. Returns round 3 and its items."""
    previous, previous_items = rating_round(study, panel, statements=len(values), number=2)
    previous.status = Round.Status.CLOSED
    previous.save()
    earlier = SubmissionFactory(delphi_round=previous, expert=expert) if expert else None
    for item, value in zip(previous_items, values, strict=True):
        ItemResultFactory(item=item)
        if earlier is not None:
            RatingFactory(submission=earlier, item=item, value=value)
    fields.setdefault("require_reason_outside_iqr", True)
    delphi_round, _none = rating_round(
        study, panel, statements=0, number=3, previous_round=previous, **fields
    )
    return delphi_round, next_round_items(delphi_round, previous_items)
