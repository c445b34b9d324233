"""Filling a draft round with its statements: from the study's active statements (round 2, after
the content analysis of round 1), from a closed rating round (all of its statements or only
those without consensus in its frozen results), or, for a confirmation round, from the final
model of a rating round. Each replaces the round's items and is audited as "round.build".
"""

from django.db import transaction
from django.db.models import Exists, OuterRef

from panels.services import audit
from rounds.models import DEFAULT_CRITERION, ItemResult, Round, RoundItem, Statement

from .rules import (
    FEEDBACK_FIELDS,
    FINAL_MODEL_BANDS,
    RATED_KINDS,
    apply_feedback,
    draft_rated_round,
    item_order,
    refresh_settings,
    refusal,
    statement_order,
)


def _replace_items(delphi_round: Round, statement_ids: list[int]) -> int:
    # A draft round has no answers, so its items can be dropped without losing any.
    RoundItem.objects.filter(delphi_round=delphi_round).delete()
    RoundItem.objects.bulk_create(
        [
            RoundItem(delphi_round=delphi_round, statement_id=statement_id, order=position)
            for position, statement_id in enumerate(statement_ids, start=1)
        ]
    )
    return len(statement_ids)


@transaction.atomic
def round_build_from_statements(
    *, delphi_round: Round, statements=None, actor, feedback: dict | None = None
) -> int:
    """Fill a draft rating round with the study's active statements; return how many.

    `statements` None takes every active statement of the study; otherwise exactly those
    (all must be active statements of the study: `foreign_statement`). Items are ordered by
    domain, then by the statement's order, and replace the round's current items. Raises
    ValidationError `not_rated`, `not_draft`, `no_statements`. Audited as "round.build".
    """
    locked = draft_rated_round(delphi_round)
    active = Statement.objects.filter(study_id=locked.study_id, status=Statement.Status.ACTIVE)
    if statements is not None:
        wanted = {getattr(statement, "pk", statement) for statement in statements}
        active = active.filter(pk__in=wanted)
    statement_ids = list(active.order_by(*statement_order()).values_list("pk", flat=True))
    if statements is not None and len(statement_ids) != len(wanted):
        raise refusal("foreign_statement")
    if not statement_ids:
        raise refusal("no_statements")
    count = _replace_items(locked, statement_ids)
    changed = apply_feedback(locked, feedback or {})
    if changed:
        locked.save(update_fields=list(changed))
    refresh_settings(delphi_round, locked)
    audit(
        study=locked.study,
        actor=actor,
        action="round.build",
        number=locked.number,
        source="statements",
        items=count,
        feedback=changed,
    )
    return count


@transaction.atomic
def round_build_from_round(
    *,
    delphi_round: Round,
    source_round: Round,
    only_without_consensus: bool,
    actor,
    feedback: dict | None = None,
) -> int:
    """Fill a draft rating round from a closed rating round's statements; return how many.

    All of the source's statements, or with `only_without_consensus` only those whose frozen
    result (any criterion) says no consensus — never recomputed: the figures the committee saw
    decide. Statements since merged or set aside in the content analysis are left out. The
    items keep the source's order and replace the round's current ones; the source becomes
    the round's previous round (whose results the experts see as feedback) and `feedback`
    (FEEDBACK_FIELDS) sets what they see. Raises ValidationError `not_rated`, `not_draft`,
    `source_missing`, `source_not_rated`, `source_not_closed`, `source_not_before`,
    `source_empty`, `all_consensus`; nothing changes then. Audited as "round.build".
    """
    locked = draft_rated_round(delphi_round)
    source = Round.objects.filter(pk=source_round.pk, study_id=locked.study_id).first()
    if source is None:
        raise refusal("source_missing")
    if source.kind not in RATED_KINDS:
        raise refusal("source_not_rated")
    if source.status != Round.Status.CLOSED:
        raise refusal("source_not_closed", round=source.display_title)
    if source.number >= locked.number:
        raise refusal("source_not_before")
    items = source.items.filter(statement__status=Statement.Status.ACTIVE)
    if not items.exists():
        raise refusal("source_empty", round=source.display_title)
    if only_without_consensus:
        items = items.filter(
            Exists(ItemResult.objects.filter(item_id=OuterRef("pk"), consensus=False))
        )
    statement_ids = list(items.order_by(*item_order()).values_list("statement_id", flat=True))
    if not statement_ids:
        raise refusal("all_consensus", round=source.display_title)
    count = _replace_items(locked, statement_ids)
    changed = apply_feedback(locked, feedback or {})
    locked.previous_round = source
    locked.save(update_fields=["previous_round", *changed])
    audit(
        study=locked.study,
        actor=actor,
        action="round.build",
        number=locked.number,
        source="round",
        source_number=source.number,
        only_without_consensus=bool(only_without_consensus),
        items=count,
        feedback=changed,
    )
    refresh_settings(delphi_round, locked)
    return count


@transaction.atomic
def round_build_final_model(
    *, delphi_round: Round, source_round: Round, actor, bands=FINAL_MODEL_BANDS
) -> int:
    """Fill a draft confirmation round with the final model of a closed rating round.

    The model is the source's active statements whose frozen result (the ordinary rating
    criterion) has its median band in `bands` (default high or highest) and consensus — read
    from the ItemResult rows the committee saw, never recomputed. Items keep the source's
    order (domain by domain) and replace the round's current ones; the researcher may then
    remove, move or add items as in any draft. The source becomes the round's previous round
    (a record of where the model came from), but the second panel sees none of the first
    panel's figures: the feedback settings are all switched off. A round whose criteria were
    never chosen gets the default criteria stored. Raises ValidationError `not_rated`,
    `not_draft`, `not_confirmation`, `bad_bands`, `source_missing`, `source_not_rated` (the
    source must be a rating round), `source_not_closed`, `source_not_before`,
    `model_empty`. Audited as "round.build" with source "final_model".
    """
    locked = draft_rated_round(delphi_round)
    if locked.kind != Round.Kind.CONFIRMATION:
        raise refusal("not_confirmation")
    bands = list(bands)
    if not bands or not set(bands) <= {"least", "low", "moderate", "high", "highest"}:
        raise refusal("bad_bands")
    source = Round.objects.filter(pk=source_round.pk, study_id=locked.study_id).first()
    if source is None:
        raise refusal("source_missing")
    if source.kind != Round.Kind.RATING:
        raise refusal("source_not_rated")
    if source.status != Round.Status.CLOSED:
        raise refusal("source_not_closed", round=source.display_title)
    if source.number >= locked.number:
        raise refusal("source_not_before")
    reached = ItemResult.objects.filter(
        item_id=OuterRef("pk"), criterion=DEFAULT_CRITERION, consensus=True, band__in=bands
    )
    statement_ids = list(
        source.items.filter(statement__status=Statement.Status.ACTIVE)
        .filter(Exists(reached))
        .order_by(*item_order())
        .values_list("statement_id", flat=True)
    )
    if not statement_ids:
        raise refusal("model_empty", round=source.display_title)
    count = _replace_items(locked, statement_ids)
    changed = apply_feedback(locked, dict.fromkeys(FEEDBACK_FIELDS, False))
    locked.previous_round = source
    fields = ["previous_round", *changed]
    if not locked.criteria:
        locked.criteria = locked.rating_criteria
        fields.append("criteria")
    locked.save(update_fields=fields)
    audit(
        study=locked.study,
        actor=actor,
        action="round.build",
        number=locked.number,
        source="final_model",
        source_number=source.number,
        bands=bands,
        items=count,
        feedback=changed,
    )
    refresh_settings(delphi_round, locked)
    delphi_round.criteria = locked.criteria
    return count
