"""Factories for answers and results (engineer C's; tests/factories.py is the lead's)."""

import factory

from rounds.models import (
    DEFAULT_CRITERION,
    Rating,
    Round,
    RoundItem,
    Statement,
    Submission,
)
from tests.factories import ExpertFactory, RoundFactory


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement

    study = factory.SubFactory("tests.factories.StudyFactory")
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


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    delphi_round = factory.SubFactory(RoundFactory)
    expert = factory.SubFactory(ExpertFactory, panel=factory.SelfAttribute("..delphi_round.panel"))
    status = Submission.Status.SUBMITTED


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rating

    submission = factory.SubFactory(SubmissionFactory)
    item = factory.SubFactory(
        RoundItemFactory, delphi_round=factory.SelfAttribute("..submission.delphi_round")
    )
    criterion = DEFAULT_CRITERION
    value = 3
