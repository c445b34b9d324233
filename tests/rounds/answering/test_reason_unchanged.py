"""Issue 14 item 17: an answer the expert keeps from their previous round needs no reason,
unless the round asks for one (`require_reason_when_unchanged`); the server's rule and the
page's agree."""

import pytest
from django.core.exceptions import ValidationError

from rounds.answering.questionnaire import rating_rows
from rounds.answering.rules import RatingInput
from rounds.answering.selectors import remember_previous_ranges, round_items_with_previous_range
from rounds.answering.services import rating_autosave, rating_save, submission_start
from rounds.answering.submission import questionnaire_save
from rounds.building.forms import BuildForm
from rounds.models import Rating, Round, Submission
from tests.panels.factories import PanelFactory
from tests.rounds.factories import (
    ItemResultFactory,
    RatingFactory,
    SubmissionFactory,
    consented_expert,
    next_round_items,
    rating_round,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel(study):
    return PanelFactory(study=study)


@pytest.fixture
def expert(panel):
    return consented_expert(panel)[0]


def _round_three(study, panel, expert, *, status=Submission.Status.SUBMITTED, **fields):
    """Round 3 after round 2 (Q1..Q3 3.25..4.25), where the expert answered 5 and 4."""
    previous, previous_items = rating_round(
        study, panel, statements=2, number=2, status=Round.Status.CLOSED
    )
    earlier = SubmissionFactory(delphi_round=previous, expert=expert, status=status)
    for item, value in zip(previous_items, (5, 4), strict=True):
        ItemResultFactory(item=item)
        RatingFactory(submission=earlier, item=item, value=value)
    delphi_round, _none = rating_round(
        study,
        panel,
        statements=0,
        number=3,
        previous_round=previous,
        require_reason_outside_iqr=True,
        **fields,
    )
    return delphi_round, next_round_items(delphi_round, previous_items)


def test_an_unchanged_answer_outside_the_range_is_saved_without_a_reason(study, panel, expert):
    delphi_round, items = _round_three(study, panel, expert)
    submission = submission_start(delphi_round=delphi_round, expert=expert)

    rating_save(submission=submission, item=items[0], value=5)
    rating_autosave(delphi_round=delphi_round, expert=expert, item=items[0], value=5)

    assert Rating.objects.get(submission=submission).value == 5
    with pytest.raises(ValidationError) as error:
        rating_save(submission=submission, item=items[0], value=1)
    assert error.value.code == "reason_required"


def test_a_round_can_ask_for_a_reason_for_unchanged_answers_too(study, panel, expert):
    delphi_round, items = _round_three(study, panel, expert, require_reason_when_unchanged=True)
    submission = submission_start(delphi_round=delphi_round, expert=expert)

    with pytest.raises(ValidationError) as error:
        rating_save(submission=submission, item=items[0], value=5)

    assert error.value.code == "reason_required"


def test_a_draft_of_the_previous_round_is_no_previous_answer(study, panel, expert):
    delphi_round, items = _round_three(study, panel, expert, status=Submission.Status.DRAFT)
    submission = submission_start(delphi_round=delphi_round, expert=expert)

    with pytest.raises(ValidationError):
        rating_save(submission=submission, item=items[0], value=5)


def test_the_whole_questionnaire_submits_with_unchanged_answers(study, panel, expert):
    delphi_round, items = _round_three(study, panel, expert)

    outcome = questionnaire_save(
        delphi_round=delphi_round,
        expert=expert,
        ratings=[RatingInput(items[0], 5), RatingInput(items[1], 4)],
        submit=True,
    )

    assert outcome.refused == {} and outcome.submitted


def test_submit_counts_only_changed_answers_as_missing_a_reason(study, panel, expert, alice):
    delphi_round, items = _round_three(study, panel, expert)
    submission = submission_start(delphi_round=delphi_round, expert=expert)
    # Keyed in by the researcher (no reason asked), then submitted by the expert.
    rating_save(submission=submission, item=items[0], value=5, actor=alice)
    rating_save(submission=submission, item=items[1], value=1, actor=alice)

    outcome = questionnaire_save(delphi_round=delphi_round, expert=expert, submit=True)

    assert outcome.submit_error.code == "reasons_missing"
    assert outcome.submit_error.params == {"count": 1}


@pytest.mark.parametrize("ask", [False, True])
def test_the_page_asks_exactly_what_the_server_asks(study, panel, expert, ask):
    delphi_round, _items = _round_three(
        study, panel, expert, require_reason_when_unchanged=ask, show_own_previous=False
    )
    items = list(round_items_with_previous_range(delphi_round))
    remember_previous_ranges(items)

    rows = rating_rows(delphi_round, expert, items, saved={})
    # Nothing pre-marked (the round hides the previous answer): the page reads the rule alone.
    assert [row.needs_reason for row in rows] == [False, False]
    assert [row.unchanged_value for row in rows] == (["", ""] if ask else ["5", "4"])

    saved = {items[0].pk: Rating(item=items[0], value=5), items[1].pk: Rating(value=1)}
    rows = rating_rows(delphi_round, expert, items, saved=saved)
    assert [row.needs_reason for row in rows] == [ask, True]


def test_the_build_form_offers_the_setting(study, panel, expert):
    delphi_round, _items = _round_three(study, panel, expert)

    form = BuildForm(
        {"action": "feedback", "require_reason_when_unchanged": "on"},
        delphi_round=delphi_round,
        sources=[],
        statement_count=0,
    )

    assert form.is_valid(), form.errors
    assert form.feedback()["require_reason_when_unchanged"] is True
