"""Builders of whole rounds (and the answers in them) out of the model factories.

A "closed round" here is what `round_close` leaves: status closed, results frozen.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from panels.models import Expert
from rounds.links import expert_token
from rounds.models import (
    Invitation,
    ItemResult,
    OpenAnswer,
    OpenQuestion,
    Rating,
    Round,
    RoundItem,
    Statement,
    StatementSource,
    Submission,
)
from rounds.results import round_results_freeze
from tests.panels.factories import ExpertFactory, PanelFactory
from tests.rounds.factories.models import (
    DomainFactory,
    ItemResultFactory,
    OpenQuestionFactory,
    RatingFactory,
    RoundFactory,
    StatementFactory,
    SubmissionFactory,
)

# Experts


def consented_expert(panel, **fields) -> tuple[Expert, str]:
    """An expert who has already agreed to take part, and their link's token."""
    expert = ExpertFactory(panel=panel, consent_given_at=timezone.now(), **fields)
    return expert, expert_token(expert)


# Rounds


def open_round(study, panel, *, number: int = 1, status: str = Round.Status.OPEN, **fields):
    """An open-question round (round 1, open, unless told otherwise); no questions yet."""
    return RoundFactory(
        study=study, panel=panel, number=number, status=status, kind=Round.Kind.OPEN, **fields
    )


def open_round_with_experts(study, count: int, **round_fields) -> tuple[Round, list[Expert]]:
    """An open round of `study` whose panel has `count` experts, each invited (nothing sent)."""
    delphi_round = RoundFactory(study=study, status=Round.Status.OPEN, **round_fields)
    experts = ExpertFactory.create_batch(count, panel=delphi_round.panel)
    Invitation.objects.bulk_create(
        [Invitation(delphi_round=delphi_round, expert=expert) for expert in experts]
    )
    return delphi_round, experts


def rating_round(
    study,
    panel,
    *,
    statements: int | Sequence[Statement] = 3,
    domains: int = 1,
    number: int = 2,
    status: str = Round.Status.OPEN,
    kind: str = Round.Kind.RATING,
    previous_round: Round | None = None,
    **fields,
) -> tuple[Round, list[RoundItem]]:
    """A rating round of `panel` (or another `kind`), round 2 and open unless told otherwise,
    and its items in order.

    `statements` is either how many new statements to ask, spread round-robin over `domains`
    new domains (none when it is 0), or the statements themselves, asked in the order given.
    Other `fields` go to the round.
    """
    delphi_round = RoundFactory(
        study=study,
        panel=panel,
        number=number,
        status=status,
        kind=kind,
        previous_round=previous_round,
        **fields,
    )
    if isinstance(statements, int):
        groups = [DomainFactory(study=study) for _ in range(domains)] if statements else []
        statements = [
            StatementFactory(study=study, domain=groups[n % domains]) for n in range(statements)
        ]
    items = RoundItem.objects.bulk_create(
        RoundItem(delphi_round=delphi_round, statement=statement, order=order)
        for order, statement in enumerate(statements)
    )
    return delphi_round, items


def next_round_items(delphi_round, previous_items) -> list[RoundItem]:
    """Items of `delphi_round` for the same statements as `previous_items` (a later round)."""
    return RoundItem.objects.bulk_create(
        RoundItem(delphi_round=delphi_round, statement=item.statement, order=item.order)
        for item in previous_items
    )


def confirmation_round(
    study, *, panel=None, number: int = 4, **options
) -> tuple[Round, list[RoundItem]]:
    """A confirmation round (round 4, open) of `panel`, by default a new panel "Q": the
    `rating_round` of kind confirmation, with its options."""
    panel = panel or PanelFactory(study=study, code_prefix="Q")
    return rating_round(study, panel, number=number, kind=Round.Kind.CONFIRMATION, **options)


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


def closed_rating_round(
    study,
    panel=None,
    *,
    consensus: Sequence[bool] | None = None,
    ratings: dict[str, list[int]] | None = None,
    number: int = 2,
    domains=None,
) -> tuple[Round, list[RoundItem]]:
    """A closed rating round of `panel` (a new one if None) with frozen results, and its items.

    Give one of:
    - `consensus`: one statement per entry, each with a `frozen_result` settled (True) or not
      (False) and no ratings behind it;
    - `ratings`: one statement per key (its text), answered with the listed values by as many
      experts E01, E02, … and frozen as `round_close` does.

    Statements go round-robin over `domains` (one new domain if None).
    """
    if (consensus is None) == (ratings is None):
        raise TypeError("closed_rating_round needs either consensus= or ratings=")
    panel = panel or PanelFactory(study=study)
    domains = domains or [DomainFactory(study=study)]
    texts = list(ratings) if ratings is not None else [None] * len(consensus)
    statements = [
        StatementFactory(
            study=study,
            domain=domains[(position - 1) % len(domains)],
            order=position,
            **({} if text is None else {"text": text}),
        )
        for position, text in enumerate(texts, start=1)
    ]
    if consensus is not None:
        delphi_round, items = rating_round(
            study, panel, number=number, statements=statements, status=Round.Status.CLOSED
        )
        for item, settled in zip(items, consensus, strict=True):
            frozen_result(item, consensus=settled)
        return delphi_round, items
    delphi_round, items = rating_round(study, panel, number=number, statements=statements)
    size = max(len(values) for values in ratings.values())
    experts = [ExpertFactory(panel=panel, code=f"E{n + 1:02d}") for n in range(size)]
    answer(
        delphi_round,
        {
            expert: [values[n] if n < len(values) else None for values in ratings.values()]
            for n, expert in enumerate(experts)
        },
    )
    close(delphi_round)
    return delphi_round, items


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


# Answers


def answer(delphi_round, answers: dict, *, invite=()) -> None:
    """Submit `answers` ({expert: [value per item, None = no answer]}) and invite them and
    the experts in `invite`; written in bulk."""
    items = list(delphi_round.items.order_by("order"))
    experts = list(answers) + [expert for expert in invite if expert not in answers]
    Invitation.objects.bulk_create(
        Invitation(delphi_round=delphi_round, expert=expert) for expert in experts
    )
    submissions = Submission.objects.bulk_create(
        Submission(delphi_round=delphi_round, expert=expert, status=Submission.Status.SUBMITTED)
        for expert in answers
    )
    Rating.objects.bulk_create(
        Rating(submission=submission, item=item, value=value)
        for submission, values in zip(submissions, answers.values(), strict=True)
        for item, value in zip(items, values, strict=True)
        if value is not None
    )


def close(delphi_round) -> Round:
    """Close the round and freeze its results, as round_close does."""
    delphi_round.status = Round.Status.CLOSED
    delphi_round.save(update_fields=["status"])
    round_results_freeze(delphi_round=delphi_round)
    return delphi_round


def expert_comment(item, text: str, *, code: str | None = None) -> Rating:
    """A submitted rating of `item` with a comment, by a new expert of the round's panel."""
    expert_fields = {"code": code} if code else {}
    expert = ExpertFactory(panel=item.delphi_round.panel, **expert_fields)
    submission = Submission.objects.create(
        delphi_round=item.delphi_round, expert=expert, status=Submission.Status.SUBMITTED
    )
    return RatingFactory(submission=submission, item=item, value=4, comment=text)


@dataclass
class AnsweredRound:
    delphi_round: Round
    questions: list[OpenQuestion]
    submissions: list[Submission]
    answers: list[OpenAnswer]

    def answers_of(self, code: str) -> list[OpenAnswer]:
        return [a for a in self.answers if a.submission.expert.code == code]


def answered_round(
    study, *, experts: int = 3, questions: int = 2, status: str = Round.Status.CLOSED, **fields
) -> AnsweredRound:
    """An open round of `study` whose experts E01… each answered every question once.

    Question n belongs to its own domain; answers read "คำตอบ E01 ข้อ 1" and so on.
    """
    fields.setdefault("number", 1)
    delphi_round = RoundFactory(study=study, kind=Round.Kind.OPEN, status=status, **fields)
    domains = [DomainFactory(study=study, order=n) for n in range(1, questions + 1)]
    asked = [
        OpenQuestionFactory(delphi_round=delphi_round, domain=domains[n], order=n + 1)
        for n in range(questions)
    ]
    submissions = [
        SubmissionFactory(
            delphi_round=delphi_round,
            expert=ExpertFactory(panel=delphi_round.panel, code=f"E{n + 1:02d}"),
        )
        for n in range(experts)
    ]
    answers = [
        OpenAnswer.objects.create(
            submission=submission,
            question=question,
            text=f"คำตอบ {submission.expert.code} ข้อ {number}",
        )
        for number, question in enumerate(asked, start=1)
        for submission in submissions
    ]
    return AnsweredRound(delphi_round, asked, submissions, answers)


# Statements


def active_statements(study, count: int, *, domain=None) -> list[Statement]:
    """`count` statements of `study` numbered 1…count, in `domain`."""
    return [
        StatementFactory(study=study, domain=domain, order=position)
        for position in range(1, count + 1)
    ]


def statement_from(answers: list[OpenAnswer], **fields) -> Statement:
    """A statement linked to `answers` directly (no service, no audit): arrangement only."""
    study = answers[0].question.delphi_round.study
    statement = StatementFactory(study=study, **fields)
    StatementSource.objects.bulk_create(
        [StatementSource(statement=statement, answer=answer) for answer in answers]
    )
    return statement
