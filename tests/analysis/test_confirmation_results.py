"""The results page of a confirmation round: figures per component and criterion, a verdict
per criterion for the whole model, and the suggestions by expert code."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from analysis import stats
from rounds.models import DomainSuggestion, Rating, Round, Submission
from rounds.results import round_results_freeze
from tests.panels.factories import StudyFactory
from tests.rounds.factories import confirmation_round, consented_expert

pytestmark = pytest.mark.django_db

CODES = ("appropriateness", "usefulness", "feasibility")


@pytest.fixture(autouse=True)
def english(alice_client):
    alice_client.cookies["django_language"] = "en"


def _answered(delphi_round, items, answers_for):
    """Each expert's answers: `answers_for(expert_index, item_index, code)` → value."""
    for index in range(3):
        expert, _token = consented_expert(delphi_round.panel)
        submission = Submission.objects.create(
            delphi_round=delphi_round, expert=expert, status=Submission.Status.SUBMITTED
        )
        Rating.objects.bulk_create(
            Rating(
                submission=submission,
                item=item,
                criterion=code,
                value=answers_for(index, position, code),
            )
            for position, item in enumerate(items)
            for code in CODES
        )
    round_results_freeze(delphi_round=delphi_round)
    Round.objects.filter(pk=delphi_round.pk).update(status=Round.Status.CLOSED)
    delphi_round.refresh_from_db()


def _url(delphi_round):
    return reverse(
        "analysis:round_results",
        kwargs={"study_pk": delphi_round.study_id, "round_pk": delphi_round.pk},
    )


def _page(client, delphi_round):
    response = client.get(_url(delphi_round))
    assert response.status_code == 200
    return response.context


def test_figures_per_criterion_equal_analysis_stats(alice_client, study):
    delphi_round, items = confirmation_round(study, statements=2)
    table = {"appropriateness": [5, 5, 4], "usefulness": [4, 4, 3], "feasibility": [5, 3, 5]}
    _answered(delphi_round, items, lambda e, _i, code: table[code][e])

    confirmation = _page(alice_client, delphi_round)["confirmation"]

    assert [c["code"] for c in confirmation.criteria] == list(CODES)
    row = confirmation.rows[0]
    for position, code in enumerate(CODES):
        expected = stats.summarize_ratings([[value] for value in table[code]]).item(0)
        mean, sd = stats.mean_sd(list(expected.counts))
        cell = row.cells[position]
        assert (float(cell.result.median), float(cell.result.iqr)) == (
            expected.median,
            expected.iqr,
        )
        assert (cell.result.band, cell.result.consensus) == (expected.band, expected.consensus)
        assert (cell.mean, cell.sd) == (pytest.approx(mean), pytest.approx(sd))
        assert cell.mean_band == stats.mean_band(mean)


def test_the_median_verdict_confirms_a_criterion_rated_high_with_consensus(alice_client, study):
    delphi_round, items = confirmation_round(study, statements=2)
    # Usefulness of the second component splits the panel (1, 3, 5): no consensus there.
    split = {0: 1, 1: 3, 2: 5}
    _answered(
        delphi_round,
        items,
        lambda e, i, code: split[e] if (i, code) == (1, "usefulness") else 5,
    )

    page = alice_client.get(_url(delphi_round)).content.decode()
    verdicts = {v.code: v for v in _page(alice_client, delphi_round)["confirmation"].verdicts}

    assert verdicts["appropriateness"].confirmed and verdicts["feasibility"].confirmed
    assert not verdicts["usefulness"].confirmed
    assert [row.statement.pk for row in verdicts["usefulness"].unconfirmed] == [
        items[1].statement_id
    ]
    assert "confirmed — every component was rated high or highest with consensus" in page
    assert "not confirmed — 1 component was not rated high or highest" in page


def test_the_mean_verdict_gives_the_overall_mean_and_its_band(alice_client, study):
    delphi_round, items = confirmation_round(study, statements=2)
    Round.objects.filter(pk=delphi_round.pk).update(confirmation_statistic="mean")
    # Feasibility: 4, 4, 3 on both components → overall mean 3.67 (high); the rest 5 (highest).
    feasible = {0: 4, 1: 4, 2: 3}
    _answered(delphi_round, items, lambda e, _i, code: feasible[e] if code == "feasibility" else 5)

    confirmation = _page(alice_client, delphi_round)["confirmation"]
    page = alice_client.get(_url(delphi_round)).content.decode()

    feasibility = confirmation.verdicts[2]
    mean, sd = stats.mean_sd([0, 0, 2, 4, 0])
    assert (feasibility.mean, feasibility.sd) == (pytest.approx(mean), pytest.approx(sd))
    # Band names follow the study's language (Thai), as in every results table.
    assert feasibility.confirmed and feasibility.band_label == "มาก"
    assert "overall mean 3.67 (มาก)" in page
    assert "overall mean 5.00 (มากที่สุด)" in page
    assert confirmation.confirmed


def test_a_low_overall_mean_is_not_confirmed(alice_client, study):
    delphi_round, items = confirmation_round(study, statements=1)
    Round.objects.filter(pk=delphi_round.pk).update(confirmation_statistic="mean")
    _answered(delphi_round, items, lambda _e, _i, code: 2 if code == "usefulness" else 4)

    confirmation = _page(alice_client, delphi_round)["confirmation"]

    assert not confirmation.verdicts[1].confirmed
    assert not confirmation.confirmed


def test_suggestions_are_listed_per_domain_by_expert_code_only(alice_client, study):
    delphi_round, items = confirmation_round(study, statements=1)
    _answered(delphi_round, items, lambda *_args: 5)
    submission = Submission.objects.filter(delphi_round=delphi_round).first()
    DomainSuggestion.objects.create(
        submission=submission, domain=items[0].statement.domain, text="Add a budget line."
    )
    draft_expert, _token = consented_expert(delphi_round.panel, name="Draft Person")
    draft = Submission.objects.create(delphi_round=delphi_round, expert=draft_expert)
    DomainSuggestion.objects.create(
        submission=draft, domain=items[0].statement.domain, text="Not submitted."
    )

    page = alice_client.get(_url(delphi_round)).content.decode()

    assert "Add a budget line." in page
    assert submission.expert.code in page
    assert submission.expert.name not in page
    assert "Not submitted." not in page


def _closed_round_with(owner, statements):
    study = StudyFactory(owner=owner)
    delphi_round, items = confirmation_round(study, statements=statements, domains=3)
    _answered(delphi_round, items, lambda *_args: 5)
    for submission in Submission.objects.filter(delphi_round=delphi_round):
        DomainSuggestion.objects.create(
            submission=submission, domain=items[0].statement.domain, text="More time."
        )
    return delphi_round


def test_the_page_costs_the_same_whatever_items_x_criteria(
    alice, alice_client, django_assert_max_num_queries
):
    small = _closed_round_with(alice, 5)
    large = _closed_round_with(alice, 20)
    with CaptureQueriesContext(connection) as captured:
        alice_client.get(_url(small))

    # 9: session, user, study with role, round, frozen results, ratings, submitted experts,
    # invited count, suggestions with their domains — none per item or criterion.
    with django_assert_max_num_queries(len(captured)):
        response = alice_client.get(_url(large))

    assert response.status_code == 200
    assert len(response.context["confirmation"].rows) == 20
