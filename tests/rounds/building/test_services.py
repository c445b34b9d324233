"""Building the next rating round: from the study's statements, from a closed round (all, or
only what lacks consensus in its frozen results), and editing the list while it is a draft."""

import pytest
from django.core.exceptions import ValidationError

from panels.models import AuditEvent
from rounds.building.items import (
    round_feedback_set,
    round_item_add,
    round_item_move,
    round_item_remove,
)
from rounds.building.selectors import (
    build_sources,
    comments_of_previous_round,
    round_items_for_building,
)
from rounds.building.services import round_build_from_round, round_build_from_statements
from rounds.models import ItemResult, Round, Statement
from tests.panels.factories import PanelFactory, StudyFactory
from tests.rounds.factories import (
    DomainFactory,
    StatementFactory,
    active_statements,
    closed_rating_round,
    expert_comment,
    open_round,
    rating_round,
)

pytestmark = pytest.mark.django_db


def _codes(error: pytest.ExceptionInfo) -> list[str]:
    return [e.code for e in error.value.error_list]


def _texts(delphi_round) -> list[str]:
    return [item.statement.text for item in round_items_for_building(delphi_round)]


@pytest.fixture
def panel(study):
    return PanelFactory(study=study)


@pytest.fixture
def draft(study, panel):
    delphi_round, _none = rating_round(
        study, panel, statements=0, number=3, status=Round.Status.DRAFT
    )
    return delphi_round


# --------------------------------------------------------------------------- from statements


def test_round_is_filled_with_the_active_statements_domain_by_domain(study, draft, alice):
    second, first = DomainFactory(study=study, order=2), DomainFactory(study=study, order=1)
    StatementFactory(study=study, domain=second, order=1, text="ข. ข้อแรกของด้านที่สอง")
    StatementFactory(study=study, domain=first, order=2, text="ก. ข้อที่สองของด้านแรก")
    StatementFactory(study=study, domain=first, order=1, text="ก. ข้อแรกของด้านแรก")
    StatementFactory(study=study, domain=None, order=0, text="ไม่มีด้าน")
    StatementFactory(study=study, domain=first, status=Statement.Status.OUT_OF_SCOPE)
    StatementFactory(study=study, domain=first, status=Statement.Status.MERGED)

    count = round_build_from_statements(delphi_round=draft, actor=alice)

    assert count == 4
    assert _texts(draft) == [
        "ก. ข้อแรกของด้านแรก",
        "ก. ข้อที่สองของด้านแรก",
        "ข. ข้อแรกของด้านที่สอง",
        "ไม่มีด้าน",
    ]
    assert list(draft.items.order_by("order").values_list("order", flat=True)) == [1, 2, 3, 4]
    event = AuditEvent.objects.get(action="round.build")
    assert (event.detail["source"], event.detail["items"]) == ("statements", 4)


def test_filling_again_replaces_the_rounds_statements(study, draft, alice):
    old = active_statements(study, 2)
    round_build_from_statements(delphi_round=draft, statements=old[:1], actor=alice)

    round_build_from_statements(delphi_round=draft, statements=old[1:], actor=alice)

    assert list(draft.items.values_list("statement_id", flat=True)) == [old[1].pk]


def test_statements_of_another_study_are_refused(draft, alice):
    foreign = StatementFactory(study=StudyFactory())

    with pytest.raises(ValidationError) as error:
        round_build_from_statements(delphi_round=draft, statements=[foreign], actor=alice)

    assert _codes(error) == ["foreign_statement"]
    assert not draft.items.exists()


def test_a_study_without_active_statements_cannot_fill_a_round(study, draft, alice):
    StatementFactory(study=study, status=Statement.Status.OUT_OF_SCOPE)

    with pytest.raises(ValidationError) as error:
        round_build_from_statements(delphi_round=draft, actor=alice)

    assert _codes(error) == ["no_statements"]


def test_an_open_question_round_takes_no_statements(study, panel, alice):
    delphi_round = open_round(study, panel, status=Round.Status.DRAFT)
    active_statements(study, 1)

    with pytest.raises(ValidationError) as error:
        round_build_from_statements(delphi_round=delphi_round, actor=alice)

    assert _codes(error) == ["not_rated"]


# --------------------------------------------------------------------------- from a closed round


def test_only_statements_without_consensus_are_carried_over(study, panel, draft, alice):
    source, items = closed_rating_round(
        study, panel, consensus=[True, False, True, False, False], number=2
    )
    # The frozen flag decides, never a recomputation: this result's IQR would pass the
    # threshold, but the committee saw "no consensus".
    ItemResult.objects.filter(item=items[4]).update(iqr="1.00", consensus=False)

    count = round_build_from_round(
        delphi_round=draft, source_round=source, only_without_consensus=True, actor=alice
    )

    assert count == 3
    assert list(draft.items.order_by("order").values_list("statement_id", flat=True)) == [
        items[1].statement_id,
        items[3].statement_id,
        items[4].statement_id,
    ]
    draft.refresh_from_db()
    assert draft.previous_round == source
    event = AuditEvent.objects.get(action="round.build")
    assert event.detail["only_without_consensus"] is True
    assert event.detail["source_number"] == 2


def test_all_statements_of_a_round_can_be_carried_over_with_feedback_settings(
    study, panel, draft, alice
):
    source, _items = closed_rating_round(study, panel, consensus=[True, False], number=2)

    round_build_from_round(
        delphi_round=draft,
        source_round=source,
        only_without_consensus=False,
        actor=alice,
        feedback={"show_distribution": False, "require_reason_outside_iqr": True},
    )

    assert draft.items.count() == 2
    draft.refresh_from_db()
    assert (draft.show_distribution, draft.require_reason_outside_iqr) == (False, True)
    assert draft.show_median is True


def test_statements_set_aside_since_are_not_carried_over(study, panel, draft, alice):
    source, items = closed_rating_round(study, panel, consensus=[False, False], number=2)
    Statement.objects.filter(pk=items[0].statement_id).update(status=Statement.Status.MERGED)

    round_build_from_round(
        delphi_round=draft, source_round=source, only_without_consensus=True, actor=alice
    )

    assert list(draft.items.values_list("statement_id", flat=True)) == [items[1].statement_id]


def test_when_everything_reached_consensus_the_round_keeps_its_statements(
    study, panel, draft, alice
):
    source, _items = closed_rating_round(study, panel, consensus=[True, True], number=2)
    kept = active_statements(study, 1)
    round_build_from_statements(delphi_round=draft, statements=kept, actor=alice)

    with pytest.raises(ValidationError) as error:
        round_build_from_round(
            delphi_round=draft, source_round=source, only_without_consensus=True, actor=alice
        )

    assert _codes(error) == ["all_consensus"]
    assert list(draft.items.values_list("statement_id", flat=True)) == [kept[0].pk]
    draft.refresh_from_db()
    assert draft.previous_round is None


@pytest.mark.parametrize(
    ("source_fields", "code"),
    [
        ({"status": Round.Status.OPEN}, "source_not_closed"),
        ({"kind": Round.Kind.OPEN}, "source_not_rated"),
        ({"number": 4}, "source_not_before"),
    ],
)
def test_a_round_is_built_only_from_an_earlier_closed_rating_round(
    study, panel, draft, alice, source_fields, code
):
    source, _items = closed_rating_round(study, panel, consensus=[False], number=2)
    Round.objects.filter(pk=source.pk).update(**source_fields)

    with pytest.raises(ValidationError) as error:
        round_build_from_round(
            delphi_round=draft, source_round=source, only_without_consensus=False, actor=alice
        )

    assert _codes(error) == [code]


def test_a_round_of_another_study_is_no_source(draft, alice):
    other = StudyFactory()
    source, _items = closed_rating_round(other, consensus=[False], number=1)

    with pytest.raises(ValidationError) as error:
        round_build_from_round(
            delphi_round=draft, source_round=source, only_without_consensus=False, actor=alice
        )

    assert _codes(error) == ["source_missing"]


def test_sources_count_the_statements_without_consensus(study, panel, draft):
    closed_rating_round(study, panel, consensus=[True, False, False], number=2)
    closed_rating_round(study, panel, consensus=[True], number=1)
    rating_round(study, panel, statements=0, number=4, status=Round.Status.CLOSED)  # after this one

    sources = build_sources(draft)

    assert [(s.delphi_round.number, s.items, s.without_consensus) for s in sources] == [
        (2, 3, 2),
        (1, 1, 0),
    ]


# --------------------------------------------------------------------------- editing the list


def test_researcher_adds_a_statement_at_the_end_of_its_domain(study, draft, alice):
    domain = DomainFactory(study=study)
    active_statements(study, 2, domain=domain)
    round_build_from_statements(delphi_round=draft, actor=alice)

    item = round_item_add(
        delphi_round=draft, text="  ครูมีเวลาร่วมกิจกรรมเครือข่าย  ", domain=domain, actor=alice
    )

    assert item.statement.text == "ครูมีเวลาร่วมกิจกรรมเครือข่าย"
    assert item.statement.origin == Statement.Origin.RESEARCHER
    assert item.statement.status == Statement.Status.ACTIVE
    assert _texts(draft)[-1] == "ครูมีเวลาร่วมกิจกรรมเครือข่าย"


def test_a_statement_from_an_experts_comment_keeps_where_it_came_from(study, panel, draft, alice):
    source, items = closed_rating_round(study, panel, consensus=[False], number=2)
    comment = expert_comment(items[0], "ควรเพิ่มเรื่องงบประมาณ", code="E07")
    round_build_from_round(
        delphi_round=draft, source_round=source, only_without_consensus=False, actor=alice
    )

    item = round_item_add(
        delphi_round=draft,
        text="มีงบประมาณสนับสนุนเครือข่าย",
        domain=items[0].statement.domain,
        actor=alice,
        comment=comment,
    )

    assert item.statement.origin == Statement.Origin.COMMENT
    event = AuditEvent.objects.get(action="round.item_add")
    assert (event.detail["comment"], event.detail["expert"]) == (comment.pk, "E07")


@pytest.mark.parametrize(
    ("text", "foreign_domain", "code"),
    [("   ", False, "text_required"), ("ข้อใหม่", True, "foreign_domain")],
)
def test_an_added_statement_needs_text_and_a_domain_of_the_study(
    draft, alice, text, foreign_domain, code
):
    domain = DomainFactory(study=StudyFactory()) if foreign_domain else None

    with pytest.raises(ValidationError) as error:
        round_item_add(delphi_round=draft, text=text, domain=domain, actor=alice)

    assert _codes(error) == [code]
    assert not Statement.objects.exists()


def test_a_comment_from_another_study_is_refused(draft, alice):
    _source, items = closed_rating_round(StudyFactory(), consensus=[False], number=1)
    comment = expert_comment(items[0], "ความเห็น")

    with pytest.raises(ValidationError) as error:
        round_item_add(delphi_round=draft, text="ข้อใหม่", domain=None, actor=alice, comment=comment)

    assert _codes(error) == ["foreign_comment"]


def test_removing_a_statement_keeps_it_in_the_study(study, draft, alice):
    statements = active_statements(study, 2)
    round_build_from_statements(delphi_round=draft, actor=alice)
    item = draft.items.get(statement=statements[0])

    round_item_remove(delphi_round=draft, item=item, actor=alice)

    assert list(draft.items.values_list("statement_id", flat=True)) == [statements[1].pk]
    assert Statement.objects.filter(pk=statements[0].pk, status="active").exists()


def test_an_item_of_another_round_cannot_be_removed_here(study, panel, draft, alice):
    _source, items = closed_rating_round(study, panel, consensus=[False], number=2)

    with pytest.raises(ValidationError) as error:
        round_item_remove(delphi_round=draft, item=items[0], actor=alice)

    assert _codes(error) == ["foreign_item"]


def test_statements_move_up_and_down_within_their_domain(study, draft, alice):
    first, second = DomainFactory(study=study, order=1), DomainFactory(study=study, order=2)
    a, b = active_statements(study, 2, domain=first)
    (c,) = active_statements(study, 1, domain=second)
    round_build_from_statements(delphi_round=draft, actor=alice)
    item_b = draft.items.get(statement=b)

    assert round_item_move(delphi_round=draft, item=item_b, direction="up", actor=alice)
    assert [i.statement_id for i in round_items_for_building(draft)] == [b.pk, a.pk, c.pk]
    # The first of its domain cannot go higher, and the last cannot cross into the next domain.
    assert not round_item_move(delphi_round=draft, item=item_b, direction="up", actor=alice)
    item_a = draft.items.get(statement=a)
    assert not round_item_move(delphi_round=draft, item=item_a, direction="down", actor=alice)
    assert [i.statement_id for i in round_items_for_building(draft)] == [b.pk, a.pk, c.pk]


def test_feedback_settings_change_and_are_audited(draft, alice):
    changed = round_feedback_set(delphi_round=draft, actor=alice, show_median=False, show_iqr=True)

    draft.refresh_from_db()
    assert changed == {"show_median": [True, False]}
    assert draft.show_median is False
    assert AuditEvent.objects.get(action="round.feedback").detail["changes"] == changed


def test_previous_round_comments_are_by_expert_code_and_from_submitted_answers(
    study, panel, draft, alice
):
    source, items = closed_rating_round(study, panel, consensus=[False], number=2)
    expert_comment(items[0], "ส่งแล้ว", code="E03")
    draft_comment = expert_comment(items[0], "ยังไม่ส่ง", code="E04")
    draft_comment.submission.status = "draft"
    draft_comment.submission.save()
    expert_comment(items[0], "", code="E05")
    round_build_from_round(
        delphi_round=draft, source_round=source, only_without_consensus=False, actor=alice
    )

    comments = list(comments_of_previous_round(draft))

    assert [(c.submission.expert.code, c.comment) for c in comments] == [("E03", "ส่งแล้ว")]
