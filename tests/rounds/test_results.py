"""Frozen results (rounds.results).

Expected numbers are worked out by hand from README.md "How the numbers are computed"
(class k has L = k - 0.5, width 1; value = L + (p - F) / f at p = N/4, N/2, 3N/4; the
class is the first whose cumulative frequency reaches p), never from the code under test.
"""

import math
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from rounds.models import CANNOT_JUDGE, ItemResult, Rating, Round, Submission
from rounds.results import (
    previous_ratings_for_expert,
    previous_results_for_round,
    round_results_freeze,
)
from tests.panels.factories import ExpertFactory, PanelFactory
from tests.rounds.factories import RoundFactory, RoundItemFactory, SubmissionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def closing_round(study):
    return RoundFactory(study=study, kind=Round.Kind.RATING, number=2)


def submissions(delphi_round, count, status=Submission.Status.SUBMITTED):
    return [SubmissionFactory(delphi_round=delphi_round, status=status) for _expert in range(count)]


def rate(item, subs, counts, criterion="rating"):
    """Give `item` counts[k-1] answers of k, one per submission, in order."""
    values = [k for k, f in enumerate(counts, start=1) for _answer in range(f)]
    assert len(values) <= len(subs)
    Rating.objects.bulk_create(
        Rating(submission=sub, item=item, criterion=criterion, value=value)
        for sub, value in zip(subs, values, strict=False)
    )


def result(item, criterion="rating") -> ItemResult:
    return ItemResult.objects.get(item=item, criterion=criterion)


def test_freeze_stores_the_grouped_figures_of_18_answers(closing_round):
    item = RoundItemFactory(delphi_round=closing_round)
    rate(item, submissions(closing_round, 18), [0, 1, 3, 8, 6])

    written = round_results_freeze(delphi_round=closing_round)

    # Cumulative 0, 1, 4, 12, 18.  Q1: p = 4.5 in class 4 -> 3.5 + (4.5 - 4)/8 = 3.5625;
    # Mdn: p = 9 in class 4 -> 3.5 + (9 - 4)/8 = 4.125; Q3: p = 13.5 in class 5 ->
    # 4.5 + (13.5 - 12)/6 = 4.75; IQR = 4.75 - 3.5625 = 1.1875.  Half-up to 2 decimals.
    row = result(item)
    assert written == 1
    assert row.n == 18
    assert row.counts == [0, 1, 3, 8, 6]
    assert (row.q1, row.median, row.q3, row.iqr) == (
        Decimal("3.56"),
        Decimal("4.13"),
        Decimal("4.75"),
        Decimal("1.19"),
    )
    assert row.band == "high"  # 3.49 < 4.13 <= 4.49
    assert row.consensus is True  # 1.19 <= 1.50
    assert row.method == "grouped"


def test_freeze_stores_agreement_mean_and_sd_in_extra(closing_round):
    item = RoundItemFactory(delphi_round=closing_round)
    rate(item, submissions(closing_round, 18), [0, 1, 3, 8, 6])

    round_results_freeze(delphi_round=closing_round)

    # Top two points: (8 + 6) / 18 = 77.78 %.  Mean = (2 + 9 + 32 + 30) / 18 = 73/18.
    # Sum of f k^2 = 4 + 27 + 128 + 150 = 309; SS = 309 - 73^2/18 = 233/18; SD = sqrt(SS/17).
    extra = result(item).extra
    assert extra["percent_agreement"] == pytest.approx(700 / 9)
    assert extra["mean"] == pytest.approx(73 / 18)
    assert extra["sd"] == pytest.approx(math.sqrt(233 / 306))
    assert extra["cannot_judge"] == 0


def test_a_median_of_exactly_3_50_is_high_and_a_wide_iqr_is_no_consensus(closing_round):
    item = RoundItemFactory(delphi_round=closing_round)
    rate(item, submissions(closing_round, 18), [3, 3, 3, 3, 6])

    round_results_freeze(delphi_round=closing_round)

    # Cumulative 3, 6, 9, 12, 18.  Q1: p = 4.5 in class 2 -> 1.5 + 1.5/3 = 2.00;
    # Mdn: p = 9 reaches class 3 exactly -> 2.5 + 3/3 = 3.50; Q3: p = 13.5 in class 5 ->
    # 4.5 + 1.5/6 = 4.75; IQR = 2.75.
    row = result(item)
    assert (row.q1, row.median, row.q3, row.iqr) == (
        Decimal("2.00"),
        Decimal("3.50"),
        Decimal("4.75"),
        Decimal("2.75"),
    )
    assert row.band == "high"
    assert row.consensus is False


def test_freeze_uses_the_studys_consensus_threshold(closing_round):
    closing_round.study.consensus_iqr_threshold = Decimal("1.00")
    closing_round.study.save()
    item = RoundItemFactory(delphi_round=closing_round)
    rate(item, submissions(closing_round, 18), [0, 1, 3, 8, 6])

    round_results_freeze(delphi_round=closing_round)

    assert result(item).iqr == Decimal("1.19")
    assert result(item).consensus is False


def test_freeze_uses_the_studys_band_cutoffs(closing_round):
    study = closing_round.study
    study.band_cutoff_4 = Decimal("4.20")
    study.save()
    item = RoundItemFactory(delphi_round=closing_round)
    rate(item, submissions(closing_round, 18), [0, 1, 3, 8, 6])

    round_results_freeze(delphi_round=closing_round)

    assert result(item).band == "high"  # 4.13 <= 4.20
    study.band_cutoff_4 = Decimal("4.10")
    study.save()
    round_results_freeze(delphi_round=closing_round)
    assert result(item).band == "highest"  # 4.13 > 4.10


def test_draft_answers_are_left_out(closing_round):
    item = RoundItemFactory(delphi_round=closing_round)
    rate(item, submissions(closing_round, 18), [0, 1, 3, 8, 6])
    rate(item, submissions(closing_round, 5, status=Submission.Status.DRAFT), [5, 0, 0, 0, 0])

    round_results_freeze(delphi_round=closing_round)

    assert result(item).n == 18
    assert result(item).counts == [0, 1, 3, 8, 6]


def test_cannot_judge_is_left_out_and_counted_apart(closing_round):
    item = RoundItemFactory(delphi_round=closing_round)
    subs = submissions(closing_round, 20)
    rate(item, subs[:18], [0, 1, 3, 8, 6])
    for sub in subs[18:]:
        Rating.objects.create(submission=sub, item=item, value=CANNOT_JUDGE)

    round_results_freeze(delphi_round=closing_round)

    row = result(item)
    assert row.n == 18
    assert row.median == Decimal("4.13")
    assert row.extra["cannot_judge"] == 2


def test_an_item_nobody_rated_gets_an_empty_row(closing_round):
    rated = RoundItemFactory(delphi_round=closing_round)
    unrated = RoundItemFactory(delphi_round=closing_round)
    rate(rated, submissions(closing_round, 3), [0, 0, 3, 0, 0])

    written = round_results_freeze(delphi_round=closing_round)

    row = result(unrated)
    assert written == 2
    assert (row.n, row.counts) == (0, [0, 0, 0, 0, 0])
    assert (row.median, row.iqr, row.band, row.consensus) == (None, None, "", False)
    assert row.extra["percent_agreement"] is None
    assert row.extra["mean"] is None


def test_freezing_again_replaces_the_rows(closing_round):
    item = RoundItemFactory(delphi_round=closing_round)
    rate(item, submissions(closing_round, 4), [0, 0, 0, 4, 0])
    round_results_freeze(delphi_round=closing_round)
    first = result(item)
    rate(item, submissions(closing_round, 4), [4, 0, 0, 0, 0])

    round_results_freeze(delphi_round=closing_round)

    assert ItemResult.objects.filter(item=item).count() == 1
    # Now 4 answers of 1 and 4 of 4: Mdn p = 4 reaches class 1 exactly -> 0.5 + 4/4 = 1.50.
    assert (first.median, result(item).median) == (Decimal("4.00"), Decimal("1.50"))


def test_freezing_leaves_other_rounds_results_alone(closing_round):
    other = RoundFactory(study=closing_round.study, kind=Round.Kind.RATING, number=3)
    other_item = RoundItemFactory(delphi_round=other)
    round_results_freeze(delphi_round=other)
    RoundItemFactory(delphi_round=closing_round)

    round_results_freeze(delphi_round=closing_round)

    assert ItemResult.objects.filter(item=other_item).exists()


def test_a_confirmation_round_gets_one_row_per_criterion_it_was_rated_on(study):
    delphi_round = RoundFactory(study=study, kind=Round.Kind.CONFIRMATION, number=4)
    item = RoundItemFactory(delphi_round=delphi_round)
    subs = submissions(delphi_round, 7)
    rate(item, subs, [0, 0, 0, 2, 5], criterion="appropriate")
    rate(item, subs, [0, 0, 1, 3, 3], criterion="feasible")

    written = round_results_freeze(delphi_round=delphi_round)

    assert written == 2
    assert set(ItemResult.objects.values_list("criterion", flat=True)) == {
        "appropriate",
        "feasible",
    }
    # 7 answers, cumulative 0, 0, 0, 2, 7: Mdn p = 3.5 in class 5 -> 4.5 + 1.5/5 = 4.80.
    assert result(item, "appropriate").median == Decimal("4.80")


@pytest.mark.parametrize("items", [5, 50])
def test_freeze_costs_the_same_queries_for_5_and_50_items(
    closing_round, items, django_assert_max_num_queries
):
    subs = submissions(closing_round, 6)
    for _item in range(items):
        rate(RoundItemFactory(delphi_round=closing_round), subs, [1, 1, 1, 1, 2])

    # savepoint, round + study (locked), item ids, tally, delete, insert, release savepoint
    with django_assert_max_num_queries(7):
        written = round_results_freeze(delphi_round=closing_round)

    assert written == items


def test_previous_results_are_keyed_by_statement(study, django_assert_max_num_queries):
    round_two = RoundFactory(study=study, kind=Round.Kind.RATING, number=2)
    round_three = RoundFactory(
        study=study, kind=Round.Kind.RATING, number=3, previous_round=round_two
    )
    old_item = RoundItemFactory(delphi_round=round_two)
    RoundItemFactory(delphi_round=round_three, statement=old_item.statement)
    rate(old_item, submissions(round_two, 18), [0, 1, 3, 8, 6])
    round_results_freeze(delphi_round=round_two)

    with django_assert_max_num_queries(1):
        previous = previous_results_for_round(round_three)

    assert list(previous) == [(old_item.statement_id, "rating")]
    assert previous[(old_item.statement_id, "rating")].median == Decimal("4.13")


def test_a_round_without_a_previous_round_has_no_previous_results(
    closing_round, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert previous_results_for_round(closing_round) == {}
        assert previous_ratings_for_expert(closing_round, ExpertFactory.build()) == {}


def test_previous_ratings_are_the_experts_own_submitted_answers(
    study, django_assert_max_num_queries
):
    panel = PanelFactory(study=study)
    round_two = RoundFactory(study=study, panel=panel, kind=Round.Kind.RATING, number=2)
    round_three = RoundFactory(
        study=study, panel=panel, kind=Round.Kind.RATING, number=3, previous_round=round_two
    )
    first, second = RoundItemFactory.create_batch(2, delphi_round=round_two)
    own = SubmissionFactory(delphi_round=round_two)
    Rating.objects.create(submission=own, item=first, value=4)
    Rating.objects.create(submission=own, item=second, value=CANNOT_JUDGE)
    Rating.objects.create(submission=SubmissionFactory(delphi_round=round_two), item=first, value=1)

    with django_assert_max_num_queries(1):
        mine = previous_ratings_for_expert(round_three, own.expert)

    assert mine == {
        (first.statement_id, "rating"): 4,
        (second.statement_id, "rating"): CANNOT_JUDGE,
    }


def test_a_draft_of_the_previous_round_is_no_previous_answer(study):
    round_two = RoundFactory(study=study, kind=Round.Kind.RATING, number=2)
    round_three = RoundFactory(
        study=study, kind=Round.Kind.RATING, number=3, previous_round=round_two
    )
    item = RoundItemFactory(delphi_round=round_two)
    draft = SubmissionFactory(delphi_round=round_two, status=Submission.Status.DRAFT)
    Rating.objects.create(submission=draft, item=item, value=4)

    assert previous_ratings_for_expert(round_three, draft.expert) == {}


def test_an_answer_off_the_studys_scale_stops_the_freeze(closing_round):
    item = RoundItemFactory(delphi_round=closing_round)
    rate(item, submissions(closing_round, 3), [0, 0, 3, 0, 0])
    round_results_freeze(delphi_round=closing_round)
    Rating.objects.filter(item=item).update(value=7)

    with pytest.raises(ValidationError) as caught:
        round_results_freeze(delphi_round=closing_round)

    assert caught.value.code == "off_scale"
    assert result(item).median == Decimal("3.00")  # the earlier freeze stands
