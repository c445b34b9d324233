"""What the content-analysis workspace shows: statements, answers and the groups they sit in.

Plain rows assembled by `rounds.coding.selectors` (and read by the forms, the Excel export and
the open-round report); they hold no queries of their own.
"""

from dataclasses import dataclass, field

from analysis import stats
from rounds.models import Domain, OpenAnswer, OpenQuestion, Round, Statement


@dataclass
class SourceView:
    answer_id: int
    code: str
    question_number: int
    position: int
    text: str

    @property
    def label(self) -> str:
        """E03·2 is expert E03's answer to question 2; their second answer to it is E03·2b."""
        suffix = (
            "" if self.position <= 1 else "abcdefghijklmnopqrstuvwxyz"[(self.position - 1) % 26]
        )
        return f"{self.code}·{self.question_number}{suffix}"


@dataclass
class StatementView:
    statement: Statement
    number: int
    sources: list[SourceView] = field(default_factory=list)
    merged_into: "StatementView | None" = None
    merged_from: list["StatementView"] = field(default_factory=list)
    split_from: "StatementView | None" = None
    # Number of the first round sent to experts that shows it: its wording is then fixed.
    locked_round: int | None = None

    @property
    def pk(self) -> int:
        return self.statement.pk

    @property
    def code(self) -> str:
        """S01, S02, …: the label the statement has on every page, report and round."""
        return self.statement.code

    @property
    def is_active(self) -> bool:
        return self.statement.status == Statement.Status.ACTIVE

    @property
    def is_merged(self) -> bool:
        return self.statement.status == Statement.Status.MERGED

    @property
    def is_out_of_scope(self) -> bool:
        return self.statement.status == Statement.Status.OUT_OF_SCOPE

    @property
    def final(self) -> "StatementView":
        """Where a chain of merges ends (A into B, B into C: C)."""
        current, seen = self, {self.pk}
        while current.merged_into is not None and current.merged_into.pk not in seen:
            current = current.merged_into
            seen.add(current.pk)
        return current


@dataclass
class BecameView:
    """One statement an answer now stands behind, and the merged ones it went through."""

    statement: StatementView
    via: list[StatementView] = field(default_factory=list)


@dataclass
class AnswerView:
    answer: OpenAnswer
    code: str
    question_number: int
    became: list[BecameView] = field(default_factory=list)

    @property
    def pk(self) -> int:
        return self.answer.pk

    @property
    def is_out_of_scope(self) -> bool:
        return bool(self.answer.out_of_scope_reason)

    @property
    def is_coded(self) -> bool:
        return bool(self.became) or self.is_out_of_scope


@dataclass
class QuestionGroup:
    question: OpenQuestion
    number: int
    answers: list[AnswerView] = field(default_factory=list)


@dataclass
class AnswerDomainGroup:
    domain: Domain | None
    questions: list[QuestionGroup] = field(default_factory=list)

    @property
    def answer_count(self) -> int:
        return sum(len(group.answers) for group in self.questions)


@dataclass
class StatementDomainGroup:
    domain: Domain | None
    statements: list[StatementView] = field(default_factory=list)


@dataclass
class Progress:
    coded: int
    total: int

    @property
    def percent(self) -> int:
        return stats.percent_half_up(self.coded, self.total) or 0


@dataclass
class StatementBoard:
    """All statements of a study, numbered, with their sources and trail."""

    by_pk: dict[int, StatementView]
    groups: list[StatementDomainGroup]
    retired: list[StatementView]
    domains: list[Domain]

    @property
    def active(self) -> list[StatementView]:
        return [view for group in self.groups for view in group.statements]


@dataclass
class CodingWorkspace:
    delphi_round: Round
    query: str
    answer_groups: list[AnswerDomainGroup]
    board: StatementBoard
    progress: Progress
    shown_answers: int
