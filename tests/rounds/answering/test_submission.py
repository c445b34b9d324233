"""Submitting a whole rating questionnaire: complete by what is posted now, or with earlier drafts.

A submit that posts every statement skips the completeness query (questionnaire_save); these
pin that both ways reach the same verdict.
"""

import pytest

from rounds.answering.rules import RatingInput
from rounds.answering.submission import questionnaire_save
from rounds.models import Submission
from tests.panels.factories import PanelFactory
from tests.rounds.factories import consented_expert, rating_round, round_after_frozen_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel(study):
    return PanelFactory(study=study)


@pytest.fixture
def expert(panel):
    return consented_expert(panel)[0]


def _save(delphi_round, expert, answers, submit=True):
    return questionnaire_save(
        delphi_round=delphi_round, expert=expert, ratings=answers, submit=submit
    )


def test_the_rest_saved_as_a_draft_earlier_completes_the_submit(study, panel, expert):
    delphi_round, items = rating_round(study, panel, statements=3)
    _save(delphi_round, expert, [RatingInput(item, 2) for item in items[:2]], submit=False)

    outcome = _save(delphi_round, expert, [RatingInput(items[2], 5)])

    assert outcome.submitted and outcome.submit_error is None
    assert Submission.objects.get().status == Submission.Status.SUBMITTED


def test_posting_all_but_one_statement_is_not_a_submit(study, panel, expert):
    delphi_round, items = rating_round(study, panel, statements=3)

    outcome = _save(delphi_round, expert, [RatingInput(item, 3) for item in items[1:]])

    assert not outcome.submitted
    assert outcome.submit_error.code == "incomplete"
    assert outcome.submit_error.params == {"missing": 1, "total": 3}


def test_every_statement_posted_with_the_reasons_asked_for_is_submitted(study, panel, expert):
    delphi_round, items = round_after_frozen_round(study, panel, values=(4, 4))  # Q1..Q3 3.25..4.25

    without_reason = _save(
        delphi_round, expert, [RatingInput(items[0], 1), RatingInput(items[1], 4)]
    )
    with_reason = _save(
        delphi_round,
        expert,
        [RatingInput(items[0], 1, reason="ผู้ป่วยกลุ่มนี้ต่างออกไป"), RatingInput(items[1], 4)],
    )

    assert not without_reason.submitted and items[0].pk in without_reason.refused
    assert with_reason.submitted
