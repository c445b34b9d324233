"""Content-analysis services and their reads: every rule, and the trail kept through it all."""

import pytest
from django.core.exceptions import ValidationError

from panels.models import AuditEvent
from rounds.coding.merging import statement_split, statements_merge
from rounds.coding.scope import (
    answer_mark_out_of_scope,
    answer_restore,
    statement_mark_out_of_scope,
    statement_restore,
)
from rounds.coding.selectors import coding_progress, coding_workspace, statement_board
from rounds.coding.statements import (
    statement_add_sources,
    statement_create_from_answers,
    statement_edit,
    statement_remove_source,
    statements_reorder,
)
from rounds.models import OpenAnswer, Round, RoundItem, Statement, StatementSource, Submission
from tests.panels.factories import StudyFactory
from tests.rounds.factories import (
    DomainFactory,
    RoundItemFactory,
    StatementFactory,
    answered_round,
    statement_from,
)

pytestmark = pytest.mark.django_db


def _sources(statement: Statement) -> set[int]:
    return set(
        StatementSource.objects.filter(statement=statement).values_list("answer_id", flat=True)
    )


def _code_of(call) -> str:
    with pytest.raises(ValidationError) as raised:
        call()
    return raised.value.code


def _item_in(statement: Statement, status: str, number: int = 2) -> RoundItem:
    delphi_round = Round.objects.create(
        study=statement.study,
        panel=statement.study.panels.first(),
        number=number,
        kind=Round.Kind.RATING,
        status=status,
    )
    return RoundItemFactory(delphi_round=delphi_round, statement=statement)


# Creating statements -------------------------------------------------------------------------


def test_statement_created_from_answers_keeps_them_as_sources(study, alice, answered):
    chosen = answered.answers[:2]

    statement = statement_create_from_answers(
        study=study, answers=chosen, text="  ประสานงานกับชุมชน  ", domain=None, actor=alice
    )

    assert statement.text == "ประสานงานกับชุมชน"
    assert statement.origin == Statement.Origin.ANSWERS
    assert _sources(statement) == {answer.pk for answer in chosen}


def test_new_statement_goes_last_in_its_domain(study, alice, answered):
    domain = answered.questions[0].domain
    StatementFactory(study=study, domain=domain, order=7)

    statement = statement_create_from_answers(
        study=study, answers=answered.answers[:1], text="ข้อความ", domain=domain, actor=alice
    )

    assert statement.order == 8


def test_creating_a_statement_is_audited(study, alice, answered):
    statement = statement_create_from_answers(
        study=study, answers=answered.answers[:2], text="ข้อความ", domain=None, actor=alice
    )

    event = AuditEvent.objects.get(action="coding.create")
    assert event.actor == alice
    assert event.detail["statement"] == statement.pk
    assert sorted(event.detail["answers"]) == sorted(a.pk for a in answered.answers[:2])


def test_answers_of_a_round_still_open_cannot_be_coded(study, alice):
    still_open = answered_round(study, status=Round.Status.OPEN)

    code = _code_of(
        lambda: statement_create_from_answers(
            study=study, answers=still_open.answers[:1], text="x", domain=None, actor=alice
        )
    )

    assert code == "round_not_closed"
    assert not Statement.objects.exists()


def test_answers_of_another_study_cannot_be_coded(study, alice):
    elsewhere = answered_round(StudyFactory())

    code = _code_of(
        lambda: statement_create_from_answers(
            study=study, answers=elsewhere.answers[:1], text="x", domain=None, actor=alice
        )
    )

    assert code == "foreign_answer"


def test_answers_never_submitted_cannot_be_coded(study, alice, answered):
    draft = answered.submissions[0]
    Submission.objects.filter(pk=draft.pk).update(status=Submission.Status.DRAFT)

    code = _code_of(
        lambda: statement_create_from_answers(
            study=study, answers=answered.answers_of("E01"), text="x", domain=None, actor=alice
        )
    )

    assert code == "not_submitted"


def test_answer_set_aside_cannot_become_a_statement(study, alice, answered):
    answer = answered.answers[0]
    answer_mark_out_of_scope(answer=answer, reason="เรื่องเงินเดือนครู", actor=alice)

    code = _code_of(
        lambda: statement_create_from_answers(
            study=study, answers=[answer], text="x", domain=None, actor=alice
        )
    )

    assert code == "answer_out_of_scope"


def test_statement_needs_wording(study, alice, answered):
    code = _code_of(
        lambda: statement_create_from_answers(
            study=study, answers=answered.answers[:1], text="   ", domain=None, actor=alice
        )
    )

    assert code == "blank"


def test_statement_needs_at_least_one_answer(study, alice):
    code = _code_of(
        lambda: statement_create_from_answers(
            study=study, answers=[], text="x", domain=None, actor=alice
        )
    )

    assert code == "no_answers"


def test_statement_cannot_take_another_studys_domain(study, alice, answered):
    foreign = DomainFactory()

    code = _code_of(
        lambda: statement_create_from_answers(
            study=study, answers=answered.answers[:1], text="x", domain=foreign, actor=alice
        )
    )

    assert code == "foreign_domain"


# Sources -------------------------------------------------------------------------------------


def test_adding_sources_keeps_existing_links_once(alice, answered):
    first, second, third = answered.answers[:3]
    statement = statement_from([first])

    statement_add_sources(statement=statement, answers=[first, second, third], actor=alice)

    assert _sources(statement) == {first.pk, second.pk, third.pk}
    assert StatementSource.objects.filter(statement=statement).count() == 3


def test_merged_statement_takes_no_new_sources(alice, answered):
    statement = statement_from(answered.answers[:1], status=Statement.Status.MERGED)

    code = _code_of(
        lambda: statement_add_sources(
            statement=statement, answers=answered.answers[1:2], actor=alice
        )
    )

    assert code == "not_active"


def test_removing_a_source_leaves_the_answer_to_code_again(alice, answered):
    answer = answered.answers[0]
    statement = statement_from([answer, answered.answers[1]])
    before = coding_progress(answered.delphi_round).coded

    statement_remove_source(statement=statement, answer=answer, actor=alice)

    assert _sources(statement) == {answered.answers[1].pk}
    assert coding_progress(answered.delphi_round).coded == before - 1


def test_removing_an_answer_that_is_not_a_source_is_refused(alice, answered):
    statement = statement_from(answered.answers[:1])

    code = _code_of(
        lambda: statement_remove_source(
            statement=statement, answer=answered.answers[1], actor=alice
        )
    )

    assert code == "not_a_source"


# Editing and the wording lock ----------------------------------------------------------------


def test_edit_changes_wording_and_keeps_the_old_one_in_the_audit(alice, answered):
    statement = statement_from(answered.answers[:1], text="เดิม")

    statement_edit(statement=statement, text="ใหม่", domain=None, actor=alice)

    statement.refresh_from_db()
    assert statement.text == "ใหม่"
    event = AuditEvent.objects.get(action="coding.edit")
    assert (event.detail["old_text"], event.detail["text"]) == ("เดิม", "ใหม่")


@pytest.mark.parametrize("status", [Round.Status.OPEN, Round.Status.CLOSED])
def test_wording_of_a_statement_sent_to_experts_is_locked(alice, answered, status):
    statement = statement_from(answered.answers[:1], text="เดิม")
    _item_in(statement, status)

    code = _code_of(
        lambda: statement_edit(statement=statement, text="ใหม่", domain=None, actor=alice)
    )

    assert code == "in_use"
    statement.refresh_from_db()
    assert statement.text == "เดิม"


def test_domain_of_a_statement_sent_to_experts_is_locked(alice, answered):
    statement = statement_from(answered.answers[:1])
    _item_in(statement, Round.Status.CLOSED)

    code = _code_of(
        lambda: statement_edit(
            statement=statement,
            text=statement.text,
            domain=answered.questions[0].domain,
            actor=alice,
        )
    )

    assert code == "in_use"


def test_wording_in_a_draft_round_may_still_change(alice, answered):
    statement = statement_from(answered.answers[:1], text="เดิม")
    _item_in(statement, Round.Status.DRAFT)

    statement_edit(statement=statement, text="ใหม่", domain=None, actor=alice)

    statement.refresh_from_db()
    assert statement.text == "ใหม่"


def test_an_edit_from_a_form_opened_before_a_colleagues_save_is_refused(alice, bob, answered):
    statement = statement_from(answered.answers[:1], text="เดิม")
    opened_at = statement.version
    statement_edit(statement=statement, text="ของเพื่อน", domain=None, actor=bob, version=opened_at)

    code = _code_of(
        lambda: statement_edit(
            statement=statement, text="ของฉัน", domain=None, actor=alice, version=opened_at
        )
    )

    assert code == "stale"
    statement.refresh_from_db()
    assert statement.text == "ของเพื่อน"
    assert statement.version == opened_at + 1
    assert AuditEvent.objects.filter(action="coding.edit").count() == 1


def test_a_stale_edit_names_the_colleagues_wording(alice, bob, answered):
    statement = statement_from(answered.answers[:1], text="เดิม")
    statement_edit(statement=statement, text="ของเพื่อน", domain=None, actor=bob, version=1)

    with pytest.raises(ValidationError) as raised:
        statement_edit(statement=statement, text="ของฉัน", domain=None, actor=alice, version=1)

    assert "“ของเพื่อน”" in " ".join(raised.value.messages)


def test_a_stale_form_asking_for_what_the_statement_already_says_changes_nothing(
    alice, bob, answered
):
    statement = statement_from(answered.answers[:1], text="เดิม")
    statement_edit(statement=statement, text="ตรงกัน", domain=None, actor=bob, version=1)

    statement_edit(statement=statement, text="ตรงกัน", domain=None, actor=alice, version=1)

    statement.refresh_from_db()
    assert (statement.text, statement.version) == ("ตรงกัน", 2)


def test_every_change_of_wording_or_domain_moves_the_version_on(alice, answered):
    e01, e02 = (answered.answers_of(code)[0] for code in ("E01", "E02"))
    statement = statement_from([e01, e02], text="เดิม")
    assert statement.version == 1

    statement_edit(statement=statement, text="ใหม่", domain=None, actor=alice, version=1)
    statement_edit(
        statement=statement, text="ใหม่", domain=answered.questions[0].domain, actor=alice
    )
    statement_split(
        statement=statement, parts=[("ก", None, [e01]), ("ข", None, [e02])], actor=alice
    )

    statement.refresh_from_db()
    assert statement.version == 4


def test_moving_a_statement_to_another_domain_puts_it_last_there(alice, answered):
    target = answered.questions[1].domain
    StatementFactory(study=answered.delphi_round.study, domain=target, order=4)
    statement = statement_from(answered.answers[:1], order=1)

    statement_edit(statement=statement, text=statement.text, domain=target, actor=alice)

    statement.refresh_from_db()
    assert (statement.domain, statement.order) == (target, 5)


# Merging -------------------------------------------------------------------------------------


def test_merge_marks_the_others_merged_into_the_target(alice, answered):
    target = statement_from(answered.answers_of("E01"))
    other = statement_from(answered.answers_of("E02"))

    statements_merge(target=target, others=[other], actor=alice)

    other.refresh_from_db()
    assert other.status == Statement.Status.MERGED
    assert other.merged_into == target


def test_merge_keeps_every_source_traceable(alice, answered):
    target = statement_from(answered.answers_of("E01"))
    other = statement_from(answered.answers_of("E02") + answered.answers_of("E01")[:1])

    statements_merge(target=target, others=[other], actor=alice)

    e01_e02 = {a.pk for a in answered.answers_of("E01") + answered.answers_of("E02")}
    assert _sources(target) == e01_e02
    # The absorbed statement keeps its own links as the record of what it was.
    assert _sources(other) == {a.pk for a in answered.answers_of("E02")} | {
        answered.answers_of("E01")[0].pk
    }


def test_answers_lead_to_the_end_of_a_chain_of_merges(alice, answered):
    first = statement_from(answered.answers_of("E01")[:1])
    second = statement_from(answered.answers_of("E02")[:1])
    third = statement_from(answered.answers_of("E03")[:1])
    statements_merge(target=second, others=[first], actor=alice)
    statements_merge(target=third, others=[second], actor=alice)

    workspace = coding_workspace(delphi_round=answered.delphi_round)

    board = workspace.board
    assert board.by_pk[first.pk].merged_into.pk == second.pk
    assert board.by_pk[first.pk].final.pk == third.pk
    answer = next(
        view
        for group in workspace.answer_groups
        for question in group.questions
        for view in question.answers
        if view.pk == answered.answers_of("E01")[0].pk
    )
    assert [became.statement.pk for became in answer.became] == [third.pk]
    assert [via.pk for via in answer.became[0].via] == [first.pk, second.pk]


def test_statements_of_different_studies_are_not_merged(alice, answered):
    target = statement_from(answered.answers[:1])
    foreign = StatementFactory()

    code = _code_of(lambda: statements_merge(target=target, others=[foreign], actor=alice))

    assert code == "merge_other_study"


def test_nothing_is_merged_into_a_merged_statement(alice, answered):
    target = statement_from(answered.answers[:1], status=Statement.Status.MERGED)
    other = statement_from(answered.answers[1:2])

    code = _code_of(lambda: statements_merge(target=target, others=[other], actor=alice))

    assert code == "merge_into_retired"


def test_a_statement_is_not_merged_into_itself(alice, answered):
    statement = statement_from(answered.answers[:1])

    code = _code_of(lambda: statements_merge(target=statement, others=[statement], actor=alice))

    assert code == "merge_self"


def test_a_statement_is_merged_only_once(alice, answered):
    first_target = statement_from(answered.answers[:1])
    second_target = statement_from(answered.answers[1:2])
    other = statement_from(answered.answers[2:3])
    statements_merge(target=first_target, others=[other], actor=alice)

    code = _code_of(lambda: statements_merge(target=second_target, others=[other], actor=alice))

    assert code == "already_merged"


def test_a_statement_experts_have_rated_is_not_merged_away(alice, answered):
    target = statement_from(answered.answers[:1])
    rated = statement_from(answered.answers[1:2])
    _item_in(rated, Round.Status.CLOSED)

    code = _code_of(lambda: statements_merge(target=target, others=[rated], actor=alice))

    assert code == "in_use"
    rated.refresh_from_db()
    assert rated.status == Statement.Status.ACTIVE


def test_merged_statement_leaves_a_draft_round(alice, answered):
    target = statement_from(answered.answers[:1])
    other = statement_from(answered.answers[1:2])
    item = _item_in(other, Round.Status.DRAFT)

    statements_merge(target=target, others=[other], actor=alice)

    assert not RoundItem.objects.filter(pk=item.pk).exists()


# Splitting -----------------------------------------------------------------------------------


def test_split_keeps_the_original_as_part_one_and_shares_out_the_sources(alice, answered):
    e01, e02, e03 = (answered.answers_of(code)[0] for code in ("E01", "E02", "E03"))
    domain = answered.questions[0].domain
    original = statement_from([e01, e02, e03], text="ประสานงานและทำ MOU", domain=domain, order=1)
    after = StatementFactory(study=original.study, domain=domain, order=2)

    parts = statement_split(
        statement=original,
        parts=[("ประสานงาน", domain, [e01, e02]), ("ทำ MOU", domain, [e02, e03])],
        actor=alice,
    )

    first, second = parts
    assert first.pk == original.pk
    original.refresh_from_db()
    assert original.text == "ประสานงาน"
    assert _sources(original) == {e01.pk, e02.pk}
    assert second.text == "ทำ MOU"
    assert _sources(second) == {e02.pk, e03.pk}
    after.refresh_from_db()
    assert original.order < second.order < after.order


def test_split_is_visible_in_the_statement_trail(alice, answered):
    e01, e02 = (answered.answers_of(code)[0] for code in ("E01", "E02"))
    original = statement_from([e01, e02])

    _first, second = statement_split(
        statement=original, parts=[("ก", None, [e01]), ("ข", None, [e02])], actor=alice
    )

    board = statement_board(original.study)
    assert board.by_pk[second.pk].split_from.pk == original.pk


def test_split_may_not_drop_an_answer(alice, answered):
    e01, e02, e03 = (answered.answers_of(code)[0] for code in ("E01", "E02", "E03"))
    original = statement_from([e01, e02, e03], text="เดิม")

    code = _code_of(
        lambda: statement_split(
            statement=original, parts=[("ก", None, [e01]), ("ข", None, [e02])], actor=alice
        )
    )

    assert code == "split_sources_lost"
    original.refresh_from_db()
    assert original.text == "เดิม"
    assert _sources(original) == {e01.pk, e02.pk, e03.pk}


def test_split_parts_take_only_the_originals_answers(alice, answered):
    e01, e02 = (answered.answers_of(code)[0] for code in ("E01", "E02"))
    original = statement_from([e01])

    code = _code_of(
        lambda: statement_split(
            statement=original, parts=[("ก", None, [e01]), ("ข", None, [e02])], actor=alice
        )
    )

    assert code == "split_foreign_source"


def test_split_needs_two_parts(alice, answered):
    original = statement_from(answered.answers[:1])

    code = _code_of(
        lambda: statement_split(
            statement=original, parts=[("ก", None, answered.answers[:1])], actor=alice
        )
    )

    assert code == "split_too_few"


def test_statement_sent_to_experts_is_not_split(alice, answered):
    e01, e02 = (answered.answers_of(code)[0] for code in ("E01", "E02"))
    original = statement_from([e01, e02])
    _item_in(original, Round.Status.OPEN)

    code = _code_of(
        lambda: statement_split(
            statement=original, parts=[("ก", None, [e01]), ("ข", None, [e02])], actor=alice
        )
    )

    assert code == "in_use"


# Out of scope --------------------------------------------------------------------------------


def test_answer_out_of_scope_needs_a_reason(alice, answered):
    code = _code_of(
        lambda: answer_mark_out_of_scope(answer=answered.answers[0], reason=" ", actor=alice)
    )

    assert code == "reason_required"


def test_answer_out_of_scope_keeps_the_reason_and_counts_as_coded(alice, answered):
    answer = answered.answers[0]

    answer_mark_out_of_scope(answer=answer, reason="เรื่องงบประมาณ", actor=alice)

    answer.refresh_from_db()
    assert answer.out_of_scope_reason == "เรื่องงบประมาณ"
    assert coding_progress(answered.delphi_round).coded == 1
    assert AuditEvent.objects.get(action="coding.answer_out_of_scope").detail["reason"] == (
        "เรื่องงบประมาณ"
    )


def test_answer_that_became_a_statement_is_not_set_aside(alice, answered):
    answer = answered.answers[0]
    statement_from([answer])

    code = _code_of(lambda: answer_mark_out_of_scope(answer=answer, reason="ไม่เกี่ยว", actor=alice))

    assert code == "answer_has_statements"


def test_restored_answer_is_to_code_again(alice, answered):
    answer = answered.answers[0]
    answer_mark_out_of_scope(answer=answer, reason="ไม่เกี่ยว", actor=alice)

    answer_restore(answer=answer, actor=alice)

    answer.refresh_from_db()
    assert answer.out_of_scope_reason == ""
    assert coding_progress(answered.delphi_round).coded == 0


def test_restoring_an_answer_not_set_aside_is_refused(alice, answered):
    code = _code_of(lambda: answer_restore(answer=answered.answers[0], actor=alice))

    assert code == "not_out_of_scope"


def test_answers_of_an_open_round_are_not_set_aside(study, alice):
    still_open = answered_round(study, status=Round.Status.OPEN)

    code = _code_of(
        lambda: answer_mark_out_of_scope(answer=still_open.answers[0], reason="ไม่เกี่ยว", actor=alice)
    )

    assert code == "round_not_closed"


def test_statement_out_of_scope_keeps_its_sources_and_can_come_back(alice, answered):
    statement = statement_from(answered.answers[:2])

    statement_mark_out_of_scope(statement=statement, reason="นอกขอบเขต", actor=alice)
    statement.refresh_from_db()
    assert statement.status == Statement.Status.OUT_OF_SCOPE
    assert len(_sources(statement)) == 2

    statement_restore(statement=statement, actor=alice)
    statement.refresh_from_db()
    assert statement.status == Statement.Status.ACTIVE


def test_a_statement_is_set_aside_only_with_a_reason_kept_on_it_and_in_the_log(alice, answered):
    statement = statement_from(answered.answers[:1])

    code = _code_of(
        lambda: statement_mark_out_of_scope(statement=statement, reason=" ", actor=alice)
    )
    assert code == "statement_reason_required"
    statement.refresh_from_db()
    assert statement.status == Statement.Status.ACTIVE

    statement_mark_out_of_scope(statement=statement, reason=" เรื่องค่าตอบแทนครู ", actor=alice)
    statement.refresh_from_db()
    assert statement.out_of_scope_reason == "เรื่องค่าตอบแทนครู"
    event = AuditEvent.objects.get(action="coding.statement_out_of_scope")
    assert event.detail["reason"] == "เรื่องค่าตอบแทนครู"

    statement_restore(statement=statement, actor=alice)
    statement.refresh_from_db()
    assert (statement.status, statement.out_of_scope_reason) == (Statement.Status.ACTIVE, "")
    event = AuditEvent.objects.get(action="coding.statement_restore")
    assert event.detail["old_reason"] == "เรื่องค่าตอบแทนครู"


def test_statement_experts_rated_is_not_set_aside(alice, answered):
    statement = statement_from(answered.answers[:1])
    _item_in(statement, Round.Status.CLOSED)

    code = _code_of(
        lambda: statement_mark_out_of_scope(statement=statement, reason="นอกขอบเขต", actor=alice)
    )

    assert code == "in_use"


# Order ---------------------------------------------------------------------------------------


def test_reorder_numbers_a_domains_statements_in_the_given_order(study, alice):
    domain = DomainFactory(study=study)
    first, second, third = (StatementFactory(study=study, domain=domain) for _ in range(3))

    statements_reorder(
        study=study, domain=domain, ordered_ids=[third.pk, first.pk, second.pk], actor=alice
    )

    ordered = list(
        Statement.objects.filter(domain=domain).order_by("order").values_list("pk", flat=True)
    )
    assert ordered == [third.pk, first.pk, second.pk]


def test_reorder_from_a_stale_page_is_refused(study, alice):
    domain = DomainFactory(study=study)
    first, second = (StatementFactory(study=study, domain=domain) for _ in range(2))
    StatementFactory(study=study, domain=domain)  # added by a colleague meanwhile

    code = _code_of(
        lambda: statements_reorder(
            study=study, domain=domain, ordered_ids=[second.pk, first.pk], actor=alice
        )
    )

    assert code == "reorder_stale"


# Refusals and the audit trail ----------------------------------------------------------------


def test_an_empty_answer_is_not_coded(study, alice, answered):
    OpenAnswer.objects.filter(pk=answered.answers[0].pk).update(text="  ")

    code = _code_of(
        lambda: statement_create_from_answers(
            study=study, answers=answered.answers[:1], text="x", domain=None, actor=alice
        )
    )

    assert code == "empty_answer"


def test_merge_needs_something_to_merge(alice, answered):
    target = statement_from(answered.answers[:1])

    code = _code_of(lambda: statements_merge(target=target, others=[], actor=alice))

    assert code == "merge_empty"


def test_only_a_statement_set_aside_is_restored(alice, answered):
    statement = statement_from(answered.answers[:1])

    code = _code_of(lambda: statement_restore(statement=statement, actor=alice))

    assert code == "statement_not_out_of_scope"


def test_every_coding_action_leaves_an_audit_event(study, alice, answered):
    e01, e02, e03 = (answered.answers_of(code) for code in ("E01", "E02", "E03"))
    first = statement_create_from_answers(
        study=study, answers=e01, text="ก", domain=None, actor=alice
    )
    second = statement_create_from_answers(
        study=study, answers=e02[:1], text="ข", domain=None, actor=alice
    )
    statement_add_sources(statement=second, answers=e02[1:], actor=alice)
    statement_remove_source(statement=second, answer=e02[1], actor=alice)
    statement_edit(statement=second, text="ข ใหม่", domain=None, actor=alice)
    statements_reorder(study=study, domain=None, ordered_ids=[second.pk, first.pk], actor=alice)
    statement_split(
        statement=first, parts=[("ก1", None, e01[:1]), ("ก2", None, e01[1:])], actor=alice
    )
    statement_mark_out_of_scope(statement=second, reason="นอกขอบเขต", actor=alice)
    statement_restore(statement=second, actor=alice)
    statements_merge(target=first, others=[second], actor=alice)
    answer_mark_out_of_scope(answer=e03[0], reason="ไม่เกี่ยว", actor=alice)
    answer_restore(answer=e03[0], actor=alice)

    actions = set(AuditEvent.objects.filter(actor=alice).values_list("action", flat=True))

    assert actions == {
        "coding.create",
        "coding.add_sources",
        "coding.remove_source",
        "coding.edit",
        "coding.reorder",
        "coding.split",
        "coding.statement_out_of_scope",
        "coding.statement_restore",
        "coding.merge",
        "coding.answer_out_of_scope",
        "coding.answer_restore",
    }


def test_statements_set_aside_before_the_reason_was_stored_get_it_from_the_log(alice, answered):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("rounds.migrations.0007_statement_out_of_scope_reason")
    with_reason = statement_from(answered.answers[:1], status=Statement.Status.OUT_OF_SCOPE)
    without = statement_from(answered.answers[1:2], status=Statement.Status.OUT_OF_SCOPE)
    study = with_reason.study
    AuditEvent.objects.create(
        study=study,
        action="coding.statement_out_of_scope",
        detail={"statement": with_reason.pk, "reason": " ซ้ำกับข้อ 1 "},
    )
    AuditEvent.objects.create(
        study=study,
        action="coding.statement_out_of_scope",
        detail={"statement": without.pk, "reason": ""},
    )

    migration.reasons_from_the_log(apps, None)

    with_reason.refresh_from_db()
    without.refresh_from_db()
    assert (with_reason.out_of_scope_reason, without.out_of_scope_reason) == ("ซ้ำกับข้อ 1", "")
