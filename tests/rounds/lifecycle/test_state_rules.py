"""What each state of a round allows: draft → open → closed, reopening with a reason, closing
again (a new freeze), and the consensus rules fixed when the first rating round opens."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from panels.models import AuditEvent
from rounds.answering.rules import RoundClosedError
from rounds.answering.services import rating_autosave, rating_save
from rounds.building.items import (
    round_feedback_set,
    round_item_add,
    round_item_move,
    round_item_remove,
)
from rounds.building.services import round_build_from_statements
from rounds.lifecycle.services import round_close, round_open, round_reopen
from rounds.models import ItemResult, Round, Submission
from tests.panels.factories import ExpertFactory, PanelFactory
from tests.rounds.factories import (
    DomainFactory,
    OpenQuestionFactory,
    RatingFactory,
    RoundItemFactory,
    active_statements,
    closed_rating_round,
    open_round,
    rating_round,
)

pytestmark = pytest.mark.django_db


def _codes(error: pytest.ExceptionInfo) -> list[str]:
    return [e.code for e in error.value.error_list]


@pytest.fixture
def panel(study):
    panel = PanelFactory(study=study)
    ExpertFactory.create_batch(2, panel=panel)
    return panel


@pytest.fixture
def draft(study, panel):
    delphi_round, _none = rating_round(
        study, panel, statements=0, number=2, status=Round.Status.DRAFT
    )
    RoundItemFactory.create_batch(2, delphi_round=delphi_round)
    return delphi_round


@pytest.fixture
def closed(study, panel):
    delphi_round, _items = closed_rating_round(study, panel, consensus=[True, False])
    return delphi_round


# --------------------------------------------------------------------------- states


def test_an_open_round_cannot_be_opened_again(draft, alice):
    round_open(delphi_round=draft, actor=alice)

    with pytest.raises(ValidationError) as error:
        round_open(delphi_round=draft, actor=alice)

    assert _codes(error) == ["not_draft"]
    assert AuditEvent.objects.filter(action="round.open").count() == 1


def test_a_closed_round_is_reopened_only_through_reopen(closed, alice):
    with pytest.raises(ValidationError) as error:
        round_open(delphi_round=closed, actor=alice)

    assert _codes(error) == ["not_draft"]
    closed.refresh_from_db()
    assert closed.status == Round.Status.CLOSED


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_reopening_needs_a_reason(closed, alice, reason):
    with pytest.raises(ValidationError) as error:
        round_reopen(delphi_round=closed, actor=alice, reason=reason)

    assert _codes(error) == ["reason_required"]
    closed.refresh_from_db()
    assert closed.status == Round.Status.CLOSED
    assert not AuditEvent.objects.filter(action="round.reopen").exists()


def test_reopening_is_audited_with_its_reason(closed, alice):
    round_reopen(delphi_round=closed, actor=alice, reason="แบบสอบถามกระดาษ 3 ฉบับมาถึงช้า")

    closed.refresh_from_db()
    assert closed.status == Round.Status.OPEN
    event = AuditEvent.objects.get(action="round.reopen")
    assert event.actor == alice
    assert event.detail == {"number": closed.number, "reason": "แบบสอบถามกระดาษ 3 ฉบับมาถึงช้า"}


@pytest.mark.parametrize("status", [Round.Status.DRAFT, Round.Status.OPEN])
def test_only_a_closed_round_can_be_reopened(draft, alice, status):
    Round.objects.filter(pk=draft.pk).update(status=status)

    with pytest.raises(ValidationError) as error:
        round_reopen(delphi_round=draft, actor=alice, reason="ทดสอบ")

    assert _codes(error) == ["not_closed"]


def test_reopening_with_a_new_deadline_lets_experts_answer_again(closed, alice):
    closed.closes_at = timezone.now() - datetime.timedelta(days=1)
    closed.save()
    item = closed.items.first()
    expert = closed.panel.experts.first()
    later = timezone.now() + datetime.timedelta(days=7)

    round_reopen(delphi_round=closed, actor=alice, reason="ขยายเวลา", closes_at=later)

    closed.refresh_from_db()
    assert closed.closes_at == later
    rating_autosave(delphi_round=closed, expert=expert, item=item, value=5)
    assert Submission.objects.filter(delphi_round=closed, expert=expert).exists()
    assert {"round.reopen", "round.deadline"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )


def test_a_refused_new_deadline_leaves_the_round_closed(closed, alice):
    past = timezone.now() - datetime.timedelta(hours=1)

    with pytest.raises(ValidationError) as error:
        round_reopen(delphi_round=closed, actor=alice, reason="ขยายเวลา", closes_at=past)

    assert _codes(error) == ["deadline_past"]
    closed.refresh_from_db()
    assert closed.status == Round.Status.CLOSED
    assert not AuditEvent.objects.filter(action="round.reopen").exists()


def test_a_round_whose_results_fed_an_opened_round_cannot_be_reopened(study, panel, closed, alice):
    rating_round(study, panel, statements=0, number=3, previous_round=closed)

    with pytest.raises(ValidationError) as error:
        round_reopen(delphi_round=closed, actor=alice, reason="ทดสอบ")

    assert _codes(error) == ["feeds_later_round"]


def test_a_round_whose_results_feed_only_a_draft_can_be_reopened(study, panel, closed, alice):
    rating_round(
        study, panel, statements=0, number=3, previous_round=closed, status=Round.Status.DRAFT
    )

    round_reopen(delphi_round=closed, actor=alice, reason="ทดสอบ")

    closed.refresh_from_db()
    assert closed.status == Round.Status.OPEN


def test_closing_again_freezes_afresh_and_says_so(draft, alice):
    round_open(delphi_round=draft, actor=alice)
    item = draft.items.order_by("order").first()
    expert = draft.panel.experts.first()
    submission = Submission.objects.create(
        delphi_round=draft, expert=expert, status=Submission.Status.SUBMITTED
    )
    RatingFactory(submission=submission, item=item, value=2)
    round_close(delphi_round=draft, actor=alice)
    assert ItemResult.objects.get(item=item).n == 1
    round_reopen(delphi_round=draft, actor=alice, reason="ผู้เชี่ยวชาญอีกท่านส่งคำตอบทางไปรษณีย์")
    other = Submission.objects.create(
        delphi_round=draft, expert=draft.panel.experts.last(), status=Submission.Status.SUBMITTED
    )
    RatingFactory(submission=other, item=item, value=4)

    round_close(delphi_round=draft, actor=alice)

    result = ItemResult.objects.get(item=item)
    assert (result.n, result.counts) == (2, [0, 1, 0, 1, 0])
    first, second = AuditEvent.objects.filter(action="round.close").order_by("pk")
    assert "refreeze" not in first.detail
    assert second.detail["refreeze"] is True
    assert second.detail["replaced"] == 2  # both items' results of the first close


# --------------------------------------------------------------------------- what each state allows


def test_a_closed_round_accepts_no_expert_answers(closed):
    item = closed.items.first()
    expert = closed.panel.experts.first()

    with pytest.raises(RoundClosedError):
        rating_autosave(delphi_round=closed, expert=expert, item=item, value=4)

    assert not Submission.objects.filter(delphi_round=closed).exists()


def test_a_closed_round_accepts_no_proxy_answers_either(closed, alice):
    expert = closed.panel.experts.first()
    submission = Submission.objects.create(delphi_round=closed, expert=expert)

    with pytest.raises(RoundClosedError):
        rating_save(submission=submission, item=closed.items.first(), value=4, actor=alice)

    assert not submission.ratings.exists()


def _change_items(delphi_round, actor, change: str):
    item = delphi_round.items.first()
    if change == "add":
        round_item_add(delphi_round=delphi_round, text="ข้อใหม่", domain=None, actor=actor)
    elif change == "remove":
        round_item_remove(delphi_round=delphi_round, item=item, actor=actor)
    elif change == "move":
        round_item_move(delphi_round=delphi_round, item=item, direction="down", actor=actor)
    elif change == "fill":
        active_statements(delphi_round.study, 2)
        round_build_from_statements(delphi_round=delphi_round, actor=actor)
    elif change == "feedback":
        round_feedback_set(delphi_round=delphi_round, actor=actor, show_median=False)


@pytest.mark.parametrize("status", [Round.Status.OPEN, Round.Status.CLOSED])
@pytest.mark.parametrize("change", ["add", "remove", "move", "fill", "feedback"])
def test_statements_and_feedback_of_a_sent_round_cannot_change(draft, alice, status, change):
    Round.objects.filter(pk=draft.pk).update(status=status)
    before = list(draft.items.order_by("pk").values_list("pk", "statement_id", "order"))

    with pytest.raises(ValidationError) as error:
        _change_items(draft, alice, change)

    assert _codes(error) == ["not_draft"]
    assert list(draft.items.order_by("pk").values_list("pk", "statement_id", "order")) == before
    draft.refresh_from_db()
    assert draft.show_median is True


# --------------------------------------------------------------------------- the protocol lock


def test_opening_the_first_rating_round_fixes_the_consensus_rules(study, draft, alice):
    assert study.rules_locked_at is None

    round_open(delphi_round=draft, actor=alice)

    study.refresh_from_db()
    assert study.rules_locked_at == Round.objects.get(pk=draft.pk).opens_at
    event = AuditEvent.objects.get(action="protocol.lock")
    assert event.detail["round"] == draft.number
    assert event.detail["rules"]["consensus_iqr_threshold"] == "1.50"
    assert event.detail["rules"]["scale_labels"] == study.scale_labels


def test_opening_an_open_question_round_leaves_the_rules_free(study, panel, alice):
    delphi_round = open_round(study, panel, status=Round.Status.DRAFT)
    OpenQuestionFactory(delphi_round=delphi_round, domain=DomainFactory(study=study))

    round_open(delphi_round=delphi_round, actor=alice)

    study.refresh_from_db()
    assert study.rules_locked_at is None


def test_a_later_rating_round_keeps_the_first_lock(study, panel, draft, alice):
    round_open(delphi_round=draft, actor=alice)
    study.refresh_from_db()
    first_lock = study.rules_locked_at
    later, _none = rating_round(study, panel, statements=0, number=3, status=Round.Status.DRAFT)
    RoundItemFactory(delphi_round=later)

    round_open(delphi_round=later, actor=alice)

    study.refresh_from_db()
    assert study.rules_locked_at == first_lock
    assert AuditEvent.objects.filter(action="protocol.lock").count() == 1
