"""Factories for building rounds and the round life cycle (engineer E's; tests/factories.py is
the lead's). A "closed round" here is what `round_close` leaves: status closed, frozen results."""

from decimal import Decimal

from panels.models import AuditEvent
from rounds.models import ItemResult, Rating, Round, Statement, Submission
from tests.factories import DomainFactory, ExpertFactory, PanelFactory, RoundFactory
from tests.rounds.factories_a import ItemResultFactory
from tests.rounds.factories_c import RatingFactory, RoundItemFactory, StatementFactory


def frozen_result(item, *, consensus: bool) -> ItemResult:
    """A frozen result for `item`: a settled one (IQR 1.00) or an unsettled one (IQR 2.00)."""
    if consensus:
        return ItemResultFactory(item=item, consensus=True)
    return ItemResultFactory(
        item=item,
        counts=[1, 3, 2, 2, 2],
        median=Decimal("3.00"),
        q1=Decimal("2.00"),
        q3=Decimal("4.00"),
        iqr=Decimal("2.00"),
        band="moderate",
        consensus=False,
    )


def closed_rating_round(study, panel=None, *, consensus, number: int = 2, domains=None):
    """A closed rating round with one statement per entry of `consensus` (True/False), each
    with its frozen result; statements go round-robin over `domains` (one new domain if None).
    Returns (round, items)."""
    panel = panel or PanelFactory(study=study)
    domains = domains or [DomainFactory(study=study)]
    delphi_round = RoundFactory(
        study=study, panel=panel, number=number, kind=Round.Kind.RATING, status="closed"
    )
    items = []
    for position, settled in enumerate(consensus, start=1):
        statement = StatementFactory(
            study=study, domain=domains[(position - 1) % len(domains)], order=position
        )
        item = RoundItemFactory(delphi_round=delphi_round, statement=statement, order=position)
        frozen_result(item, consensus=settled)
        items.append(item)
    return delphi_round, items


def draft_rating_round(study, panel, *, number: int = 3, **fields) -> Round:
    fields.setdefault("kind", Round.Kind.RATING)
    return RoundFactory(study=study, panel=panel, number=number, **fields)


def expert_comment(item, text: str, *, code: str | None = None) -> Rating:
    """A submitted rating of `item` with a comment, by a new expert of the round's panel."""
    expert_fields = {"code": code} if code else {}
    expert = ExpertFactory(panel=item.delphi_round.panel, **expert_fields)
    submission = Submission.objects.create(
        delphi_round=item.delphi_round, expert=expert, status=Submission.Status.SUBMITTED
    )
    return RatingFactory(submission=submission, item=item, value=4, comment=text)


def active_statements(study, count: int, *, domain=None) -> list[Statement]:
    return [
        StatementFactory(study=study, domain=domain, order=position)
        for position in range(1, count + 1)
    ]


def actions(study) -> list[str]:
    return list(AuditEvent.objects.filter(study=study).values_list("action", flat=True))
