"""Statements drawn from answers: create, link and unlink sources, edit, reorder, move."""

from collections.abc import Iterable, Sequence

from django.db import transaction

from panels.models import Study
from panels.services import audit
from rounds.models import Domain, OpenAnswer, Statement, StatementSource

from .checks import (
    check_active,
    check_answers,
    check_domain,
    check_not_in_use,
    clean_text,
    excerpt,
    link_sources,
    locked_statements,
    next_order,
    refusal,
)


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
    text = clean_text(text)
    check_domain(study, domain)
    locked = check_answers(study=study, answers=answers)
    statement = Statement(
        study=study,
        domain=domain,
        text=text,
        order=next_order(study, domain),
        origin=Statement.Origin.ANSWERS,
    )
    statement.full_clean()
    statement.save()
    link_sources(statement, [answer.pk for answer in locked])
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
    statement = locked_statements([statement.pk])[statement.pk]
    check_active(statement)
    locked = check_answers(study=statement.study, answers=answers)
    added = link_sources(statement, [answer.pk for answer in locked])
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
    statement = locked_statements([statement.pk])[statement.pk]
    deleted, _per_model = StatementSource.objects.filter(
        statement=statement, answer_id=answer.pk
    ).delete()
    if not deleted:
        raise refusal("not_a_source")
    audit(
        study=statement.study,
        actor=actor,
        action="coding.remove_source",
        statement=statement.pk,
        answer=answer.pk,
    )
    return statement


@transaction.atomic
def statement_edit(
    *, statement: Statement, text: str, domain: Domain | None, actor, version: int | None = None
) -> Statement:
    """Change a statement's wording and/or domain (moving it last in the new domain).

    `version` is the statement's version the edit form was opened at: when a colleague has
    saved the statement since, the edit is refused (`stale`) rather than overwriting their
    change — unless it asks for exactly what the statement already says. None skips the
    check (a caller that read the statement in the same breath). Refused (`in_use`) once a
    round that shows the statement has been sent to experts, because their ratings belong
    to the old words; a draft round's items may still change. Also raises `blank`,
    `foreign_domain` and `not_active`.
    """
    locked = locked_statements([statement.pk])[statement.pk]
    text = clean_text(text)
    check_domain(locked.study, domain)
    check_active(locked)
    domain_id = domain.pk if domain else None
    if text == locked.text and domain_id == locked.domain_id:
        return locked
    if version is not None and version != locked.version:
        raise refusal("stale", statement=excerpt(locked.text, 200))
    check_not_in_use(locked)
    old_text, old_domain = locked.text, locked.domain_id
    if domain_id != locked.domain_id:
        locked.order = next_order(locked.study, domain)
    locked.text = text
    locked.domain = domain
    locked.version += 1
    locked.full_clean()
    locked.save(update_fields=["text", "domain", "order", "version"])
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
def statements_reorder(
    *, study: Study, domain: Domain | None, ordered_ids: Sequence[int], actor
) -> list[Statement]:
    """Put the active statements of one domain in the given order (1, 2, 3, …).

    `ordered_ids` must name exactly the domain's active statements; anything else means the
    page was stale (another researcher added or merged one), and is refused (`reorder_stale`)
    rather than guessed. A statement already sent to experts may move: its order in the study
    is not the order of that round's items. Raises `foreign_domain`.
    """
    check_domain(study, domain)
    statements = {
        statement.pk: statement
        for statement in Statement.objects.select_for_update(of=("self",)).filter(
            study=study, domain=domain, status=Statement.Status.ACTIVE
        )
    }
    ordered = list(ordered_ids)
    if len(ordered) != len(set(ordered)) or set(ordered) != set(statements):
        raise refusal("reorder_stale")
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


@transaction.atomic
def statement_move(*, study: Study, statement: Statement, direction: str, actor) -> list[Statement]:
    """Move a statement one place up ("up") or down (anything else) among its domain's active
    statements; at either end, or for a statement that is not active, the order stays as it is.

    Goes through `statements_reorder`, so it is audited as "coding.reorder" and refused
    (`reorder_stale`) like it.
    """
    ordered = list(
        Statement.objects.filter(
            study=study, domain=statement.domain, status=Statement.Status.ACTIVE
        )
        .order_by("order", "pk")
        .values_list("pk", flat=True)
    )
    step = -1 if direction == "up" else 1
    if statement.pk in ordered:
        here = ordered.index(statement.pk)
        there = here + step
        if 0 <= there < len(ordered):
            ordered[here], ordered[there] = ordered[there], ordered[here]
    return statements_reorder(
        study=study, domain=statement.domain, ordered_ids=ordered, actor=actor
    )
