"""The report of an open round: its answers and the content-analysis trail to the statements."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from panels.models import Study
from rounds.coding.rows import AnswerView, SourceView, StatementView
from rounds.coding.selectors import coding_workspace
from rounds.models import Domain, OpenQuestion, Round, Statement

from .facts import ReportUnavailable, RoundFacts, round_facts, round_for_report


@dataclass(frozen=True)
class AnswerLine:
    """One answer of an open round with its label (E03·2: expert E03, question 2)."""

    answer: AnswerView
    label: str


@dataclass(frozen=True)
class QuestionSection:
    question: OpenQuestion
    number: int
    answers: list[AnswerLine]


@dataclass(frozen=True)
class DomainSection:
    domain: Domain | None
    questions: list[QuestionSection]


@dataclass
class OpenRoundReport:
    """An open round's report: questions with answers by expert code, and the statements
    derived from them with their sources (the content-analysis trail).

    `sections` are the round's questions by domain with their submitted answers;
    `statements` the study's statements with at least one source among those answers,
    active ones by domain first, then merged and out-of-scope ones.
    """

    study: Study
    facts: RoundFacts
    sections: list[DomainSection]
    statements: list[StatementView]

    @property
    def answers(self) -> list[AnswerLine]:
        return [
            line
            for section in self.sections
            for question in section.questions
            for line in question.answers
        ]

    @property
    def set_aside(self) -> int:
        return sum(1 for line in self.answers if line.answer.is_out_of_scope)

    @property
    def active_statements(self) -> int:
        """The statements the next round can ask: merged and out-of-scope ones are not counted."""
        return sum(
            1 for view in self.statements if view.statement.status == Statement.Status.ACTIVE
        )

    @property
    def retired_statements(self) -> int:
        return len(self.statements) - self.active_statements


def _answer_label(view: AnswerView) -> str:
    # The same label as the content-analysis workspace gives a source (E03·2, E03·2b).
    return SourceView(
        answer_id=view.pk,
        code=view.code,
        question_number=view.question_number,
        position=view.answer.position,
        text="",
    ).label


def open_round_report(delphi_round: Round) -> OpenRoundReport:
    """The content-analysis trail of an open round, from `rounds.coding.selectors`
    (seven queries) plus the round facts. Raises ReportUnavailable for another kind."""
    delphi_round = round_for_report(delphi_round)
    if delphi_round.kind != Round.Kind.OPEN:
        raise ReportUnavailable(_("Only an open-question round has answers to report."))
    workspace = coding_workspace(delphi_round=delphi_round)
    sections = [
        DomainSection(
            domain=group.domain,
            questions=[
                QuestionSection(
                    question=question.question,
                    number=question.number,
                    answers=[AnswerLine(view, _answer_label(view)) for view in question.answers],
                )
                for question in group.questions
            ],
        )
        for group in workspace.answer_groups
    ]
    answer_ids = {
        line.answer.pk for section in sections for q in section.questions for line in q.answers
    }
    board = workspace.board
    derived = [
        view
        for view in (*board.active, *board.retired)
        if any(source.answer_id in answer_ids for source in view.sources)
    ]
    return OpenRoundReport(
        study=delphi_round.study,
        facts=round_facts(delphi_round),
        sections=sections,
        statements=derived,
    )
