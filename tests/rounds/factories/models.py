"""One factory per model of the rounds app."""

from decimal import Decimal

import factory

from rounds.models import (
    DEFAULT_CRITERION,
    Domain,
    Invitation,
    ItemResult,
    OpenAnswer,
    OpenQuestion,
    Rating,
    Round,
    RoundItem,
    Statement,
    Submission,
)
from tests.panels.factories import ExpertFactory, PanelFactory, StudyFactory


class DomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Domain

    study = factory.SubFactory(StudyFactory)
    title = factory.Sequence(lambda n: f"Domain {n}")
    order = factory.Sequence(int)


class RoundFactory(factory.django.DjangoModelFactory):
    """A draft open round (round 1, 2, … in sequence) of a new panel of its study."""

    class Meta:
        model = Round

    study = factory.SubFactory(StudyFactory)
    panel = factory.SubFactory(PanelFactory, study=factory.SelfAttribute("..study"))
    number = factory.Sequence(lambda n: n + 1)
    kind = Round.Kind.OPEN


class OpenQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpenQuestion

    delphi_round = factory.SubFactory(RoundFactory)
    text = factory.Sequence(lambda n: f"Question {n}?")


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement

    study = factory.SubFactory(StudyFactory)
    order = factory.Sequence(int)
    text = factory.Sequence(lambda n: f"ข้อความที่ {n}")


class RoundItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoundItem

    delphi_round = factory.SubFactory(RoundFactory, kind=Round.Kind.RATING)
    statement = factory.SubFactory(
        StatementFactory, study=factory.SelfAttribute("..delphi_round.study")
    )
    order = factory.Sequence(int)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    delphi_round = factory.SubFactory(RoundFactory, status=Round.Status.OPEN)
    expert = factory.SubFactory(ExpertFactory, panel=factory.SelfAttribute("..delphi_round.panel"))


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    delphi_round = factory.SubFactory(RoundFactory)
    expert = factory.SubFactory(ExpertFactory, panel=factory.SelfAttribute("..delphi_round.panel"))
    status = Submission.Status.SUBMITTED


class OpenAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpenAnswer

    submission = factory.SubFactory(SubmissionFactory)
    question = factory.SubFactory(
        OpenQuestionFactory, delphi_round=factory.SelfAttribute("..submission.delphi_round")
    )
    position = 1
    text = factory.Sequence(lambda n: f"คำตอบ {n}")


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rating

    submission = factory.SubFactory(SubmissionFactory)
    item = factory.SubFactory(
        RoundItemFactory, delphi_round=factory.SelfAttribute("..submission.delphi_round")
    )
    criterion = DEFAULT_CRITERION
    value = 3


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
