"""Setting statements and answers aside as out of scope, and bringing them back."""

from django.db import transaction

from panels.services import audit
from rounds.models import OpenAnswer, Statement, StatementSource

from .checks import (
    check_active,
    check_answer_round,
    check_not_in_use,
    excerpt,
    leave_draft_rounds,
    locked_answer,
    locked_statements,
    next_order,
    refusal,
)


@transaction.atomic
def statement_mark_out_of_scope(*, statement: Statement, reason: str, actor) -> Statement:
    """Set a statement aside (it will not go to the next round); its sources stay linked.

    The researcher's reason is kept on the statement and in the audit log. Refuses a blank
    reason (`statement_reason_required`), a merged statement (`not_active`) and one already
    sent to experts (`in_use`). The statement leaves any draft round.
    """
    reason = (reason or "").strip()
    if not reason:
        raise refusal("statement_reason_required")
    locked = locked_statements([statement.pk])[statement.pk]
    check_active(locked)
    check_not_in_use(locked)
    locked.status = Statement.Status.OUT_OF_SCOPE
    locked.out_of_scope_reason = reason
    locked.save(update_fields=["status", "out_of_scope_reason"])
    left = leave_draft_rounds([locked.pk])
    audit(
        study=locked.study,
        actor=actor,
        action="coding.statement_out_of_scope",
        statement=locked.pk,
        reason=reason,
        removed_from_draft_rounds=left,
    )
    statement.status, statement.out_of_scope_reason = locked.status, reason
    return locked


@transaction.atomic
def statement_restore(*, statement: Statement, actor) -> Statement:
    """Undo "out of scope": the statement is active again, last in its domain.

    Merged statements are not restored this way: their sources already live on the target.
    The reason it was set aside goes to the audit log. Raises `statement_not_out_of_scope`.
    """
    locked = locked_statements([statement.pk])[statement.pk]
    if locked.status != Statement.Status.OUT_OF_SCOPE:
        raise refusal("statement_not_out_of_scope", statement=excerpt(locked.text))
    old_reason = locked.out_of_scope_reason
    locked.status = Statement.Status.ACTIVE
    locked.out_of_scope_reason = ""
    locked.order = next_order(locked.study, locked.domain)
    locked.save(update_fields=["status", "out_of_scope_reason", "order"])
    audit(
        study=locked.study,
        actor=actor,
        action="coding.statement_restore",
        statement=locked.pk,
        old_reason=old_reason,
    )
    statement.status, statement.out_of_scope_reason = locked.status, ""
    return locked


@transaction.atomic
def answer_mark_out_of_scope(*, answer: OpenAnswer, reason: str, actor) -> OpenAnswer:
    """Set an answer aside as outside the study's scope, with the researcher's reason.

    The answer counts as coded. Raises `reason_required` (blank reason), `round_not_closed`,
    and `answer_has_statements` when it is already the source of a statement (an answer either
    became statements or was set aside; both at once would make the trail ambiguous).
    """
    reason = (reason or "").strip()
    if not reason:
        raise refusal("reason_required")
    locked = locked_answer(answer)
    check_answer_round(locked)
    if StatementSource.objects.filter(answer=locked).exists():
        raise refusal("answer_has_statements", code=locked.submission.expert.code)
    locked.out_of_scope_reason = reason
    locked.save(update_fields=["out_of_scope_reason", "updated_at"])
    study = locked.question.delphi_round.study
    audit(
        study=study,
        actor=actor,
        action="coding.answer_out_of_scope",
        answer=locked.pk,
        expert=locked.submission.expert.code,
        reason=reason,
    )
    answer.out_of_scope_reason = reason
    return locked


@transaction.atomic
def answer_restore(*, answer: OpenAnswer, actor) -> OpenAnswer:
    """Undo "out of scope": the answer is uncoded again. Raises `not_out_of_scope`."""
    locked = locked_answer(answer)
    check_answer_round(locked)
    if not locked.out_of_scope_reason:
        raise refusal("not_out_of_scope", code=locked.submission.expert.code)
    old_reason = locked.out_of_scope_reason
    locked.out_of_scope_reason = ""
    locked.save(update_fields=["out_of_scope_reason", "updated_at"])
    audit(
        study=locked.question.delphi_round.study,
        actor=actor,
        action="coding.answer_restore",
        answer=locked.pk,
        expert=locked.submission.expert.code,
        old_reason=old_reason,
    )
    answer.out_of_scope_reason = ""
    return locked
