"""Builders of closed rating rounds for the Excel, CSV, PDF and download tests, on the rounds
builders (tests.rounds.factories).

`small_round` is a closed, frozen rating round small enough to check by hand: five experts
rate three statements, one of which is a formula-injection attempt, with one "cannot judge",
one missing answer, comments and reasons, and a sixth expert whose draft must not count.
"""

from dataclasses import dataclass

from panels.models import Expert
from rounds.models import Rating, Round, Statement, Submission
from tests.panels.factories import ExpertFactory, PanelFactory
from tests.rounds.factories import DomainFactory, StatementFactory, answer, close, rating_round

INJECTION = "=cmd|' /C calc'!A0"
THAI_STATEMENT = "ครูและชุมชนร่วมกันวางแผนพัฒนาหลักสูตรสถานศึกษา"
COMMENT = '=HYPERLINK("http://example.com/steal","คลิก")'
REASON = "@SUM(1+1)*cmd|' /C calc'!A0"

# Ratings of E01..E05 for S01..S03: 0 = cannot judge, None = no answer.
ANSWERS = (
    (5, 4, 0),
    (4, 4, 3),
    (5, None, 4),
    (3, 5, 4),
    (5, 4, 5),
)


@dataclass
class SmallRound:
    delphi_round: Round
    experts: list[Expert]
    statements: list[Statement]
    drafter: Expert


def small_round(study) -> SmallRound:
    """The hand-checkable round described in the module docstring, closed and frozen."""
    panel = PanelFactory(study=study, code_prefix="E", name="ผู้เชี่ยวชาญ")
    domain = DomainFactory(study=study, title="ด้านหลักสูตร")
    statements = [
        StatementFactory(study=study, domain=domain, order=0, text=INJECTION),
        StatementFactory(study=study, domain=domain, order=1, text=THAI_STATEMENT),
        StatementFactory(study=study, domain=None, order=2, text="Plain statement three"),
    ]
    experts = [
        ExpertFactory(
            panel=panel,
            code=f"E{n:02d}",
            name=f"Secretname{n} Surname",
            email=f"hidden{n}@example.org",
            organisation=f"Organisation{n}",
        )
        for n in range(1, 6)
    ]
    drafter = ExpertFactory(panel=panel, code="E06", name="Drafty McDraft", email="d@example.org")
    delphi_round, items = rating_round(
        study, panel, number=2, statements=statements, allow_cannot_judge=True
    )
    answer(delphi_round, dict(zip(experts, ANSWERS, strict=True)), invite=[drafter])
    first_item = items[0]
    Rating.objects.filter(submission__expert=experts[1], item=first_item).update(comment=COMMENT)
    Rating.objects.filter(submission__expert=experts[3], item=first_item).update(reason=REASON)
    draft = Submission.objects.create(delphi_round=delphi_round, expert=drafter)
    Rating.objects.create(submission=draft, item=first_item, value=1)
    close(delphi_round)
    return SmallRound(delphi_round, experts, statements, drafter)


def sized_round(study, *, statements: int, experts: int = 6, number: int = 2) -> Round:
    """A closed, frozen rating round of `statements` statements; answers vary by position."""
    panel = PanelFactory(study=study, code_prefix=f"R{number}")
    asked = [
        StatementFactory(study=study, order=n, text=f"ข้อความที่ {n + 1}") for n in range(statements)
    ]
    people = [ExpertFactory(panel=panel, code=f"R{number}E{n + 1:02d}") for n in range(experts)]
    delphi_round, _items = rating_round(study, panel, number=number, statements=asked)
    answer(
        delphi_round,
        {expert: [1 + (e + s) % 5 for s in range(statements)] for e, expert in enumerate(people)},
    )
    return close(delphi_round)
