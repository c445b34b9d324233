"""Content analysis of an open round: experts' answers become the statements of the next round.

The paper's researcher did this by hand ("remove duplicates and anything outside the study's
scope, turn what remains into statements"); here every step keeps its trail. A statement
records the answers it came from (StatementSource), a merged statement points at the one that
absorbed it and hands it its sources, and an answer left out carries the researcher's reason.
Nothing is deleted, so any statement of any round can be traced back to who said what.

Rules enforced here (ValidationError with a `code`):
- only submitted, non-empty answers of a *closed* open-question round of the same study are
  coded: answers of an open round may still change;
- a statement that a round already sent to experts (open or closed) keeps its wording and its
  domain, and is never merged, split or set aside: ratings were given to those words. Items of a
  draft round may still change; a statement retired while in a draft round leaves that round;
- an answer is either the source of statements or out of scope (with a reason), not both.
Each action writes one AuditEvent "coding.<verb>".
"""

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext_lazy as _

from panels.models import Study
from panels.services import audit

from .models import Domain, OpenAnswer, Round, RoundItem, Statement, StatementSource, Submission

ERRORS = {
    "no_answers": _("Choose at least one answer."),
    "foreign_answer": _("One of the answers does not belong to this study."),
    "round_not_closed": _(
        "Content analysis starts when the round is closed: the answers of “%(round)s” can "
        "still change."
    ),
    "not_submitted": _(
        "The answer of %(code)s was never submitted, so it is not part of the round's data."
    ),
    "empty_answer": _("The answer of %(code)s is empty."),
    "answer_out_of_scope": _(
        "The answer of %(code)s is marked out of scope. Restore it first if it should become "
        "part of a statement."
    ),
    "blank": _("Write the wording of the statement."),
    "foreign_domain": _("Choose one of this study's domains."),
    "in_use": _(
        "“%(statement)s” is used in “%(round)s”, which has been sent to experts: its wording "
        "and place can no longer change."
    ),
    "not_active": _("“%(statement)s” has been merged or set aside; restore it or use another."),
    "merge_empty": _("Choose at least one statement to merge."),
    "merge_self": _("A statement cannot be merged into itself."),
    "merge_other_study": _("Statements of different studies cannot be merged."),
    "merge_into_retired": _(
        "“%(statement)s” has itself been merged or set aside, so nothing can be merged into it."
    ),
    "already_merged": _("“%(statement)s” has already been merged into another statement."),
    "split_too_few": _("A statement is split into at least two parts."),
    "split_foreign_source": _(
        "A part can only take answers that the statement being split came from."
    ),
    "split_sources_lost": _(
        "Every answer the statement came from must go to at least one part, so that none loses "
        "its trail. Missing: %(codes)s."
    ),
    "reason_required": _("Say why the answer is out of scope."),
    "answer_has_statements": _(
        "The answer of %(code)s already became a statement. Remove it from that statement first."
    ),
    "not_out_of_scope": _("The answer of %(code)s is not marked out of scope."),
    "not_a_source": _("This answer is not one of the statement's sources."),
    "statement_not_out_of_scope": _("“%(statement)s” is not marked out of scope."),
    "reorder_stale": _(
        "The statements of this domain changed in the meantime. Reload the page and try again."
    ),
}


def _error(error_code: str, /, **params) -> ValidationError:
    return ValidationError(ERRORS[error_code], code=error_code, params=params or None)


def _excerpt(text: str, length: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _check_answers(*, study: Study, answers: Iterable[OpenAnswer]) -> list[OpenAnswer]:
    """The answers re-read under lock, or the first reason one of them cannot be coded."""
    ids = {answer.pk for answer in answers}
    if not ids:
        raise _error("no_answers")
    # Lock: marking an answer out of scope at the same moment must not leave it both set aside
    # and the source of a statement.
    locked = list(
        OpenAnswer.objects.select_for_update(of=("self",))
        .select_related("question__delphi_round", "submission__expert")
        .filter(pk__in=ids)
        .order_by("question__order", "question_id", "submission__expert__code", "position")
    )
    if len(locked) != len(ids):
        raise _error("foreign_answer")
    for answer in locked:
        delphi_round = answer.question.delphi_round
        code = answer.submission.expert.code
        if delphi_round.study_id != study.pk:
            raise _error("foreign_answer")
        if delphi_round.kind != Round.Kind.OPEN or delphi_round.status != Round.Status.CLOSED:
            raise _error("round_not_closed", round=delphi_round.display_title)
        if answer.submission.status != Submission.Status.SUBMITTED:
            raise _error("not_submitted", code=code)
        if not answer.text.strip():
            raise _error("empty_answer", code=code)
        if answer.out_of_scope_reason:
            raise _error("answer_out_of_scope", code=code)
    return locked


def _check_answer_round(answer: OpenAnswer) -> None:
    delphi_round = answer.question.delphi_round
    if delphi_round.kind != Round.Kind.OPEN or delphi_round.status != Round.Status.CLOSED:
        raise _error("round_not_closed", round=delphi_round.display_title)


def _locked_answer(answer: OpenAnswer) -> OpenAnswer:
    return (
        OpenAnswer.objects.select_for_update(of=("self",))
        .select_related("question__delphi_round", "submission__expert")
        .get(pk=answer.pk)
    )


def _locked_statements(ids: Iterable[int]) -> dict[int, Statement]:
    # Lock: two researchers merging the same duplicate into different targets must not both
    # pass the "still active" check.
    return {
        statement.pk: statement
        for statement in Statement.objects.select_for_update(of=("self",)).filter(pk__in=set(ids))
    }


def _round_using(statement: Statement) -> Round | None:
    """The first round sent to experts (open or closed) that shows this statement, if any."""
    item = (
        RoundItem.objects.filter(
            statement=statement,
            delphi_round__status__in=[Round.Status.OPEN, Round.Status.CLOSED],
        )
        .select_related("delphi_round")
        .order_by("delphi_round__number")
        .first()
    )
    return item.delphi_round if item else None


def _check_not_in_use(statement: Statement) -> None:
    delphi_round = _round_using(statement)
    if delphi_round is not None:
        raise _error("in_use", statement=_excerpt(statement.text), round=delphi_round.display_title)


def _check_active(statement: Statement) -> None:
    if statement.status != Statement.Status.ACTIVE:
        raise _error("not_active", statement=_excerpt(statement.text))


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise _error("blank")
    return text


def _check_domain(study: Study, domain: Domain | None) -> None:
    if domain is not None and domain.study_id != study.pk:
        raise _error("foreign_domain")


def _next_order(study: Study, domain: Domain | None) -> int:
    highest = Statement.objects.filter(study=study, domain=domain).aggregate(top=Max("order"))
    return (highest["top"] or 0) + 1


def _link_sources(statement: Statement, answer_ids: Iterable[int]) -> int:
    """Link answers to a statement, skipping links that exist; returns how many were new."""
    existing = set(
        StatementSource.objects.filter(statement=statement).values_list("answer_id", flat=True)
    )
    new = [
        StatementSource(statement=statement, answer_id=pk)
        for pk in sorted(set(answer_ids) - existing)
    ]
    StatementSource.objects.bulk_create(new)
    return len(new)


def _source_ids(statement: Statement) -> list[int]:
    return list(
        StatementSource.objects.filter(statement=statement)
        .order_by("answer_id")
        .values_list("answer_id", flat=True)
    )


def _leave_draft_rounds(statement_ids: Sequence[int]) -> list[int]:
    """Take retired statements out of draft rounds; returns the numbers of those rounds.

    A draft round built before the coding was finished would otherwise ask experts to rate a
    duplicate that no longer exists as such.
    """
    items = RoundItem.objects.filter(
        statement_id__in=statement_ids, delphi_round__status=Round.Status.DRAFT
    )
    numbers = sorted(set(items.values_list("delphi_round__number", flat=True)))
    items.delete()
    return numbers


@transaction.atomic
def statement_create_from_answers(
    *, study: Study, answers: Iterable[OpenAnswer], text: str, domain: Domain | None, actor
) -> Statement:
    """A new active statement drawn from one or more answers, placed last in its domain.

    The answers must be submitted, non-empty answers of a closed open-question round of `study`
    and not out of scope. Raises ValidationError (`no_answers`, `foreign_answer`,
    `round_not_closed`, `not_submitted`, `empty_answer`, `answer_out_of_scope`, `blank`,
    `foreign_domain`).
    """
    text = _clean_text(text)
    _check_domain(study, domain)
    locked = _check_answers(study=study, answers=answers)
    statement = Statement(
        study=study,
        domain=domain,
        text=text,
        order=_next_order(study, domain),
        origin=Statement.Origin.ANSWERS,
    )
    statement.full_clean()
    statement.save()
    _link_sources(statement, [answer.pk for answer in locked])
    audit(
        study=study,
        actor=actor,
        action="coding.create",
        statement=statement.pk,
        answers=[answer.pk for answer in locked],
        text=statement.text,
    )
    return statement


@transaction.atomic
def statement_add_sources(
    *, statement: Statement, answers: Iterable[OpenAnswer], actor
) -> Statement:
    """Record that `statement` also came from `answers` (links that exist are kept once).

    Sources are the trail, not the wording, so a statement already sent to experts may gain
    them. Raises ValidationError for a merged or set-aside statement (`not_active`) and for
    answers that cannot be coded (see `statement_create_from_answers`).
    """
    statement = _locked_statements([statement.pk])[statement.pk]
    _check_active(statement)
    locked = _check_answers(study=statement.study, answers=answers)
    added = _link_sources(statement, [answer.pk for answer in locked])
    audit(
        study=statement.study,
        actor=actor,
        action="coding.add_sources",
        statement=statement.pk,
        answers=[answer.pk for answer in locked],
        added=added,
    )
    return statement


@transaction.atomic
def statement_remove_source(*, statement: Statement, answer: OpenAnswer, actor) -> Statement:
    """Unlink one answer from a statement; the answer is then uncoded unless linked elsewhere.

    A merged statement's sources also live on the statement it was merged into; removing the
    link here leaves that copy alone, since the target's wording is what the answer now backs.
    Raises ValidationError `not_a_source` when there is no such link.
    """
    statement = _locked_statements([statement.pk])[statement.pk]
    deleted, _per_model = StatementSource.objects.filter(
        statement=statement, answer_id=answer.pk
    ).delete()
    if not deleted:
        raise _error("not_a_source")
    audit(
        study=statement.study,
        actor=actor,
        action="coding.remove_source",
        statement=statement.pk,
        answer=answer.pk,
    )
    return statement


@transaction.atomic
def statement_edit(*, statement: Statement, text: str, domain: Domain | None, actor) -> Statement:
    """Change a statement's wording and/or domain (moving it last in the new domain).

    Refused (`in_use`) once a round that shows the statement has been sent to experts, because
    their ratings belong to the old words; a draft round's items may still change. Also raises
    `blank`, `foreign_domain` and `not_active`.
    """
    locked = _locked_statements([statement.pk])[statement.pk]
    text = _clean_text(text)
    _check_domain(locked.study, domain)
    _check_active(locked)
    domain_id = domain.pk if domain else None
    if text == locked.text and domain_id == locked.domain_id:
        return locked
    _check_not_in_use(locked)
    old_text, old_domain = locked.text, locked.domain_id
    if domain_id != locked.domain_id:
        locked.order = _next_order(locked.study, domain)
    locked.text = text
    locked.domain = domain
    locked.full_clean()
    locked.save(update_fields=["text", "domain", "order"])
    audit(
        study=locked.study,
        actor=actor,
        action="coding.edit",
        statement=locked.pk,
        old_text=old_text,
        text=locked.text,
        old_domain=old_domain,
        domain=domain_id,
    )
    statement.refresh_from_db()
    return locked


@transaction.atomic
def statements_merge(*, target: Statement, others: Iterable[Statement], actor) -> Statement:
    """Merge duplicates into `target`: each other statement becomes "merged into" the target.

    Sources are kept: every answer an absorbed statement came from is also linked to the
    target, so each answer still leads to the wording that now stands for it, and the absorbed
    statement keeps its own links and its pointer (`merged_into`) as the record of the merge.
    Chains are kept as they were (A merged into B, later B into C: A still points at B).
    Refuses merging across studies (`merge_other_study`), into itself (`merge_self`), into a
    merged or set-aside statement (`merge_into_retired`), a statement merged before
    (`already_merged`) or one already sent to experts (`in_use`). Absorbed statements leave
    any draft round.
    """
    other_ids = [other.pk for other in others]
    if not other_ids:
        raise _error("merge_empty")
    if target.pk in other_ids:
        raise _error("merge_self")
    locked = _locked_statements([target.pk, *other_ids])
    target = locked[target.pk]
    if target.status != Statement.Status.ACTIVE:
        raise _error("merge_into_retired", statement=_excerpt(target.text))
    absorbed = [locked[pk] for pk in dict.fromkeys(other_ids)]
    for other in absorbed:
        if other.study_id != target.study_id:
            raise _error("merge_other_study")
        if other.status == Statement.Status.MERGED:
            raise _error("already_merged", statement=_excerpt(other.text))
        _check_not_in_use(other)
    sources: list[int] = []
    for other in absorbed:
        sources.extend(_source_ids(other))
        other.status = Statement.Status.MERGED
        other.merged_into = target
    Statement.objects.bulk_update(absorbed, ["status", "merged_into"])
    added = _link_sources(target, sources)
    left = _leave_draft_rounds([other.pk for other in absorbed])
    audit(
        study=target.study,
        actor=actor,
        action="coding.merge",
        target=target.pk,
        merged=[other.pk for other in absorbed],
        sources_added=added,
        removed_from_draft_rounds=left,
    )
    return target


@transaction.atomic
def statement_split(
    *,
    statement: Statement,
    parts: Sequence[tuple[str, Domain | None, Iterable[OpenAnswer]]],
    actor,
) -> list[Statement]:
    """Split a statement that says two things into several; returns the parts, first = original.

    Decision: the original statement *becomes the first part* (its wording, domain and sources
    are replaced by part one's) and each further part is a new statement with the same origin,
    placed right after the original when in the same domain. Keeping the original's identity
    means nothing that points at it breaks (a draft round's item, statements merged into it).
    The trail stays visible: every part takes its sources from the original's, every original
    source must go to at least one part (`split_sources_lost`), and the audit event
    "coding.split" names the original and the new parts (the workspace shows "split from").
    Refuses fewer than two parts (`split_too_few`), answers the original did not come from
    (`split_foreign_source`), a merged or set-aside statement (`not_active`) and a statement
    already sent to experts (`in_use`); each part's wording and domain are checked like a
    new statement's.
    """
    if len(parts) < 2:
        raise _error("split_too_few")
    locked = _locked_statements([statement.pk])[statement.pk]
    _check_active(locked)
    _check_not_in_use(locked)
    study = locked.study
    original_sources = set(_source_ids(locked))
    cleaned: list[tuple[str, Domain | None, set[int]]] = []
    for text, domain, answers in parts:
        text = _clean_text(text)
        _check_domain(study, domain)
        answer_ids = {answer.pk for answer in answers}
        if not answer_ids <= original_sources:
            raise _error("split_foreign_source")
        cleaned.append((text, domain, answer_ids))
    lost = original_sources - set().union(*(ids for _t, _d, ids in cleaned))
    if lost:
        codes = (
            OpenAnswer.objects.filter(pk__in=lost)
            .order_by("submission__expert__code")
            .values_list("submission__expert__code", flat=True)
        )
        raise _error("split_sources_lost", codes=", ".join(dict.fromkeys(codes)))

    first_text, first_domain, first_sources = cleaned[0]
    old_text = locked.text
    if (first_domain.pk if first_domain else None) != locked.domain_id:
        locked.order = _next_order(study, first_domain)
    locked.text = first_text
    locked.domain = first_domain
    locked.full_clean()
    locked.save(update_fields=["text", "domain", "order"])
    StatementSource.objects.filter(statement=locked).exclude(answer_id__in=first_sources).delete()

    following = [part for part in cleaned[1:] if part[1] == first_domain]
    if following:
        # Make room right after the original, so the parts read together.
        Statement.objects.filter(study=study, domain=first_domain, order__gt=locked.order).update(
            order=F("order") + len(following)
        )
    created: list[Statement] = []
    next_in_place = locked.order + 1
    for text, domain, answer_ids in cleaned[1:]:
        if domain == first_domain:
            order, next_in_place = next_in_place, next_in_place + 1
        else:
            order = _next_order(study, domain)
        part = Statement(study=study, domain=domain, text=text, order=order, origin=locked.origin)
        part.full_clean()
        part.save()
        _link_sources(part, answer_ids)
        created.append(part)
    audit(
        study=study,
        actor=actor,
        action="coding.split",
        statement=locked.pk,
        old_text=old_text,
        parts=[locked.pk, *(part.pk for part in created)],
    )
    return [locked, *created]


@transaction.atomic
def statement_mark_out_of_scope(*, statement: Statement, actor, reason: str = "") -> Statement:
    """Set a statement aside (it will not go to the next round); its sources stay linked.

    Refuses a merged statement (`not_active`) and one already sent to experts (`in_use`). The
    statement leaves any draft round. The optional reason is kept in the audit log.
    """
    locked = _locked_statements([statement.pk])[statement.pk]
    _check_active(locked)
    _check_not_in_use(locked)
    locked.status = Statement.Status.OUT_OF_SCOPE
    locked.save(update_fields=["status"])
    left = _leave_draft_rounds([locked.pk])
    audit(
        study=locked.study,
        actor=actor,
        action="coding.statement_out_of_scope",
        statement=locked.pk,
        reason=(reason or "").strip(),
        removed_from_draft_rounds=left,
    )
    statement.status = locked.status
    return locked


@transaction.atomic
def statement_restore(*, statement: Statement, actor) -> Statement:
    """Bring a statement set aside as out of scope back (active, last in its domain).

    Merged statements are not restored this way: their sources already live on the target.
    Raises `statement_not_out_of_scope`.
    """
    locked = _locked_statements([statement.pk])[statement.pk]
    if locked.status != Statement.Status.OUT_OF_SCOPE:
        raise _error("statement_not_out_of_scope", statement=_excerpt(locked.text))
    locked.status = Statement.Status.ACTIVE
    locked.order = _next_order(locked.study, locked.domain)
    locked.save(update_fields=["status", "order"])
    audit(study=locked.study, actor=actor, action="coding.statement_restore", statement=locked.pk)
    statement.status = locked.status
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
        raise _error("reason_required")
    locked = _locked_answer(answer)
    _check_answer_round(locked)
    if StatementSource.objects.filter(answer=locked).exists():
        raise _error("answer_has_statements", code=locked.submission.expert.code)
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
    locked = _locked_answer(answer)
    _check_answer_round(locked)
    if not locked.out_of_scope_reason:
        raise _error("not_out_of_scope", code=locked.submission.expert.code)
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


@transaction.atomic
def statements_reorder(
    *, study: Study, domain: Domain | None, ordered_ids: Sequence[int], actor
) -> list[Statement]:
    """Put the active statements of one domain in the given order (1, 2, 3, …).

    `ordered_ids` must name exactly the domain's active statements; anything else means the
    page was stale (another researcher added or merged one), and is refused (`reorder_stale`)
    rather than guessed. A statement already sent to experts may move: its order in the study
    is not the order of that round's items. Raises `foreign_domain`.
    """
    _check_domain(study, domain)
    statements = {
        statement.pk: statement
        for statement in Statement.objects.select_for_update(of=("self",)).filter(
            study=study, domain=domain, status=Statement.Status.ACTIVE
        )
    }
    ordered = list(ordered_ids)
    if len(ordered) != len(set(ordered)) or set(ordered) != set(statements):
        raise _error("reorder_stale")
    changed = []
    for position, pk in enumerate(ordered, start=1):
        statement = statements[pk]
        if statement.order != position:
            statement.order = position
            changed.append(statement)
    Statement.objects.bulk_update(changed, ["order"])
    audit(
        study=study,
        actor=actor,
        action="coding.reorder",
        domain=domain.pk if domain else None,
        order=ordered,
    )
    return [statements[pk] for pk in ordered]
