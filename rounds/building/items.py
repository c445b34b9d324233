"""Editing the list of a draft round by hand: a statement added (the researcher's own or one
suggested in an expert's comment), removed or moved, and the feedback its experts see."""

from django.db import transaction
from django.db.models import Max

from panels.services import audit
from rounds.models import Domain, Rating, Round, RoundItem, Statement

from .rules import apply_feedback, draft_rated_round, item_order, refresh_settings, refusal


@transaction.atomic
def round_feedback_set(*, delphi_round: Round, actor, **feedback) -> dict:
    """Choose what the round's experts see of the previous round; return the changes.

    Keyword arguments are FEEDBACK_FIELDS (booleans). Refused (`not_rated`, `not_draft`) once
    the round is open: every expert of a round sees the same feedback. Audited as
    "round.feedback" with each change's old and new value, when anything changed.
    """
    locked = draft_rated_round(delphi_round)
    changed = apply_feedback(locked, feedback)
    if changed:
        locked.save(update_fields=list(changed))
        audit(
            study=locked.study,
            actor=actor,
            action="round.feedback",
            number=locked.number,
            changes=changed,
        )
    refresh_settings(delphi_round, locked)
    return changed


@transaction.atomic
def round_item_add(
    *,
    delphi_round: Round,
    text: str,
    domain: Domain | None,
    origin: str = Statement.Origin.RESEARCHER,
    actor,
    comment: Rating | None = None,
) -> RoundItem:
    """Add a new statement to a draft rating round, at the end of its domain.

    `origin` says where the statement came from: the researcher, or an expert's comment
    (`comment`, a rating with that comment, is then kept in the audit entry with the expert's
    code). The statement joins the study's active statements, so later rounds can carry it.
    Raises ValidationError `not_rated`, `not_draft`, `text_required`, `foreign_domain`,
    `bad_origin`, `foreign_comment`.
    """
    locked = draft_rated_round(delphi_round)
    text = (text or "").strip()
    if not text:
        raise refusal("text_required")
    if domain is not None and domain.study_id != locked.study_id:
        raise refusal("foreign_domain")
    if origin not in (Statement.Origin.RESEARCHER, Statement.Origin.COMMENT):
        raise refusal("bad_origin")
    source = {}
    if comment is not None:
        comment = (
            Rating.objects.filter(pk=comment.pk, submission__delphi_round__study_id=locked.study_id)
            .select_related("submission__expert", "submission__delphi_round")
            .first()
        )
        if comment is None:
            raise refusal("foreign_comment")
        origin = Statement.Origin.COMMENT
        source = {
            "comment": comment.pk,
            "expert": comment.submission.expert.code,
            "comment_round": comment.submission.delphi_round.number,
        }
    last = Statement.objects.filter(study_id=locked.study_id, domain=domain).aggregate(
        last=Max("order")
    )["last"]
    statement = Statement(
        study_id=locked.study_id,
        domain=domain,
        order=(last or 0) + 1,
        text=text,
        origin=origin,
    )
    statement.full_clean()
    statement.save()
    last_item = locked.items.aggregate(last=Max("order"))["last"]
    item = RoundItem.objects.create(
        delphi_round=locked, statement=statement, order=(last_item or 0) + 1
    )
    audit(
        study=locked.study,
        actor=actor,
        action="round.item_add",
        number=locked.number,
        statement=statement.pk,
        origin=origin,
        **source,
    )
    return item


def _item_of(locked: Round, item: RoundItem) -> RoundItem:
    found = (
        RoundItem.objects.filter(pk=getattr(item, "pk", item), delphi_round=locked)
        .select_related("statement")
        .first()
    )
    if found is None:
        raise refusal("foreign_item")
    return found


@transaction.atomic
def round_item_remove(*, delphi_round: Round, item: RoundItem, actor) -> None:
    """Take a statement out of a draft rating round (the statement itself stays in the study).

    Raises ValidationError `not_rated`, `not_draft`, `foreign_item`. Audited.
    """
    locked = draft_rated_round(delphi_round)
    found = _item_of(locked, item)
    found.delete()
    audit(
        study=locked.study,
        actor=actor,
        action="round.item_remove",
        number=locked.number,
        statement=found.statement_id,
        text=found.statement.text[:200],
    )


@transaction.atomic
def round_item_move(*, delphi_round: Round, item: RoundItem, direction: str, actor) -> bool:
    """Move a statement one place up or down within its domain; False when it is already at
    that end.

    Experts see the statements domain by domain, so a statement moves among its domain's
    statements; the round's items are then numbered 1, 2, 3… in the order experts see them.
    Raises ValidationError `not_rated`, `not_draft`, `foreign_item`, `bad_direction`.
    """
    if direction not in ("up", "down"):
        raise refusal("bad_direction")
    locked = draft_rated_round(delphi_round)
    found = _item_of(locked, item)
    items = list(locked.items.select_related("statement").order_by(*item_order()))
    position = next(i for i, candidate in enumerate(items) if candidate.pk == found.pk)
    other = position - 1 if direction == "up" else position + 1
    if not 0 <= other < len(items) or (
        items[other].statement.domain_id != found.statement.domain_id
    ):
        return False
    items[position], items[other] = items[other], items[position]
    changed = []
    for number, candidate in enumerate(items, start=1):
        if candidate.order != number:
            candidate.order = number
            changed.append(candidate)
    RoundItem.objects.bulk_update(changed, ["order"])
    return True
