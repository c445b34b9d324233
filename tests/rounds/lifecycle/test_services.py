"""A round's life cycle: open (inviting the panel), close (freezing results), deadlines."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from panels.models import AuditEvent
from rounds.lifecycle.services import round_close, round_deadline_extend, round_open
from rounds.models import Invitation, ItemResult, Rating, Round, Submission
from tests.panels.factories import ExpertFactory, PanelFactory
from tests.rounds.factories import (
    OpenQuestionFactory,
    RoundFactory,
    RoundItemFactory,
    open_round_with_experts,
)

pytestmark = pytest.mark.django_db

BANGKOK = datetime.timezone(datetime.timedelta(hours=7))
NOW = datetime.datetime(2019, 3, 8, 9, 0, tzinfo=BANGKOK)


def _draft_open_round(study, experts: int = 3, **fields) -> Round:
    delphi_round = RoundFactory(study=study, kind=Round.Kind.OPEN, **fields)
    OpenQuestionFactory(delphi_round=delphi_round)
    ExpertFactory.create_batch(experts, panel=delphi_round.panel)
    return delphi_round


def _codes(error: pytest.ExceptionInfo) -> list[str]:
    return [e.code for e in error.value.error_list]


@time_machine.travel(NOW, tick=False)
def test_opening_invites_every_expert_of_the_panel(study, alice):
    delphi_round = _draft_open_round(study, experts=3)

    round_open(delphi_round=delphi_round, actor=alice)

    delphi_round.refresh_from_db()
    assert delphi_round.status == Round.Status.OPEN
    assert delphi_round.opens_at == NOW
    invited = Invitation.objects.filter(delphi_round=delphi_round)
    assert sorted(invited.values_list("expert_id", flat=True)) == sorted(
        delphi_round.panel.experts.values_list("pk", flat=True)
    )
    assert set(invited.values_list("send_status", flat=True)) == {"not_sent"}
    event = AuditEvent.objects.get(action="round.open")
    assert (event.actor, event.detail["invited"]) == (alice, 3)


def test_opening_keeps_a_planned_opening_date_and_existing_invitations(study, alice):
    planned = timezone.now() - datetime.timedelta(hours=1)
    delphi_round = _draft_open_round(study, experts=2, opens_at=planned)
    expert = delphi_round.panel.experts.first()
    later = timezone.now() + datetime.timedelta(days=30)
    Invitation.objects.create(delphi_round=delphi_round, expert=expert, deadline_override=later)

    round_open(delphi_round=delphi_round, actor=alice)

    delphi_round.refresh_from_db()
    assert delphi_round.opens_at == planned
    assert Invitation.objects.filter(delphi_round=delphi_round).count() == 2
    assert Invitation.objects.get(expert=expert).deadline_override == later


def test_open_round_without_questions_cannot_be_opened(study, alice):
    delphi_round = RoundFactory(study=study, kind=Round.Kind.OPEN)
    ExpertFactory(panel=delphi_round.panel)

    with pytest.raises(ValidationError) as error:
        round_open(delphi_round=delphi_round, actor=alice)

    assert _codes(error) == ["no_questions"]
    delphi_round.refresh_from_db()
    assert delphi_round.status == Round.Status.DRAFT
    assert not Invitation.objects.exists()


def test_rating_round_without_statements_cannot_be_opened(study, alice):
    delphi_round = RoundFactory(study=study, kind=Round.Kind.RATING)
    ExpertFactory(panel=delphi_round.panel)

    with pytest.raises(ValidationError) as error:
        round_open(delphi_round=delphi_round, actor=alice)

    assert _codes(error) == ["no_items"]


def test_rating_round_with_statements_opens(study, alice):
    item = RoundItemFactory(delphi_round=RoundFactory(study=study, kind=Round.Kind.RATING))
    ExpertFactory(panel=item.delphi_round.panel)

    round_open(delphi_round=item.delphi_round, actor=alice)

    assert item.delphi_round.status == Round.Status.OPEN


def test_round_with_an_empty_panel_cannot_be_opened(study, alice):
    delphi_round = RoundFactory(study=study, panel=PanelFactory(study=study))
    OpenQuestionFactory(delphi_round=delphi_round)

    with pytest.raises(ValidationError) as error:
        round_open(delphi_round=delphi_round, actor=alice)

    assert _codes(error) == ["no_experts"]


def test_round_whose_deadline_has_passed_cannot_be_opened(study, alice):
    delphi_round = _draft_open_round(
        study, closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    with pytest.raises(ValidationError) as error:
        round_open(delphi_round=delphi_round, actor=alice)

    assert _codes(error) == ["deadline_passed"]


@pytest.mark.parametrize("status", [Round.Status.OPEN, Round.Status.CLOSED])
def test_only_a_draft_round_can_be_opened(study, alice, status):
    delphi_round = _draft_open_round(study)
    Round.objects.filter(pk=delphi_round.pk).update(status=status)

    with pytest.raises(ValidationError) as error:
        round_open(delphi_round=delphi_round, actor=alice)

    assert _codes(error) == ["not_draft"]
    assert not AuditEvent.objects.filter(action="round.open").exists()


def test_closing_an_open_round(study, alice):
    delphi_round, _experts = open_round_with_experts(study, 2)

    round_close(delphi_round=delphi_round, actor=alice)

    delphi_round.refresh_from_db()
    assert delphi_round.status == Round.Status.CLOSED
    assert AuditEvent.objects.get(action="round.close").actor == alice


def test_closing_a_rating_round_freezes_its_results(study, alice):
    delphi_round, experts = open_round_with_experts(study, 3, kind=Round.Kind.RATING)
    item = RoundItemFactory(delphi_round=delphi_round)
    for expert, value in zip(experts, (4, 5, 5), strict=True):
        submission = Submission.objects.create(
            delphi_round=delphi_round, expert=expert, status=Submission.Status.SUBMITTED
        )
        Rating.objects.create(submission=submission, item=item, value=value)

    round_close(delphi_round=delphi_round, actor=alice)

    result = ItemResult.objects.get(item=item)
    assert result.n == 3
    assert AuditEvent.objects.get(action="round.close").detail["results"] == 1


def test_only_an_open_round_can_be_closed(study, alice):
    delphi_round = _draft_open_round(study)

    with pytest.raises(ValidationError) as error:
        round_close(delphi_round=delphi_round, actor=alice)

    assert _codes(error) == ["not_open"]
    delphi_round.refresh_from_db()
    assert delphi_round.status == Round.Status.DRAFT


@time_machine.travel(NOW, tick=False)
def test_new_round_deadline_drops_personal_deadlines_it_overtakes(study, alice):
    delphi_round, (early, late) = open_round_with_experts(
        study, 2, closes_at=NOW + datetime.timedelta(days=7)
    )
    Invitation.objects.filter(expert=early).update(deadline_override=NOW + datetime.timedelta(9))
    Invitation.objects.filter(expert=late).update(deadline_override=NOW + datetime.timedelta(20))
    new_deadline = NOW + datetime.timedelta(days=14)

    round_deadline_extend(delphi_round=delphi_round, closes_at=new_deadline, actor=alice)

    delphi_round.refresh_from_db()
    assert delphi_round.closes_at == new_deadline
    assert Invitation.objects.get(expert=early).deadline_override is None
    assert Invitation.objects.get(expert=late).deadline_override == NOW + datetime.timedelta(20)
    event = AuditEvent.objects.get(action="round.deadline")
    assert event.detail["new"] == new_deadline.isoformat()


@time_machine.travel(NOW, tick=False)
def test_one_expert_gets_a_personal_deadline(study, alice):
    delphi_round, (expert, other) = open_round_with_experts(
        study, 2, closes_at=NOW + datetime.timedelta(days=7)
    )
    personal = NOW + datetime.timedelta(days=10)

    round_deadline_extend(delphi_round=delphi_round, closes_at=personal, actor=alice, expert=expert)

    assert Invitation.objects.get(expert=expert).deadline_override == personal
    assert Invitation.objects.get(expert=other).deadline_override is None
    delphi_round.refresh_from_db()
    assert delphi_round.closes_at == NOW + datetime.timedelta(days=7)
    assert AuditEvent.objects.get(action="round.deadline_expert").detail["expert"] == expert.code


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("days", "code"),
    [(-1, "deadline_past"), (3, "not_later"), (7, "not_later")],
)
def test_personal_deadline_must_be_future_and_later_than_the_rounds(study, alice, days, code):
    delphi_round, (expert,) = open_round_with_experts(
        study, 1, closes_at=NOW + datetime.timedelta(days=7)
    )

    with pytest.raises(ValidationError) as error:
        round_deadline_extend(
            delphi_round=delphi_round,
            closes_at=NOW + datetime.timedelta(days=days),
            actor=alice,
            expert=expert,
        )

    assert _codes(error) == [code]
    assert Invitation.objects.get(expert=expert).deadline_override is None


def test_personal_deadline_for_an_expert_of_another_panel_is_refused(study, alice):
    delphi_round, _experts = open_round_with_experts(
        study, 1, closes_at=timezone.now() + datetime.timedelta(days=7)
    )
    stranger = ExpertFactory()

    with pytest.raises(ValidationError) as error:
        round_deadline_extend(
            delphi_round=delphi_round,
            closes_at=timezone.now() + datetime.timedelta(days=9),
            actor=alice,
            expert=stranger,
        )

    assert _codes(error) == ["foreign_expert"]


def test_deadline_of_a_closed_round_cannot_change(study, alice):
    delphi_round, _experts = open_round_with_experts(study, 1)
    Round.objects.filter(pk=delphi_round.pk).update(status=Round.Status.CLOSED)

    with pytest.raises(ValidationError) as error:
        round_deadline_extend(
            delphi_round=delphi_round,
            closes_at=timezone.now() + datetime.timedelta(days=3),
            actor=alice,
        )

    assert _codes(error) == ["closed"]
