"""Reads for the results page (analysis.selectors).

Expected figures are worked out by hand (grouped formulas: class k has L = k - 0.5, width 1;
value = L + (p - F) / f at p = N/4, N/2, 3N/4), never taken from the code under test.
"""

from decimal import Decimal

import pytest
from django.utils import translation

from analysis import selectors
from analysis.stats import ItemStability
from panels.models import Study
from rounds.models import ItemResult, Round
from tests.panels.factories import ExpertFactory, PanelFactory
from tests.rounds.factories import (
    DomainFactory,
    RoundFactory,
    StatementFactory,
    answer,
    close,
    rating_round,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel(study):
    return PanelFactory(study=study, code_prefix="E")


@pytest.fixture
def experts(panel):
    return [ExpertFactory(panel=panel, code=f"E{n:02d}") for n in range(1, 6)]


def statements(study, count, domain=None):
    return [StatementFactory(study=study, domain=domain, order=n) for n in range(count)]


def results_of(delphi_round) -> selectors.RoundResults:
    delphi_round = Round.objects.select_related("study", "previous_round").get(pk=delphi_round.pk)
    with translation.override("en"):
        return selectors.round_results(delphi_round=delphi_round)


@pytest.fixture
def two_rounds(study, panel, experts):
    """Round 2 and round 3 of two statements; E04 and E05 answer round 3 only / round 2 only."""
    asked = statements(study, 2)
    e1, e2, e3, e4, e5 = experts
    first, _items = rating_round(study, panel, number=2, statements=asked)
    answer(first, {e1: [4, 5], e2: [5, 5], e3: [3, 4], e5: [2, 5]})
    close(first)
    second, _items = rating_round(study, panel, number=3, statements=asked, previous_round=first)
    answer(second, {e1: [4, 5], e2: [4, 5], e3: [4, 4], e4: [5, 5]}, invite=[e5])
    close(second)
    return first, second


# ------------------------------------------------------------------ stability and W


def test_stability_counts_the_experts_who_changed_their_answer(two_rounds):
    _first, second = two_rounds

    rows = results_of(second).rows

    # Statement 1: E01 4 -> 4, E02 5 -> 4, E03 3 -> 4 (E04 and E05 answered one round only).
    assert rows[0].stability.pairs == 3
    assert rows[0].stability.changed == 2
    assert rows[0].stability.changed_share == pytest.approx(2 / 3)
    # Differences -1 and +1: the signed ranks balance, so the two-sided p is 1.
    assert rows[0].stability.p_value == pytest.approx(1.0)
    # Statement 2: 5 -> 5, 5 -> 5, 4 -> 4: nobody changed, so there is no test to run.
    assert (rows[1].stability.changed, rows[1].stability.p_value) == (0, None)


def test_change_since_the_previous_round_is_read_from_both_frozen_rounds(two_rounds):
    _first, second = two_rounds

    row = results_of(second).rows[0]

    # Round 2, statement 1: answers 2, 3, 4, 5 -> counts [0, 1, 1, 1, 1], N = 4.
    # Median p = 2 in class 3: 2.5 + (2 - 1)/1 = 3.50.  Round 3: answers 4, 4, 4, 5 ->
    # median p = 2 in class 4: 3.5 + 2/3 = 4.17 (half-up).
    assert row.previous.median == Decimal("3.50")
    assert row.result.median == Decimal("4.17")
    assert row.median_change == Decimal("0.67")
    assert row.changed


def test_stability_is_empty_for_a_round_without_a_previous_round(two_rounds):
    first, _second = two_rounds

    rows = results_of(first).rows

    assert [row.stability for row in rows] == [None, None]
    assert not any(row.changed for row in rows)


def test_kendalls_w_is_one_when_every_expert_ranks_the_statements_alike(study, panel, experts):
    e1, e2, e3, *_rest = experts
    delphi_round, _items = rating_round(study, panel, number=2, statements=statements(study, 3))
    answer(delphi_round, {e1: [5, 4, 3], e2: [4, 3, 2], e3: [5, 3, 1]})
    close(delphi_round)

    [(criterion, kendall)] = results_of(delphi_round).kendall

    assert criterion == "rating"
    assert kendall.w == pytest.approx(1.0)
    assert kendall.experts == 3


def test_kendalls_w_leaves_out_experts_who_did_not_rate_every_statement(study, panel, experts):
    e1, e2, e3, e4, _e5 = experts
    delphi_round, _items = rating_round(study, panel, number=2, statements=statements(study, 3))
    answer(delphi_round, {e1: [5, 4, 3], e2: [4, 3, 2], e3: [5, 3, 1], e4: [5, None, 1]})
    close(delphi_round)

    [(_criterion, kendall)] = results_of(delphi_round).kendall

    assert (kendall.experts, kendall.dropped) == (3, 1)


def test_response_rate_is_submitted_out_of_invited(two_rounds):
    _first, second = two_rounds

    response = results_of(second).response

    # Invited: E01-E04 who answered and E05 who did not.
    assert (response.submitted, response.invited, response.percent) == (4, 5, 80)


# ------------------------------------------------------------------ sensitivity


def frozen(counts, consensus) -> ItemResult:
    return ItemResult(counts=counts, consensus=consensus, method="grouped")


def test_sensitivity_applies_each_definition_to_the_frozen_counts(study):
    study.agreement_threshold = Decimal("70")
    results = [
        # IQR 0.63 (Q1 4.13, Q3 4.75); 100 % in the top two points: consensus every way.
        frozen([0, 0, 0, 2, 8], True),
        # Q1 p = 2.5 in class 1: 0.5 + 2.5/3 = 1.33; Q3 p = 7.5 in class 5: 4.5 + 4.5/7 =
        # 5.14; IQR 3.81 > 1.50, yet 7 of 10 (70 %) answered 4 or 5.
        frozen([3, 0, 0, 0, 7], False),
        # Q1 2.5 + 2.5/6 = 2.92, Q3 3.5 + 1.5/4 = 3.88: IQR 0.96, but only 40 % agree.
        frozen([0, 0, 6, 4, 0], True),
    ]

    found = selectors.sensitivity(results, study=study)

    assert found == [
        {"iqr": True, "iqr_and_agreement": True, "agreement": True},
        {"iqr": False, "iqr_and_agreement": False, "agreement": True},
        {"iqr": True, "iqr_and_agreement": False, "agreement": False},
    ]


def test_sensitivity_view_lists_the_items_whose_status_changes(study, panel, experts):
    asked = statements(study, 2)
    delphi_round, _items = rating_round(study, panel, number=2, statements=asked)
    # Statement 1: 5, 5, 5, 4, 4 -> IQR small and 100 % agreement: stable under every rule.
    # Statement 2: 3, 3, 3, 4, 3 -> IQR small, but only 20 % in the top two points.
    answer(delphi_round, dict(zip(experts, [[5, 3], [5, 3], [5, 3], [4, 4], [4, 3]], strict=True)))
    close(delphi_round)

    summary = results_of(delphi_round).sensitivity

    assert [row.number for row in summary.changing] == ["S02"]
    assert summary.counts == {"iqr": 2, "iqr_and_agreement": 1, "agreement": 1}
    assert summary.per_definition[1] == ("IQR ≤ 1.50 and agreement ≥ 70 %", 1)


# ------------------------------------------------------------------ attrition


def test_attrition_compares_the_minority_answers_of_leavers_and_stayers(study, panel, experts):
    asked = statements(study, 1)
    e1, e2, e3, e4, e5 = experts
    first, _items = rating_round(study, panel, number=2, statements=asked)
    # Answers 1, 4, 4, 4, 5 -> counts [1, 0, 0, 3, 1]: Q1 = 3.5 + (1.25 - 1)/3 = 3.58,
    # Q3 = 3.5 + (3.75 - 1)/3 = 4.42. The 1 and the 5 lie outside [Q1, Q3], the 4s inside.
    answer(first, {e1: [1], e2: [4], e3: [4], e4: [4], e5: [5]})
    close(first)
    second, _items = rating_round(study, panel, number=3, statements=asked, previous_round=first)
    answer(second, {e2: [4], e3: [4], e4: [4]}, invite=[e1, e5])
    close(second)

    check = results_of(second).attrition

    assert check.applicable
    assert check.left_codes == ("E01", "E05")
    assert (check.left_share, check.stayed_share, check.stayed) == (100, 0, 3)
    with translation.override("en"):
        assert "held minority views more often" in check.sentence
        assert "E01, E05" in check.sentence


def test_attrition_says_nobody_left_when_the_panel_stayed(study, panel, experts):
    asked = statements(study, 1)
    first, _items = rating_round(study, panel, number=2, statements=asked)
    answer(first, {expert: [4] for expert in experts})
    close(first)
    second, _items = rating_round(study, panel, number=3, statements=asked, previous_round=first)
    answer(second, {expert: [5] for expert in experts})
    close(second)

    check = results_of(second).attrition

    assert check.applicable and check.left_codes == ()
    with translation.override("en"):
        assert "nobody left" in check.sentence


def test_attrition_check_needs_a_previous_rating_round(study, panel, experts):
    round_one = RoundFactory(study=study, panel=panel, number=1, status=Round.Status.CLOSED)
    second, _items = rating_round(
        study,
        panel,
        number=2,
        statements=statements(study, 1),
        previous_round=round_one,
    )
    answer(second, {experts[0]: [4]})
    close(second)

    check = results_of(second).attrition

    assert not check.applicable


# ------------------------------------------------------------------ stopping rule


def stable(changed, pairs=18):
    return ItemStability(pairs, changed, changed / pairs, None)


@pytest.fixture
def rule() -> Study:
    return Study(
        stopping_consensus_share=Decimal("80"),
        stopping_requires_stability=True,
        stability_max_change=Decimal("15"),
    )


def verdict(rule, items, with_consensus, stability):
    with translation.override("en"):
        return selectors.stopping_verdict(
            study=rule, items=items, with_consensus=with_consensus, stability=stability
        )


def test_verdict_stops_when_enough_consensus_and_answers_are_stable(rule):
    # 23 of 25 = 92 %; at most 2 of 18 (11 %) changed in any statement.
    found = verdict(rule, 25, 23, [stable(2)] * 25)

    assert found.stop
    assert found.sentence == "Stop: 92 % of statements reached consensus and answers are stable."


def test_verdict_advises_another_round_when_too_few_statements_agree(rule):
    # 11 of 18 = 61.1 %: shown half-up, below the 80 % asked.
    found = verdict(rule, 18, 11, [stable(0)] * 18)

    assert not found.stop
    assert found.sentence.startswith(
        "Another round is advised because only 61 % of statements reached consensus"
    )
    assert "80 %" in found.sentence


def test_a_share_just_below_the_rule_does_not_stop(rule):
    # 79.6 %: a whole percentage half-up would print 80 % and seem to meet the rule, so the
    # sentence gives two decimals.
    found = verdict(rule, 250, 199, [stable(0)] * 250)

    assert not found.stop
    assert "only 79.60 %" in found.sentence


def test_verdict_advises_another_round_while_answers_still_move(rule):
    # 3 of 18 = 16.7 % changed in one statement, more than the 15 % allowed.
    found = verdict(rule, 10, 10, [stable(3)] + [stable(1)] * 9)

    assert not found.stop
    assert "not yet stable: in 1 statement more than 15 %" in found.sentence


def test_exactly_the_allowed_share_of_changes_counts_as_stable(rule):
    # 3 of 20 = 15 % exactly.
    found = verdict(rule, 10, 10, [stable(3, pairs=20)] * 10)

    assert found.stop


def test_stability_cannot_be_judged_without_a_previous_rating_round(rule):
    found = verdict(rule, 10, 9, [None] * 10)

    assert not found.stop
    assert "stability cannot be judged yet" in found.sentence


def test_a_rule_without_stability_stops_on_consensus_alone(rule):
    rule.stopping_requires_stability = False

    found = verdict(rule, 10, 8, [None] * 10)

    assert found.stop
    assert found.sentence == (
        "Stop: 80 % of statements reached consensus (the study's rule asks for 80 %)."
    )


def test_the_rule_itself_is_spelled_out(rule):
    found = verdict(rule, 10, 8, [None] * 10)

    assert "at least 80 %" in found.rule
    assert "at most 15 %" in found.rule


# ------------------------------------------------------------------ rows


def test_rows_are_grouped_by_domain_in_the_studys_order(study, panel, experts):
    later = DomainFactory(study=study, order=2, title="B")
    earlier = DomainFactory(study=study, order=1, title="A")
    asked = [
        StatementFactory(study=study, domain=later),
        StatementFactory(study=study, domain=None),
        StatementFactory(study=study, domain=earlier),
    ]
    delphi_round, _items = rating_round(study, panel, number=2, statements=asked)
    answer(delphi_round, {experts[0]: [4, 4, 4]})
    close(delphi_round)

    groups = selectors.rows_by_domain(results_of(delphi_round).rows)

    assert [group.domain for group in groups] == [earlier, later, None]
    assert [group.rows[0].number for group in groups] == ["S03", "S01", "S02"]


def test_filters_pick_statements_without_consensus_of_one_band(two_rounds):
    first, _second = two_rounds
    rows = results_of(first).rows
    # Round 2: statement 1 answers 2, 3, 4, 5 -> IQR 2.00, no consensus, median 3.50 (high);
    # statement 2 answers 4, 5, 5, 5 -> consensus, median 4.5 + (2 - 1)/3 = 4.83 (highest).

    assert [r.number for r in selectors.filter_rows(rows, consensus="no")] == ["S01"]
    assert [r.number for r in selectors.filter_rows(rows, consensus="yes")] == ["S02"]
    assert [r.number for r in selectors.filter_rows(rows, band="highest")] == ["S02"]
    assert selectors.filter_rows(rows, consensus="no", band="highest") == []


def test_band_labels_follow_the_studys_language(two_rounds, study):
    first, _second = two_rounds

    labels = [row.band_label for row in results_of(first).rows]

    assert labels == ["มาก", "มากที่สุด"]


def test_results_cost_a_fixed_number_of_queries(two_rounds, django_assert_num_queries):
    _first, second = two_rounds
    second = Round.objects.select_related("study", "previous_round").get(pk=second.pk)

    # Frozen results, previous results, ratings of both rounds, submitted experts, invited.
    with django_assert_num_queries(5):
        selectors.round_results(delphi_round=second)
