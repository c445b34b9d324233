"""The results page of a round (analysis.views.round_results)."""

import pytest
from django.conf import settings
from django.urls import reverse

from panels.models import StudyMember
from rounds.models import Round
from tests.panels.factories import ExpertFactory, PanelFactory, StudyMemberFactory
from tests.rounds.factories import (
    DomainFactory,
    RoundFactory,
    StatementFactory,
    answer,
    close,
    rating_round,
)

pytestmark = pytest.mark.django_db


def url(delphi_round) -> str:
    return reverse("analysis:round_results", args=[delphi_round.study_id, delphi_round.pk])


@pytest.fixture
def english(alice_client):
    alice_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return alice_client


@pytest.fixture
def panel(study):
    return PanelFactory(study=study, code_prefix="E")


def build(study, panel, *, statements: int, experts: int):
    """Rounds 2 and 3 of `statements` statements answered by `experts` experts.

    In round 2 the first statement splits the panel (1s and 5s), the others gather on 4-5;
    in round 3 everybody answers 4 on the first statement, the rest as before.
    """
    domain = DomainFactory(study=study, title="ด้านกระบวนการ")
    asked = [
        StatementFactory(study=study, domain=domain, text=f"ข้อความที่ {n + 1}", order=n)
        for n in range(statements)
    ]
    people = [ExpertFactory(panel=panel, code=f"E{n + 1:03d}") for n in range(experts)]
    first, _items = rating_round(study, panel, number=2, statements=asked)
    answer(
        first,
        {
            expert: [1 if e % 2 else 5] + [4 + (e + s) % 2 for s in range(statements - 1)]
            for e, expert in enumerate(people)
        },
    )
    close(first)
    second, _items = rating_round(study, panel, number=3, statements=asked, previous_round=first)
    answer(
        second,
        {
            expert: [4] + [4 + (e + s) % 2 for s in range(statements - 1)]
            for e, expert in enumerate(people)
        },
    )
    close(second)
    return first, second


@pytest.fixture
def rounds(study, panel):
    return build(study, panel, statements=3, experts=4)


def test_results_show_each_statements_figures_and_consensus(english, rounds):
    first, _second = rounds

    response = english.get(url(first))

    page = response.content.decode()
    assert response.status_code == 200
    assert "ด้านกระบวนการ" in page
    assert "ข้อความที่ 1" in page
    # Statement 1 in round 2: answers 5, 1, 5, 1 -> Q1 p = 1 in class 1: 0.5 + 1/2 = 1.00,
    # Q3 p = 3 in class 5: 4.5 + 1/2 = 5.00: IQR 4.00, no consensus.
    row = response.context["results"].rows[0]
    assert (str(row.result.q1), str(row.result.q3), str(row.result.iqr)) == (
        "1.00",
        "5.00",
        "4.00",
    )
    assert "✗ No consensus" in page
    assert "✓ Consensus" in page


def test_band_is_named_in_the_studys_language(english, rounds):
    _first, second = rounds

    page = english.get(url(second)).content.decode()

    # The interface is in English, the study in Thai: bands print as the study names them.
    assert "มากที่สุด" in page


def test_round_three_shows_the_change_and_the_experts_who_changed(english, rounds):
    _first, second = rounds

    page = english.get(url(second)).content.decode()

    # Statement 1: every expert moved to 4 (4 of 4), from a split panel to consensus.
    assert "Change since round 2" in page
    assert "4 of 4 experts changed" in page
    assert "Reached consensus" in page


def test_summary_and_verdict_are_shown(english, rounds):
    _first, second = rounds

    response = english.get(url(second))

    page = response.content.decode()
    assert 'id="verdict"' in page
    assert "100 % of statements reached consensus" in page
    assert "Kendall" in page
    assert "4 of 4 invited experts answered" in page
    assert 'id="sensitivity"' in page
    assert 'id="attrition"' in page


def test_the_method_note_says_why_a_quartile_may_pass_the_scales_end(english, rounds):
    """Grouped data put Q3 at up to 5.50 on a 1-5 scale; a reader is told why, not left to doubt."""
    page = english.get(url(rounds[1])).content.decode()

    assert "Q1 and Q3 may lie up to half a point beyond the ends of the scale" in page


def test_filter_no_consensus_without_javascript(english, rounds):
    first, _second = rounds

    response = english.get(url(first), {"consensus": "no"})

    rows = [row for group in response.context["groups"] for row in group.rows]
    assert [row.number for row in rows] == ["S01"]
    assert "Showing 1 of 3 statements." in response.content.decode()


def test_filter_changed_keeps_statements_that_moved(english, rounds):
    _first, second = rounds

    response = english.get(url(second), {"changed": "1"})

    rows = [row for group in response.context["groups"] for row in group.rows]
    assert [row.number for row in rows] == ["S01"]


def test_filter_by_band(english, rounds):
    _first, second = rounds

    response = english.get(url(second), {"band": "high"})

    # Statement 1 in round 3: four 4s, median 3.5 + 2/4 = 4.00 (high); the others 4.5 or more.
    rows = [row for group in response.context["groups"] for row in group.rows]
    assert [row.number for row in rows] == ["S01"]


def test_htmx_filter_returns_only_the_table(english, rounds):
    first, _second = rounds

    response = english.get(url(first), {"consensus": "yes"}, HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="results-table">')
    assert "<html" not in page
    assert "Showing 2 of 3 statements." in page


def test_a_filter_matching_nothing_says_so(english, rounds):
    _first, second = rounds

    response = english.get(url(second), {"consensus": "no"})

    assert "No statement matches these filters." in response.content.decode()


def test_an_unknown_band_is_reported_and_the_other_filters_still_apply(english, rounds):
    first, _second = rounds

    response = english.get(url(first), {"band": "enormous", "consensus": "no"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Some filters could not be used" in page
    assert "Showing 1 of 3 statements." in page


def test_an_open_round_politely_says_results_come_after_closing(english, study, panel):
    delphi_round, _items = rating_round(
        study, panel, number=2, statements=[StatementFactory(study=study)]
    )

    response = english.get(url(delphi_round))

    assert response.status_code == 200
    assert "Results appear here once the round is closed" in response.content.decode()


def test_an_open_question_round_has_no_results_page(english, study, panel):
    delphi_round = RoundFactory(study=study, panel=panel, status=Round.Status.CLOSED)

    response = english.get(url(delphi_round))

    assert response.status_code == 200
    assert "open-question round has no ratings" in response.content.decode()


def test_a_viewer_may_read_the_results(rounds, bob, bob_client):
    first, _second = rounds
    StudyMemberFactory(study=first.study, user=bob, role=StudyMember.Role.VIEWER)

    response = bob_client.get(url(first))

    assert response.status_code == 200
    assert response.context["results"].items == 3


def test_a_stranger_gets_404(rounds, bob_client):
    first, _second = rounds

    response = bob_client.get(url(first))

    assert response.status_code == 404


def test_a_post_is_refused(rounds, alice_client):
    first, _second = rounds

    response = alice_client.post(url(first))

    assert response.status_code == 405


def test_round_page_links_to_the_results_once_closed(english, rounds, study, panel):
    first, _second = rounds
    still_open, _items = rating_round(
        study, panel, number=4, statements=[StatementFactory(study=study)]
    )

    closed_page = english.get(first.get_absolute_url()).content.decode()
    open_page = english.get(still_open.get_absolute_url()).content.decode()

    assert url(first) in closed_page
    assert url(still_open) not in open_page


@pytest.mark.parametrize(("statements", "experts"), [(10, 6), (100, 40)])
def test_the_page_costs_the_same_queries_whatever_its_size(
    alice_client, study, panel, statements, experts, django_assert_num_queries
):
    _first, second = build(study, panel, statements=statements, experts=experts)

    # Session, user, study (access check), round with its previous round, frozen results,
    # previous results, ratings of both rounds, submitted experts, invitation count; the next
    # steps: whether a statement is unsettled, and the drafts of a next and a confirmation round.
    with django_assert_num_queries(12):
        response = alice_client.get(url(second))

    assert response.status_code == 200
    assert response.context["results"].items == statements


def test_a_statement_nobody_rated_shows_dashes_instead_of_figures(english, study, panel):
    asked = [StatementFactory(study=study, text="ตอบ"), StatementFactory(study=study, text="ว่าง")]
    delphi_round, _items = rating_round(study, panel, number=2, statements=asked)
    answer(delphi_round, {ExpertFactory(panel=panel): [4, None]})
    close(delphi_round)

    response = english.get(url(delphi_round))

    empty = response.context["results"].rows[1]
    assert response.status_code == 200
    assert (empty.result.n, empty.result.median, empty.percent_agreement) == (0, None, None)
    assert "✗ No consensus" in response.content.decode()
