"""Factories for content analysis (engineer D's; tests/factories.py is the lead's)."""

from dataclasses import dataclass

import factory

from rounds.models import OpenAnswer, OpenQuestion, Round, Statement, StatementSource, Submission
from tests.factories import DomainFactory, ExpertFactory, OpenQuestionFactory, RoundFactory
from tests.rounds.factories_c import StatementFactory, SubmissionFactory


class CodedAnswerFactory(factory.django.DjangoModelFactory):
    """A submitted answer of a closed open round."""

    class Meta:
        model = OpenAnswer

    submission = factory.SubFactory(
        SubmissionFactory,
        delphi_round=factory.SubFactory(
            RoundFactory, kind=Round.Kind.OPEN, status=Round.Status.CLOSED
        ),
    )
    question = factory.SubFactory(
        OpenQuestionFactory, delphi_round=factory.SelfAttribute("..submission.delphi_round")
    )
    position = 1
    text = factory.Sequence(lambda n: f"ควรมีการประสานงานกับชุมชน ข้อ {n}")


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


def statement_from(answers: list[OpenAnswer], **fields) -> Statement:
    """A statement linked to `answers` directly (no service, no audit): arrangement only."""
    study = answers[0].question.delphi_round.study
    statement = StatementFactory(study=study, **fields)
    StatementSource.objects.bulk_create(
        [StatementSource(statement=statement, answer=answer) for answer in answers]
    )
    return statement
