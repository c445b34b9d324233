"""The researcher's pages for the next round: the builder, the expert's-eye preview, reopening."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from panels.models import AuditEvent, StudyMember
from rounds.building.services import round_build_from_round
from rounds.models import Invitation, Rating, Round, Statement, Submission
from tests.panels.factories import PanelFactory, StudyMemberFactory
from tests.rounds.factories import (
    OpenQuestionFactory,
    RoundItemFactory,
    closed_rating_round,
    expert_comment,
    open_round,
    rating_round,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel(study):
    return PanelFactory(study=study)


@pytest.fixture
def source(study, panel):
    """Round 2, closed: statements 1 and 3 reached consensus, 2 and 4 did not."""
    return closed_rating_round(study, panel, consensus=[True, False, True, False], number=2)


@pytest.fixture
def draft(study, panel):
    delphi_round, _none = rating_round(
        study, panel, statements=0, number=3, status=Round.Status.DRAFT
    )
    return delphi_round


def _url(name: str, delphi_round: Round) -> str:
    return reverse(name, kwargs={"study_pk": delphi_round.study_id, "round_pk": delphi_round.pk})


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.IGNORECASE)
        and "django_session" not in q["sql"]
    ]


# --------------------------------------------------------------------------- permissions


def test_a_viewer_may_preview_but_not_build(client, bob, study, source, draft):
    StudyMemberFactory(study=study, user=bob, role=StudyMember.Role.VIEWER)
    client.force_login(bob)

    assert client.get(_url("rounds:preview", draft)).status_code == 200
    assert client.get(_url("rounds:build", draft)).status_code == 403
    assert client.post(_url("rounds:build", draft), {"source": "statements"}).status_code == 403
    assert not draft.items.exists()


@pytest.mark.parametrize("name", ["rounds:build", "rounds:preview", "rounds:round_reopen"])
def test_another_researcher_gets_404(bob_client, draft, name):
    assert bob_client.get(_url(name, draft)).status_code == 404


# --------------------------------------------------------------------------- the builder


def test_build_page_offers_each_closed_round_with_its_unsettled_count(alice_client, source, draft):
    response = _english(alice_client).get(_url("rounds:build", draft))

    page = response.content.decode()
    assert response.status_code == 200
    source_round, _items = source
    assert f'value="{source_round.pk}:without"' in page
    assert "only the 2 statements without consensus" in page
    assert "all 4 statements" in page


def test_researcher_fills_the_round_with_the_statements_without_consensus(
    alice_client, source, draft
):
    source_round, items = source

    response = alice_client.post(
        _url("rounds:build", draft),
        {"action": "build", "source": f"{source_round.pk}:without", "show_median": "on"},
    )

    assert response.status_code == 302
    assert list(draft.items.order_by("order").values_list("statement_id", flat=True)) == [
        items[1].statement_id,
        items[3].statement_id,
    ]
    draft.refresh_from_db()
    assert draft.previous_round == source_round
    # Unticked boxes are settings too: the experts will see the median only.
    assert (draft.show_median, draft.show_iqr, draft.show_distribution) == (True, False, False)


def test_saving_only_the_feedback_keeps_the_statements(alice_client, source, draft):
    source_round, _items = source
    round_build_from_round(
        delphi_round=draft, source_round=source_round, only_without_consensus=True, actor=None
    )

    response = alice_client.post(
        _url("rounds:build", draft), {"action": "feedback", "show_iqr": "on"}
    )

    assert response.status_code == 302
    assert draft.items.count() == 2
    draft.refresh_from_db()
    assert (draft.show_median, draft.show_iqr) == (False, True)


def test_filling_without_a_source_explains_and_changes_nothing(alice_client, draft):
    response = alice_client.post(_url("rounds:build", draft), {"action": "build"})

    assert response.status_code == 200
    assert response.context["form"].has_error("source", code="source")
    assert not draft.items.exists()


def test_a_refused_source_is_shown_as_a_form_error(alice_client, study, source, draft):
    source_round, _items = source
    Round.objects.filter(pk=source_round.pk).update(status=Round.Status.OPEN)

    response = alice_client.post(
        _url("rounds:build", draft), {"action": "build", "source": f"{source_round.pk}:all"}
    )

    # An open round is no longer offered, so the choice itself is refused.
    assert response.status_code == 200
    assert response.context["form"].has_error("source")
    assert not draft.items.exists()


def test_when_every_statement_reached_consensus_the_page_says_so(alice_client, study, panel):
    source_round, _items = closed_rating_round(study, panel, consensus=[True, True], number=2)
    delphi_round, _none = rating_round(
        study, panel, statements=0, number=3, status=Round.Status.DRAFT
    )

    response = alice_client.post(
        _url("rounds:build", delphi_round),
        {"action": "build", "source": f"{source_round.pk}:without"},
    )

    assert response.status_code == 200
    assert response.context["form"].has_error("__all__", code="all_consensus")
    assert not delphi_round.items.exists()


def test_moving_a_statement_with_htmx_returns_the_list(alice_client, study, source, draft):
    source_round, items = source
    round_build_from_round(
        delphi_round=draft, source_round=source_round, only_without_consensus=False, actor=None
    )
    second = draft.items.get(statement_id=items[1].statement_id)

    response = alice_client.post(
        _url("rounds:build_item", draft),
        {"item": second.pk, "action": "up"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div class="card" id="items">')
    assert html.index(items[1].statement.text) < html.index(items[0].statement.text)


def test_removing_a_statement_without_javascript_redirects_to_the_list(alice_client, source, draft):
    source_round, items = source
    round_build_from_round(
        delphi_round=draft, source_round=source_round, only_without_consensus=False, actor=None
    )
    item = draft.items.get(statement_id=items[0].statement_id)

    response = alice_client.post(
        _url("rounds:build_item", draft), {"item": item.pk, "action": "remove"}
    )

    assert response.status_code == 302
    assert response.url.endswith(_url("rounds:build", draft) + "#items")
    assert not draft.items.filter(pk=item.pk).exists()


def test_leaving_a_statement_out_says_what_it_does(alice_client, source, draft):
    # The button said "Remove", but the statement stays active for the next round.
    source_round, items = source
    round_build_from_round(
        delphi_round=draft, source_round=source_round, only_without_consensus=False, actor=None
    )
    item = draft.items.get(statement_id=items[0].statement_id)

    response = _english(alice_client).post(
        _url("rounds:build_item", draft),
        {"item": item.pk, "action": "remove"},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert ">Remove<" not in html
    assert "Leave out of this round" in html
    assert "stays active" in html
    assert item.statement.status == Statement.Status.ACTIVE
    assert not draft.items.filter(pk=item.pk).exists()


def test_statements_of_an_open_round_cannot_be_removed_even_by_a_forged_post(
    alice_client, study, panel
):
    delphi_round, _none = rating_round(study, panel, statements=0, number=2)
    item = RoundItemFactory(delphi_round=delphi_round)
    alice_client.cookies["django_language"] = "en"

    response = alice_client.post(
        _url("rounds:build_item", delphi_round),
        {"item": item.pk, "action": "remove"},
        headers={"HX-Request": "true"},
    )

    assert "draft" in response.content.decode()
    assert delphi_round.items.filter(pk=item.pk).exists()


def test_the_builder_of_an_open_round_leads_to_its_preview(alice_client, study, panel):
    delphi_round, _none = rating_round(study, panel, statements=0, number=2)

    response = alice_client.get(_url("rounds:build", delphi_round))

    assert response.status_code == 302
    assert response.url == _url("rounds:preview", delphi_round)


def test_a_comment_becomes_a_new_statement(alice_client, source, draft):
    source_round, items = source
    round_build_from_round(
        delphi_round=draft, source_round=source_round, only_without_consensus=True, actor=None
    )
    comment = expert_comment(items[1], "ควรมีการประเมินผลเครือข่ายทุกปี", code="E09")

    page = alice_client.get(_url("rounds:build", draft)).content.decode()
    assert "ควรมีการประเมินผลเครือข่ายทุกปี" in page
    assert "E09" in page
    prefilled = alice_client.get(_url("rounds:build", draft) + f"?comment={comment.pk}")
    assert prefilled.context["add_form"].initial["text"] == "ควรมีการประเมินผลเครือข่ายทุกปี"

    response = alice_client.post(
        _url("rounds:build_add", draft),
        {
            "text": "มีการประเมินผลเครือข่ายทุกปี",
            "domain": items[1].statement.domain_id,
            "comment": comment.pk,
        },
    )

    assert response.status_code == 302
    added = Statement.objects.get(text="มีการประเมินผลเครือข่ายทุกปี")
    assert added.origin == Statement.Origin.COMMENT
    assert draft.items.filter(statement=added).exists()


def test_an_empty_new_statement_is_refused_with_a_message(alice_client, draft):
    response = alice_client.post(_url("rounds:build_add", draft), {"text": ""})

    assert response.status_code == 200
    assert response.context["add_form"].has_error("text")
    assert not Statement.objects.exists()


def test_a_new_statement_needs_its_domain_in_a_study_with_domains(alice_client, source, draft):
    source_round, _items = source
    round_build_from_round(
        delphi_round=draft, source_round=source_round, only_without_consensus=False, actor=None
    )

    response = alice_client.post(_url("rounds:build_add", draft), {"text": "ข้อความใหม่"})

    assert response.status_code == 200
    assert response.context["add_form"].has_error("domain", "required")
    assert not Statement.objects.filter(text="ข้อความใหม่").exists()


def _build_page_queries(client, delphi_round, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(11) as captured:
        response = client.get(_url("rounds:build", delphi_round))
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_build_page_queries_do_not_grow_with_the_statements(
    alice_client, study, panel, django_assert_max_num_queries
):
    counts = []
    for number, statements in ((3, 10), (5, 40)):
        source, items = closed_rating_round(
            study, panel, consensus=[n % 2 == 0 for n in range(statements)], number=number - 1
        )
        for item in items[:3]:
            expert_comment(item, "ความเห็น")
        delphi_round, _none = rating_round(
            study, panel, statements=0, number=number, status=Round.Status.DRAFT
        )
        round_build_from_round(
            delphi_round=delphi_round,
            source_round=source,
            only_without_consensus=False,
            actor=None,
        )
        # session, user, study with role, round (+panel, previous round), sources with counts,
        # active statements, items (+statements, domains), previous results, domains of the
        # add form and whether it must ask for one, comments (+statements, domains, experts)
        counts.append(
            _build_page_queries(alice_client, delphi_round, django_assert_max_num_queries)
        )

    assert counts[0] == counts[1]


# --------------------------------------------------------------------------- the preview


def test_preview_shows_the_questionnaire_with_the_previous_rounds_frozen_results(
    alice_client, source, draft
):
    source_round, items = source
    round_build_from_round(
        delphi_round=draft, source_round=source_round, only_without_consensus=True, actor=None
    )

    response = _english(alice_client).get(_url("rounds:preview", draft))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Preview — answers are not saved" in page
    assert items[1].statement.text in page and items[3].statement.text in page
    assert items[0].statement.text not in page
    assert page.count('class="feedback-median">3.00<') == 2  # the frozen medians
    assert "own-previous" not in page
    assert re.search(r"<fieldset disabled[^>]*hx-disable", page)


def test_preview_writes_nothing(
    alice_client, study, panel, source, draft, django_assert_max_num_queries
):
    source_round, _items = source
    round_build_from_round(
        delphi_round=draft, source_round=source_round, only_without_consensus=False, actor=None
    )
    draft.status = Round.Status.OPEN
    draft.save()
    before = (
        Submission.objects.count(),
        Rating.objects.count(),
        Invitation.objects.count(),
        AuditEvent.objects.count(),
    )

    with django_assert_max_num_queries(20) as captured:
        alice_client.get(_url("rounds:preview", draft))

    assert _writes(captured.captured_queries) == []
    after = (
        Submission.objects.count(),
        Rating.objects.count(),
        Invitation.objects.count(),
        AuditEvent.objects.count(),
    )
    assert after == before


def test_preview_answers_no_post(alice_client, draft):
    assert alice_client.post(_url("rounds:preview", draft)).status_code == 405


def test_preview_of_an_open_question_round_shows_its_questions(alice_client, study, panel):
    delphi_round = open_round(study, panel, status=Round.Status.DRAFT)
    OpenQuestionFactory(delphi_round=delphi_round, text="ปัจจัยใดทำให้เครือข่ายสำเร็จ?")

    page = alice_client.get(_url("rounds:preview", delphi_round)).content.decode()

    assert "ปัจจัยใดทำให้เครือข่ายสำเร็จ?" in page
    assert 'name="answer_' in page


def test_preview_queries_do_not_grow_with_the_statements(
    alice_client, study, panel, django_assert_max_num_queries
):
    counts = []
    for number, statements in ((3, 10), (5, 40)):
        source, _items = closed_rating_round(
            study, panel, consensus=[False] * statements, number=number - 1
        )
        delphi_round, _none = rating_round(
            study, panel, statements=0, number=number, status=Round.Status.DRAFT
        )
        round_build_from_round(
            delphi_round=delphi_round,
            source_round=source,
            only_without_consensus=False,
            actor=None,
        )
        # session, user, study with role, round (+panel, previous round),
        # items (+statements, domains, previous Q1/Q3), previous results
        with django_assert_max_num_queries(6) as captured:
            response = alice_client.get(_url("rounds:preview", delphi_round))
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))

    assert counts[0] == counts[1]


# --------------------------------------------------------------------------- reopening


def test_round_page_of_a_closed_round_offers_to_reopen_it(alice_client, source):
    source_round, _items = source

    page = alice_client.get(source_round.get_absolute_url()).content.decode()

    assert _url("rounds:round_reopen", source_round) in page


def test_reopening_without_a_reason_is_refused(alice_client, source):
    source_round, _items = source

    response = alice_client.post(_url("rounds:round_reopen", source_round), {"reason": " "})

    assert response.status_code == 200
    assert response.context["form"].has_error("reason")
    source_round.refresh_from_db()
    assert source_round.status == Round.Status.CLOSED


def test_researcher_reopens_a_round_with_a_reason(alice_client, source):
    source_round, _items = source

    response = alice_client.post(
        _url("rounds:round_reopen", source_round), {"reason": "ผู้เชี่ยวชาญ 2 ท่านส่งคำตอบทางไปรษณีย์"}
    )

    assert response.status_code == 302
    source_round.refresh_from_db()
    assert source_round.status == Round.Status.OPEN
    event = AuditEvent.objects.get(action="round.reopen")
    assert event.detail["reason"] == "ผู้เชี่ยวชาญ 2 ท่านส่งคำตอบทางไปรษณีย์"


def test_a_viewer_cannot_reopen(client, bob, study, source):
    source_round, _items = source
    StudyMemberFactory(study=study, user=bob, role=StudyMember.Role.VIEWER)
    client.force_login(bob)

    response = client.post(_url("rounds:round_reopen", source_round), {"reason": "ทดสอบ"})

    assert response.status_code == 403
    source_round.refresh_from_db()
    assert source_round.status == Round.Status.CLOSED


# Round 2 comes right after the open round: no group result to show yet ----------------------


def test_round_two_offers_no_feedback_that_needs_a_previous_rating_round(
    alice_client, study, panel
):
    round_two, _none = rating_round(study, panel, statements=2, number=2, status=Round.Status.DRAFT)

    response = _english(alice_client).get(_url("rounds:build", round_two))

    html = response.content.decode()
    for name in ("show_median", "show_iqr", "show_distribution", "show_own_previous"):
        assert f'name="{name}"' not in html
    assert 'name="require_reason_outside_iqr"' not in html
    assert 'name="allow_cannot_judge"' in html
    assert 'id="no-previous-feedback"' in html


def test_round_two_saves_its_answer_settings_without_the_hidden_feedback(
    alice_client, study, panel
):
    round_two, _none = rating_round(study, panel, statements=2, number=2, status=Round.Status.DRAFT)

    response = alice_client.post(
        _url("rounds:build", round_two), {"action": "feedback", "allow_cannot_judge": "on"}
    )

    assert response.status_code == 302
    round_two.refresh_from_db()
    assert round_two.allow_cannot_judge


def test_a_round_after_a_closed_rating_round_offers_the_feedback(alice_client, source, draft):
    html = alice_client.get(_url("rounds:build", draft)).content.decode()

    assert 'name="show_median"' in html
    assert 'name="require_reason_outside_iqr"' in html
