"""The answering rules: deadlines, one submission and one rating per item, reasons, proxy entry."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from panels.models import AuditEvent
from rounds.answering.rules import (
    RatingInput,
    RoundClosedError,
    answering_deadline,
    round_accepts_answers,
)
from rounds.answering.selectors import (
    remember_previous_ranges,
    round_item_for_expert,
    round_items_with_previous_range,
)
from rounds.answering.services import (
    answer_late_record,
    open_answer_autosave,
    open_answers_save,
    rating_autosave,
    rating_save,
    submission_start,
    submission_submit,
)
from rounds.answering.submission import questionnaire_save
from rounds.lifecycle.services import round_close
from rounds.models import (
    CANNOT_JUDGE,
    Channel,
    ItemResult,
    OpenAnswer,
    Rating,
    Round,
    Submission,
)
from tests.panels.factories import ExpertFactory, PanelFactory
from tests.rounds.factories import (
    InvitationFactory,
    ItemResultFactory,
    OpenQuestionFactory,
    RatingFactory,
    RoundItemFactory,
    SubmissionFactory,
    consented_expert,
    next_round_items,
    open_round,
    rating_round,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
DEADLINE = datetime.datetime(2019, 3, 25, 16, 59, tzinfo=UTC)
BEFORE = DEADLINE - datetime.timedelta(days=1)
AFTER = DEADLINE + datetime.timedelta(minutes=1)


@pytest.fixture
def panel(study):
    return PanelFactory(study=study)


@pytest.fixture
def expert(panel):
    return consented_expert(panel)[0]


@pytest.fixture
def rated(study, panel):
    """A rating round of three statements with a deadline."""
    return rating_round(study, panel, statements=3, closes_at=DEADLINE)


def _submission(delphi_round, expert):
    return submission_start(delphi_round=delphi_round, expert=expert)


# --------------------------------------------------------------------------- deadlines


def test_deadline_is_the_rounds_unless_the_invitation_extends_it(rated, expert, panel):
    delphi_round, _items = rated
    other = ExpertFactory(panel=panel)
    personal = DEADLINE + datetime.timedelta(days=3)
    InvitationFactory(delphi_round=delphi_round, expert=other, deadline_override=personal)

    assert answering_deadline(delphi_round=delphi_round, expert=expert) == DEADLINE
    assert answering_deadline(delphi_round=delphi_round, expert=other) == personal


def test_round_accepts_answers_only_while_open_and_before_the_deadline(rated, expert):
    delphi_round, _items = rated

    assert round_accepts_answers(delphi_round=delphi_round, expert=expert, now=BEFORE)
    assert not round_accepts_answers(delphi_round=delphi_round, expert=expert, now=AFTER)
    delphi_round.status = Round.Status.CLOSED
    assert not round_accepts_answers(delphi_round=delphi_round, expert=expert, now=BEFORE)


def test_personal_extension_keeps_the_round_open_for_that_expert(rated, expert):
    delphi_round, _items = rated
    InvitationFactory(
        delphi_round=delphi_round,
        expert=expert,
        deadline_override=DEADLINE + datetime.timedelta(days=2),
    )

    assert round_accepts_answers(delphi_round=delphi_round, expert=expert, now=AFTER)


# --------------------------------------------------------------------------- submissions


@time_machine.travel(BEFORE, tick=False)
def test_submission_start_is_idempotent(rated, expert):
    delphi_round, _items = rated

    first = _submission(delphi_round, expert)
    second = _submission(delphi_round, expert)

    assert first == second
    assert Submission.objects.filter(delphi_round=delphi_round, expert=expert).count() == 1


def test_database_allows_one_submission_per_expert_and_round(rated, expert):
    delphi_round, _items = rated
    SubmissionFactory(delphi_round=delphi_round, expert=expert)

    with pytest.raises(IntegrityError), transaction.atomic():
        SubmissionFactory(delphi_round=delphi_round, expert=expert)


def test_submission_start_refuses_an_expert_of_another_panel(rated, study):
    delphi_round, _items = rated
    outsider = ExpertFactory(panel=PanelFactory(study=study))

    with pytest.raises(ValidationError) as error:
        submission_start(delphi_round=delphi_round, expert=outsider)

    assert error.value.code == "foreign"
    assert not Submission.objects.exists()


@time_machine.travel(AFTER, tick=False)
def test_no_submission_starts_after_the_deadline(rated, expert):
    delphi_round, _items = rated

    with pytest.raises(RoundClosedError):
        _submission(delphi_round, expert)

    assert not Submission.objects.exists()


@time_machine.travel(AFTER, tick=False)
def test_proxy_start_after_the_deadline_records_channel_and_researcher(rated, expert, alice):
    delphi_round, _items = rated

    submission = submission_start(
        delphi_round=delphi_round, expert=expert, channel=Channel.PAPER, entered_by=alice
    )

    assert (submission.channel, submission.entered_by) == (Channel.PAPER, alice)
    assert AuditEvent.objects.filter(action="answer.proxy", actor=alice).exists()


# --------------------------------------------------------------------------- ratings


@time_machine.travel(BEFORE, tick=False)
def test_saving_a_rating_again_replaces_it(rated, expert):
    delphi_round, items = rated
    submission = _submission(delphi_round, expert)

    rating_save(submission=submission, item=items[0], value=2)
    rating_save(submission=submission, item=items[0], value=5, comment="ชัดเจน")

    rating = Rating.objects.get(submission=submission)
    assert (rating.value, rating.comment) == (5, "ชัดเจน")


def test_database_allows_one_rating_per_item_and_criterion(rated, expert):
    delphi_round, items = rated
    submission = SubmissionFactory(delphi_round=delphi_round, expert=expert)
    RatingFactory(submission=submission, item=items[0])

    with pytest.raises(IntegrityError), transaction.atomic():
        RatingFactory(submission=submission, item=items[0])


@time_machine.travel(BEFORE, tick=False)
def test_repeated_autosaves_never_duplicate_submission_or_rating(rated, expert):
    delphi_round, items = rated
    item = round_item_for_expert(expert=expert, round_pk=delphi_round.pk, item_pk=items[0].pk)

    for value in (3, 3, 4):
        rating_autosave(delphi_round=item.delphi_round, expert=expert, item=item, value=value)

    assert Submission.objects.count() == 1
    assert list(Rating.objects.values_list("value", flat=True)) == [4]


def _close_behind_the_page(delphi_round, alice):
    """Close the round the way the researcher does, while the expert's page still holds the
    round as it was read at the start of its request (open)."""
    round_close(delphi_round=Round.objects.get(pk=delphi_round.pk), actor=alice)


@time_machine.travel(BEFORE, tick=False)
def test_an_autosave_read_before_the_close_is_refused_after_it(rated, expert, alice):
    delphi_round, items = rated
    SubmissionFactory(delphi_round=delphi_round, expert=expert, status="submitted")
    item = round_item_for_expert(expert=expert, round_pk=delphi_round.pk, item_pk=items[0].pk)
    _close_behind_the_page(delphi_round, alice)

    with pytest.raises(RoundClosedError):
        rating_autosave(delphi_round=item.delphi_round, expert=expert, item=item, value=4)
    with pytest.raises(RoundClosedError):
        questionnaire_save(
            delphi_round=item.delphi_round, expert=expert, ratings=[RatingInput(item, 4)]
        )

    assert not Rating.objects.exists()


@time_machine.travel(BEFORE, tick=False)
def test_an_open_answer_read_before_the_close_is_refused_after_it(study, panel, expert, alice):
    delphi_round = open_round(study, panel, closes_at=DEADLINE)
    question = OpenQuestionFactory(delphi_round=delphi_round)
    _close_behind_the_page(delphi_round, alice)

    with pytest.raises(RoundClosedError):
        open_answer_autosave(
            delphi_round=delphi_round, expert=expert, question=question, position=1, text="ช้า"
        )

    assert not Submission.objects.exists()
    assert not OpenAnswer.objects.exists()


@time_machine.travel(BEFORE, tick=False)
@pytest.mark.parametrize("value", [6, -1, True, "3"])
def test_a_value_off_the_scale_is_refused(rated, expert, value):
    delphi_round, items = rated
    submission = _submission(delphi_round, expert)

    with pytest.raises(ValidationError) as error:
        rating_save(submission=submission, item=items[0], value=value)

    assert error.value.code == "invalid_value"
    assert not Rating.objects.exists()


@time_machine.travel(BEFORE, tick=False)
def test_cannot_judge_only_where_the_round_offers_it(rated, expert):
    delphi_round, items = rated
    submission = _submission(delphi_round, expert)
    with pytest.raises(ValidationError) as error:
        rating_save(submission=submission, item=items[0], value=CANNOT_JUDGE)
    assert error.value.code == "cannot_judge"

    delphi_round.allow_cannot_judge = True
    rating_save(submission=submission, item=items[0], value=CANNOT_JUDGE)

    assert Rating.objects.get().value == CANNOT_JUDGE


@time_machine.travel(BEFORE, tick=False)
def test_an_item_of_another_round_is_refused(rated, expert, study, panel):
    delphi_round, _items = rated
    foreign_item = RoundItemFactory(delphi_round__study=study, delphi_round__panel=panel)
    submission = _submission(delphi_round, expert)

    with pytest.raises(ValidationError) as error:
        rating_save(submission=submission, item=foreign_item, value=3)

    assert error.value.code == "foreign"
    assert not Rating.objects.exists()


def test_expert_cannot_rate_after_the_deadline(rated, expert):
    delphi_round, items = rated
    with time_machine.travel(BEFORE, tick=False):
        submission = _submission(delphi_round, expert)

    with time_machine.travel(AFTER, tick=False), pytest.raises(RoundClosedError) as error:
        rating_save(submission=submission, item=items[0], value=3)

    assert error.value.deadline == DEADLINE
    assert not Rating.objects.exists()


def test_proxy_rating_after_the_deadline_is_audited_old_to_new(rated, expert, alice):
    delphi_round, items = rated
    with time_machine.travel(BEFORE, tick=False):
        submission = _submission(delphi_round, expert)
        rating_save(submission=submission, item=items[0], value=2)

    with time_machine.travel(AFTER, tick=False):
        rating_save(submission=submission, item=items[0], value=4, actor=alice)

    event = AuditEvent.objects.get(action="answer.proxy")
    assert event.actor == alice
    assert event.detail["expert"] == expert.code
    assert event.detail["item"] == items[0].pk
    assert (event.detail["old"]["value"], event.detail["new"]["value"]) == (2, 4)
    assert Submission.objects.get().entered_by == alice


@time_machine.travel(BEFORE, tick=False)
def test_proxy_cannot_write_into_a_closed_round(rated, expert, alice):
    delphi_round, items = rated
    submission = _submission(delphi_round, expert)
    Round.objects.filter(pk=delphi_round.pk).update(status=Round.Status.CLOSED)

    with pytest.raises(RoundClosedError):
        rating_save(submission=submission, item=items[0], value=4, actor=alice)

    assert not Rating.objects.exists()


# --------------------------------------------------------------------------- the reason rule


@pytest.fixture
def with_feedback(study, panel, expert):
    """Round 3 built from round 2, whose frozen result puts Q1..Q3 at 3.25..4.25."""
    previous, previous_items = rating_round(study, panel, statements=2, number=2)
    previous.status = Round.Status.CLOSED
    previous.save()
    for item in previous_items:
        ItemResultFactory(item=item)
    delphi_round, _none = rating_round(
        study,
        panel,
        statements=0,
        number=3,
        previous_round=previous,
        require_reason_outside_iqr=True,
        closes_at=DEADLINE,
    )
    return delphi_round, next_round_items(delphi_round, previous_items)


@time_machine.travel(BEFORE, tick=False)
def test_rating_outside_the_previous_range_needs_a_reason(with_feedback, expert):
    delphi_round, items = with_feedback
    submission = _submission(delphi_round, expert)

    with pytest.raises(ValidationError) as error:
        rating_save(submission=submission, item=items[0], value=2)

    assert error.value.code == "reason_required"
    assert "3.25" in error.value.messages[0]
    assert not Rating.objects.exists()


@time_machine.travel(BEFORE, tick=False)
def test_the_reason_prompt_quotes_the_range_with_two_decimals(with_feedback, expert):
    # The questionnaire reads Q1/Q3 through a subquery, which SQLite hands back as
    # Decimal('4.13000000000000'): the prompt printed that raw.
    delphi_round, _items = with_feedback
    ItemResult.objects.update(q1=Decimal("4.13"), q3=Decimal("5.08"))
    items = list(round_items_with_previous_range(delphi_round))
    remember_previous_ranges(items)
    submission = _submission(delphi_round, expert)

    with pytest.raises(ValidationError) as error:
        rating_save(submission=submission, item=items[0], value=2)

    with translation.override("en"):
        assert "(4.13 to 5.08)" in str(error.value.messages[0])


@time_machine.travel(BEFORE, tick=False)
def test_rating_outside_the_range_with_a_reason_is_saved(with_feedback, expert):
    delphi_round, items = with_feedback
    submission = _submission(delphi_round, expert)

    rating_save(submission=submission, item=items[0], value=2, reason="บริบทต่างกัน")
    rating_save(submission=submission, item=items[1], value=4)

    assert Rating.objects.count() == 2


@time_machine.travel(BEFORE, tick=False)
def test_no_reason_needed_when_the_round_does_not_ask_for_it(with_feedback, expert):
    delphi_round, items = with_feedback
    Round.objects.filter(pk=delphi_round.pk).update(require_reason_outside_iqr=False)
    delphi_round.refresh_from_db()
    submission = _submission(delphi_round, expert)

    rating_save(submission=submission, item=items[0], value=1)

    assert Rating.objects.get().value == 1


@time_machine.travel(BEFORE, tick=False)
def test_proxy_records_a_paper_answer_without_a_reason(with_feedback, expert, alice):
    delphi_round, items = with_feedback
    submission = _submission(delphi_round, expert)

    rating_save(submission=submission, item=items[0], value=1, actor=alice)

    assert Rating.objects.get().value == 1


# --------------------------------------------------------------------------- open answers


@pytest.fixture
def opened(study, panel):
    delphi_round = open_round(study, panel, closes_at=DEADLINE)
    return delphi_round, OpenQuestionFactory(delphi_round=delphi_round)


@time_machine.travel(BEFORE, tick=False)
def test_open_answers_replace_the_questions_earlier_answers(opened, expert):
    delphi_round, question = opened
    submission = _submission(delphi_round, expert)
    open_answers_save(submission=submission, question=question, texts=["ก", "ข", "ค"])

    open_answers_save(submission=submission, question=question, texts=["ก ใหม่", "", "ค"])

    stored = OpenAnswer.objects.filter(submission=submission).order_by("position")
    assert [(a.position, a.text) for a in stored] == [(1, "ก ใหม่"), (3, "ค")]


@time_machine.travel(BEFORE, tick=False)
def test_an_overlong_answer_is_refused_and_nothing_is_replaced(opened, expert):
    delphi_round, question = opened
    submission = _submission(delphi_round, expert)
    open_answers_save(submission=submission, question=question, texts=["เดิม"])

    with pytest.raises(ValidationError) as error:
        open_answers_save(submission=submission, question=question, texts=["x" * 5001])

    assert error.value.code == "too_long"
    assert OpenAnswer.objects.get().text == "เดิม"


@time_machine.travel(BEFORE, tick=False)
def test_proxy_open_answers_are_audited(opened, expert, alice):
    delphi_round, question = opened
    submission = submission_start(
        delphi_round=delphi_round, expert=expert, channel=Channel.LINE, entered_by=alice
    )

    open_answers_save(submission=submission, question=question, texts=["จาก LINE"], actor=alice)

    event = AuditEvent.objects.filter(action="answer.proxy", detail__question=question.pk).get()
    assert (event.detail["old"], event.detail["new"]) == ([], ["จาก LINE"])


@time_machine.travel(BEFORE, tick=False)
def test_a_blank_answer_box_removes_only_its_answer(opened, expert):
    delphi_round, question = opened
    for position, text in ((1, "หนึ่ง"), (2, "สอง")):
        open_answer_autosave(
            delphi_round=delphi_round,
            expert=expert,
            question=question,
            position=position,
            text=text,
        )

    removed = open_answer_autosave(
        delphi_round=delphi_round, expert=expert, question=question, position=1, text="  "
    )

    assert removed
    assert list(OpenAnswer.objects.values_list("position", "text")) == [(2, "สอง")]


# --------------------------------------------------------------------------- submitting


@time_machine.travel(BEFORE, tick=False)
def test_an_incomplete_rating_questionnaire_cannot_be_submitted(rated, expert):
    delphi_round, items = rated
    submission = _submission(delphi_round, expert)
    rating_save(submission=submission, item=items[0], value=3)

    with pytest.raises(ValidationError) as error, translation.override("en"):
        submission_submit(submission=submission)

    assert error.value.code == "incomplete"
    with translation.override("en"):
        assert "2 of 3" in error.value.messages[0]
    assert Submission.objects.get().status == Submission.Status.DRAFT


@time_machine.travel(BEFORE, tick=False)
def test_a_complete_questionnaire_is_submitted(rated, expert):
    delphi_round, items = rated
    submission = _submission(delphi_round, expert)
    for item in items:
        rating_save(submission=submission, item=item, value=4)

    submission_submit(submission=submission)

    stored = Submission.objects.get()
    assert stored.status == Submission.Status.SUBMITTED
    assert stored.submitted_at == BEFORE


def test_an_edit_after_submitting_and_a_second_submit_keep_one_submission(rated, expert):
    delphi_round, items = rated
    with time_machine.travel(BEFORE, tick=False):
        submission = _submission(delphi_round, expert)
        for item in items:
            rating_save(submission=submission, item=item, value=4)
        submission_submit(submission=submission)
    later = BEFORE + datetime.timedelta(hours=2)

    with time_machine.travel(later, tick=False):
        rating_save(submission=submission, item=items[0], value=5)
        submission_submit(submission=submission)

    stored = Submission.objects.get()
    assert (stored.status, stored.submitted_at) == (Submission.Status.SUBMITTED, later)
    assert Rating.objects.get(item=items[0]).value == 5


@time_machine.travel(BEFORE, tick=False)
def test_submit_needs_the_reasons_the_round_asks_for(with_feedback, expert, alice):
    delphi_round, items = with_feedback
    submission = _submission(delphi_round, expert)
    # Entered before the rule was switched on, so no reason was asked at the time.
    rating_save(submission=submission, item=items[0], value=1, actor=alice)
    rating_save(submission=submission, item=items[1], value=4)

    with pytest.raises(ValidationError) as error:
        submission_submit(submission=submission)

    assert error.value.code == "reasons_missing"


@time_machine.travel(BEFORE, tick=False)
def test_an_empty_open_questionnaire_cannot_be_submitted(opened, expert):
    delphi_round, _question = opened

    with pytest.raises(ValidationError) as error:
        submission_submit(submission=_submission(delphi_round, expert))

    assert error.value.code == "empty"


@time_machine.travel(BEFORE, tick=False)
def test_proxy_submits_a_paper_questionnaire_with_blanks_and_is_audited(rated, expert, alice):
    delphi_round, items = rated
    submission = submission_start(
        delphi_round=delphi_round, expert=expert, channel=Channel.PAPER, entered_by=alice
    )
    rating_save(submission=submission, item=items[0], value=3, actor=alice)

    submission_submit(submission=submission, actor=alice)

    assert Submission.objects.get().status == Submission.Status.SUBMITTED
    assert AuditEvent.objects.filter(action="answer.proxy", detail__change="submit").exists()


def test_submit_after_the_deadline_is_refused(rated, expert):
    delphi_round, items = rated
    with time_machine.travel(BEFORE, tick=False):
        submission = _submission(delphi_round, expert)
        for item in items:
            rating_save(submission=submission, item=item, value=4)

    with time_machine.travel(AFTER, tick=False), pytest.raises(RoundClosedError):
        submission_submit(submission=submission)

    assert Submission.objects.get().status == Submission.Status.DRAFT


# --------------------------------------------------------------------------- whole questionnaire


@time_machine.travel(BEFORE, tick=False)
def test_questionnaire_save_keeps_good_answers_and_returns_the_refused(with_feedback, expert):
    delphi_round, items = with_feedback

    outcome = questionnaire_save(
        delphi_round=delphi_round,
        expert=expert,
        ratings=[RatingInput(items[0], 1), RatingInput(items[1], 4)],
        submit=True,
    )

    assert list(outcome.refused) == [items[0].pk]
    assert outcome.refused[items[0].pk].code == "reason_required"
    assert not outcome.submitted
    assert list(Rating.objects.values_list("item_id", "value")) == [(items[1].pk, 4)]
    assert Submission.objects.get().status == Submission.Status.DRAFT


@time_machine.travel(BEFORE, tick=False)
def test_questionnaire_save_submits_a_complete_questionnaire(rated, expert):
    delphi_round, items = rated

    outcome = questionnaire_save(
        delphi_round=delphi_round,
        expert=expert,
        ratings=[RatingInput(item, 5) for item in items],
        submit=True,
    )

    assert outcome.submitted
    assert Submission.objects.get().status == Submission.Status.SUBMITTED


@time_machine.travel(AFTER, tick=False)
def test_questionnaire_save_after_the_deadline_saves_nothing(rated, expert):
    delphi_round, items = rated

    with pytest.raises(RoundClosedError):
        questionnaire_save(
            delphi_round=delphi_round, expert=expert, ratings=[RatingInput(items[0], 5)]
        )

    assert not Submission.objects.exists()


def test_a_late_answer_is_kept_in_the_audit_log(rated, expert):
    delphi_round, items = rated

    answer_late_record(
        delphi_round=delphi_round,
        expert=expert,
        content={"ratings": [{"item": items[0].pk, "value": "4"}]},
    )

    event = AuditEvent.objects.get(action="answer.late")
    assert event.actor is None
    assert event.detail["expert"] == expert.code
    assert event.detail["content"]["ratings"][0]["value"] == "4"
