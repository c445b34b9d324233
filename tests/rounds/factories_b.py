"""Factories for invitations and tracking (engineer B's; tests/factories.py is the lead's)."""

import factory

from rounds.models import Invitation, Round, RoundItem, Statement, Submission
from tests.factories import ExpertFactory, RoundFactory


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    delphi_round = factory.SubFactory(RoundFactory, status=Round.Status.OPEN)
    expert = factory.SubFactory(ExpertFactory, panel=factory.SelfAttribute("..delphi_round.panel"))


class TrackedSubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    delphi_round = factory.SubFactory(RoundFactory, status=Round.Status.OPEN)
    expert = factory.SubFactory(ExpertFactory, panel=factory.SelfAttribute("..delphi_round.panel"))
    status = Submission.Status.DRAFT


class ItemStatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement

    study = factory.SubFactory("tests.factories.StudyFactory")
    text = factory.Sequence(lambda n: f"ข้อความ {n}")


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoundItem

    delphi_round = factory.SubFactory(RoundFactory, kind=Round.Kind.RATING)
    statement = factory.SubFactory(
        ItemStatementFactory, study=factory.SelfAttribute("..delphi_round.study")
    )
    order = factory.Sequence(int)


def open_round_with_experts(study, count: int, **round_fields) -> tuple[Round, list]:
    """An open round of `study` whose panel has `count` experts, each invited (nothing sent)."""
    delphi_round = RoundFactory(study=study, status=Round.Status.OPEN, **round_fields)
    experts = ExpertFactory.create_batch(count, panel=delphi_round.panel)
    Invitation.objects.bulk_create(
        [Invitation(delphi_round=delphi_round, expert=expert) for expert in experts]
    )
    return delphi_round, experts
