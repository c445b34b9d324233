"""Content-analysis reads: progress, search, statement numbers and source badges."""

from unittest import mock

import pytest

from rounds.building.items import round_item_add
from rounds.coding.merging import statement_split, statements_merge
from rounds.coding.scope import answer_mark_out_of_scope, statement_mark_out_of_scope
from rounds.coding.selectors import coding_progress, coding_workspace, statement_board
from rounds.coding.statements import statement_create_from_answers, statements_reorder
from rounds.models import OpenAnswer, Round, Statement, StatementSource, Submission
from tests.rounds.factories import (
    DomainFactory,
    RoundFactory,
    StatementFactory,
    answered_round,
    statement_from,
)

pytestmark = pytest.mark.django_db


def test_progress_counts_only_submitted_non_empty_answers(alice, answered):
    OpenAnswer.objects.filter(pk=answered.answers[0].pk).update(text="   ")
    Submission.objects.filter(pk=answered.submissions[1].pk).update(status=Submission.Status.DRAFT)
    statement_from(answered.answers_of("E03")[:1])
    answer_mark_out_of_scope(answer=answered.answers_of("E03")[1], reason="ไม่เกี่ยว", actor=alice)

    progress = coding_progress(answered.delphi_round)

    # 6 answers: E02's two were never submitted and one of E01's is empty.
    assert (progress.coded, progress.total) == (2, 3)


def test_search_finds_answers_by_text_or_expert_code(answered):
    by_text = coding_workspace(delphi_round=answered.delphi_round, query="ข้อ 2")
    by_code = coding_workspace(delphi_round=answered.delphi_round, query="e02")

    def codes_and_texts(workspace):
        return [
            (view.code, view.answer.text)
            for group in workspace.answer_groups
            for question in group.questions
            for view in question.answers
        ]

    assert {code for code, _text in codes_and_texts(by_text)} == {"E01", "E02", "E03"}
    assert all(text.endswith("ข้อ 2") for _code, text in codes_and_texts(by_text))
    assert {code for code, _text in codes_and_texts(by_code)} == {"E02"}
    assert by_code.shown_answers == 2


def test_statement_numbers_do_not_change_when_statements_are_reordered(study, alice):
    domain = DomainFactory(study=study)
    first, second = (StatementFactory(study=study, domain=domain) for _ in range(2))

    statements_reorder(study=study, domain=domain, ordered_ids=[second.pk, first.pk], actor=alice)

    board = statement_board(study)
    assert (board.by_pk[first.pk].number, board.by_pk[second.pk].number) == (1, 2)
    assert [view.pk for view in board.active] == [second.pk, first.pk]


def test_a_second_answer_to_the_same_question_gets_its_own_badge(answered):
    first = answered.answers_of("E01")[0]
    second = OpenAnswer.objects.create(
        submission=first.submission, question=first.question, position=2, text="อีกข้อ"
    )
    statement = statement_from([first, second])

    board = statement_board(statement.study)

    assert [source.label for source in board.by_pk[statement.pk].sources] == ["E01·1", "E01·1b"]


def test_a_statement_keeps_its_code_through_merge_split_set_aside_and_additions(study, alice):
    answered = answered_round(study, experts=2, questions=1)
    first_answer, second_answer = answered.answers
    one, two, three = (
        statement_create_from_answers(
            study=study, answers=[first_answer], text=f"ข้อ {n}", domain=None, actor=alice
        )
        for n in (1, 2, 3)
    )
    statements_merge(target=one, others=[two], actor=alice)
    statement_mark_out_of_scope(statement=three, reason="Outside the study", actor=alice)
    whole = statement_create_from_answers(
        study=study, answers=answered.answers, text="รวม", domain=None, actor=alice
    )
    _kept, part = statement_split(
        statement=whole,
        parts=[("ส่วนแรก", None, [first_answer]), ("ส่วนที่สอง", None, [second_answer])],
        actor=alice,
    )
    delphi_round = RoundFactory(study=study, number=2, kind=Round.Kind.RATING)
    added = round_item_add(
        delphi_round=delphi_round, text="เพิ่มระหว่างสร้างรอบ", domain=None, actor=alice
    )

    codes = {s.text: s.code for s in Statement.objects.filter(study=study)}
    # Merged (S02) and set aside (S03) keep their codes; nothing is reused or shifted.
    assert codes == {
        "ข้อ 1": "S01",
        "ข้อ 2": "S02",
        "ข้อ 3": "S03",
        "ส่วนแรก": "S04",
        "ส่วนที่สอง": "S05",
        "เพิ่มระหว่างสร้างรอบ": "S06",
    }
    assert (part.code, added.statement.code) == ("S05", "S06")
    board = statement_board(study)
    assert [view.code for view in board.by_pk.values()] == [f"S0{n}" for n in range(1, 7)]
    # Another study counts from S01.
    other = StatementFactory()
    assert other.code == "S01"


def test_a_statement_made_by_a_colleague_while_the_page_is_read_does_not_break_it(answered):
    """The board reads statements, then their sources. A colleague's statement committed in
    between (two researchers, or a search typed while a save finishes) has sources but no
    row yet: the page leaves it for the next refresh instead of failing with a 500."""
    statement_from(answered.answers[:1])
    read_sources = StatementSource.objects.filter

    def colleague_saves_first(*args, **kwargs):
        statement_from(answered.answers[1:2])
        return read_sources(*args, **kwargs)

    with mock.patch.object(StatementSource.objects, "filter", side_effect=colleague_saves_first):
        board = statement_board(answered.delphi_round.study)

    assert len(board.by_pk) == 1
