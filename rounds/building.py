"""Building the next round: which statements a draft rating round asks about, and what feedback
from the previous round its experts see.

Round 2 is usually built from the study's active statements (the content analysis of round 1);
round 3 and later from a closed rating round, all of its statements or only those that did not
reach consensus in its frozen results. The researcher may add statements of their own or ones
suggested in the experts' comments, remove and reorder them, and choose the feedback.

Every change here is refused once the round has left the draft state: experts who have seen a
questionnaire must all have answered the same one. Each service locks the round row, which
`rounds.lifecycle.services.round_open` locks too, so a change cannot slip in while the round opens.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from panels.services import audit
from rounds.results import previous_results_for_round

from .models import (
    DEFAULT_CRITERION,
    Domain,
    ItemResult,
    Rating,
    Round,
    RoundItem,
    Statement,
    Submission,
)

RATED_KINDS = (Round.Kind.RATING, Round.Kind.CONFIRMATION)

# The round's settings a researcher chooses while building it (all shown to the expert).
FEEDBACK_FIELDS = (
    "show_median",
    "show_iqr",
    "show_own_previous",
    "show_distribution",
    "require_reason_outside_iqr",
    "allow_cannot_judge",
)

ERRORS = {
    "not_draft": _(
        "The statements and feedback of a round can change only while it is a draft; this "
        "round is %(status)s."
    ),
    "not_rated": _("Only a rating or confirmation round has statements to rate."),
    "no_statements": _(
        "The study has no active statements yet. Create them from the answers of the open "
        "round first."
    ),
    "foreign_statement": _(
        "Some of the chosen statements are not active statements of this study."
    ),
    "source_missing": _("Choose a round of this study to build from."),
    "source_not_rated": _("Statements can be carried over only from a rating round."),
    "source_not_closed": _(
        "%(round)s is not closed yet: its results are final only once it is closed."
    ),
    "source_not_before": _("Build from a round that comes before this one."),
    "source_empty": _("%(round)s has no active statements to carry over."),
    "all_consensus": _(
        "Every statement of %(round)s reached consensus, so none is left to carry over. "
        "Choose “all statements” instead, or build from the study's statements."
    ),
    "text_required": _("Write the statement."),
    "foreign_domain": _("This domain belongs to another study."),
    "bad_origin": _("A statement added here comes from the researcher or from a comment."),
    "foreign_comment": _("This comment is not from this study."),
    "foreign_item": _("This statement is not in this round."),
    "bad_direction": _("A statement moves up or down."),
    "not_confirmation": _("Only a confirmation round is built from the final model."),
    "bad_bands": _("Choose the bands a statement must reach to be part of the model."),
    "model_empty": _(
        "No statement of %(round)s reached the chosen band with consensus, so the model is empty."
    ),
}

# The final model: statements whose frozen median lies in one of these bands, with consensus.
FINAL_MODEL_BANDS = ("high", "highest")


def _error(code: str, **params) -> ValidationError:
    return ValidationError(ERRORS[code], code=code, params=params or None)


def _draft_rated_round(delphi_round: Round) -> Round:
    """The round re-read under lock, if its statements may still change."""
    # Lock: round_open locks the same row, so the items an expert sees are the ones that were
    # there when the round opened — no change can land between its check and its commit.
    locked = Round.objects.select_for_update().select_related("study").get(pk=delphi_round.pk)
    if locked.kind not in RATED_KINDS:
        raise _error("not_rated")
    if locked.status != Round.Status.DRAFT:
        raise _error("not_draft", status=locked.get_status_display())
    return locked


def _statement_order():
    # The order experts see: domain by domain (statements without a domain last), then the
    # statement's own order.
    return [F("domain__order").asc(nulls_last=True), "domain_id", "order", "pk"]


def _item_order():
    return [
        F("statement__domain__order").asc(nulls_last=True),
        "statement__domain_id",
        "order",
        "pk",
    ]


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


def _apply_feedback(delphi_round: Round, feedback: dict) -> dict:
    """Set the feedback settings named in `feedback`; return {field: [old, new]} of the changes."""
    unknown = set(feedback) - set(FEEDBACK_FIELDS)
    if unknown:
        raise TypeError(f"not feedback settings: {sorted(unknown)}")
    changed = {}
    for name, value in feedback.items():
        old = getattr(delphi_round, name)
        if old != bool(value):
            changed[name] = [old, bool(value)]
            setattr(delphi_round, name, bool(value))
    return changed


# --------------------------------------------------------------------------- filling a round


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
    locked = _draft_rated_round(delphi_round)
    active = Statement.objects.filter(study_id=locked.study_id, status=Statement.Status.ACTIVE)
    if statements is not None:
        wanted = {getattr(statement, "pk", statement) for statement in statements}
        active = active.filter(pk__in=wanted)
    statement_ids = list(active.order_by(*_statement_order()).values_list("pk", flat=True))
    if statements is not None and len(statement_ids) != len(wanted):
        raise _error("foreign_statement")
    if not statement_ids:
        raise _error("no_statements")
    count = _replace_items(locked, statement_ids)
    changed = _apply_feedback(locked, feedback or {})
    if changed:
        locked.save(update_fields=list(changed))
    _refresh_settings(delphi_round, locked)
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
    locked = _draft_rated_round(delphi_round)
    source = Round.objects.filter(pk=source_round.pk, study_id=locked.study_id).first()
    if source is None:
        raise _error("source_missing")
    if source.kind not in RATED_KINDS:
        raise _error("source_not_rated")
    if source.status != Round.Status.CLOSED:
        raise _error("source_not_closed", round=source.display_title)
    if source.number >= locked.number:
        raise _error("source_not_before")
    items = source.items.filter(statement__status=Statement.Status.ACTIVE)
    if not items.exists():
        raise _error("source_empty", round=source.display_title)
    if only_without_consensus:
        items = items.filter(
            Exists(ItemResult.objects.filter(item_id=OuterRef("pk"), consensus=False))
        )
    statement_ids = list(items.order_by(*_item_order()).values_list("statement_id", flat=True))
    if not statement_ids:
        raise _error("all_consensus", round=source.display_title)
    count = _replace_items(locked, statement_ids)
    changed = _apply_feedback(locked, feedback or {})
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
    _refresh_settings(delphi_round, locked)
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
    locked = _draft_rated_round(delphi_round)
    if locked.kind != Round.Kind.CONFIRMATION:
        raise _error("not_confirmation")
    bands = list(bands)
    if not bands or not set(bands) <= {"least", "low", "moderate", "high", "highest"}:
        raise _error("bad_bands")
    source = Round.objects.filter(pk=source_round.pk, study_id=locked.study_id).first()
    if source is None:
        raise _error("source_missing")
    if source.kind != Round.Kind.RATING:
        raise _error("source_not_rated")
    if source.status != Round.Status.CLOSED:
        raise _error("source_not_closed", round=source.display_title)
    if source.number >= locked.number:
        raise _error("source_not_before")
    reached = ItemResult.objects.filter(
        item_id=OuterRef("pk"), criterion=DEFAULT_CRITERION, consensus=True, band__in=bands
    )
    statement_ids = list(
        source.items.filter(statement__status=Statement.Status.ACTIVE)
        .filter(Exists(reached))
        .order_by(*_item_order())
        .values_list("statement_id", flat=True)
    )
    if not statement_ids:
        raise _error("model_empty", round=source.display_title)
    count = _replace_items(locked, statement_ids)
    changed = _apply_feedback(locked, dict.fromkeys(FEEDBACK_FIELDS, False))
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
    _refresh_settings(delphi_round, locked)
    delphi_round.criteria = locked.criteria
    return count


def last_closed_rating_round(delphi_round: Round) -> Round | None:
    """The latest closed rating round before this one: where a model usually comes from."""
    return (
        Round.objects.filter(
            study_id=delphi_round.study_id,
            kind=Round.Kind.RATING,
            status=Round.Status.CLOSED,
            number__lt=delphi_round.number,
        )
        .order_by("-number")
        .first()
    )


def _refresh_settings(target: Round, source: Round) -> None:
    """Let the caller's instance see the settings the service changed on its locked copy."""
    for name in (*FEEDBACK_FIELDS, "previous_round_id"):
        setattr(target, name, getattr(source, name))


@transaction.atomic
def round_feedback_set(*, delphi_round: Round, actor, **feedback) -> dict:
    """Choose what the round's experts see of the previous round; return the changes.

    Keyword arguments are FEEDBACK_FIELDS (booleans). Refused (`not_rated`, `not_draft`) once
    the round is open: every expert of a round sees the same feedback. Audited as
    "round.feedback" with each change's old and new value, when anything changed.
    """
    locked = _draft_rated_round(delphi_round)
    changed = _apply_feedback(locked, feedback)
    if changed:
        locked.save(update_fields=list(changed))
        audit(
            study=locked.study,
            actor=actor,
            action="round.feedback",
            number=locked.number,
            changes=changed,
        )
    _refresh_settings(delphi_round, locked)
    return changed


# --------------------------------------------------------------------------- editing the list


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
    locked = _draft_rated_round(delphi_round)
    text = (text or "").strip()
    if not text:
        raise _error("text_required")
    if domain is not None and domain.study_id != locked.study_id:
        raise _error("foreign_domain")
    if origin not in (Statement.Origin.RESEARCHER, Statement.Origin.COMMENT):
        raise _error("bad_origin")
    source = {}
    if comment is not None:
        comment = (
            Rating.objects.filter(pk=comment.pk, submission__delphi_round__study_id=locked.study_id)
            .select_related("submission__expert", "submission__delphi_round")
            .first()
        )
        if comment is None:
            raise _error("foreign_comment")
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
        raise _error("foreign_item")
    return found


@transaction.atomic
def round_item_remove(*, delphi_round: Round, item: RoundItem, actor) -> None:
    """Take a statement out of a draft rating round (the statement itself stays in the study).

    Raises ValidationError `not_rated`, `not_draft`, `foreign_item`. Audited.
    """
    locked = _draft_rated_round(delphi_round)
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
        raise _error("bad_direction")
    locked = _draft_rated_round(delphi_round)
    found = _item_of(locked, item)
    items = list(locked.items.select_related("statement").order_by(*_item_order()))
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


# --------------------------------------------------------------------------- reads for building


@dataclass
class BuildSource:
    """A closed rating round the next round can be built from."""

    delphi_round: Round
    items: int
    without_consensus: int


def round_items_for_building(delphi_round: Round) -> list[RoundItem]:
    """The round's items in the order experts see them, each with its `number` there and
    `previous_result` (the previous round's frozen result for the same statement, or None);
    two queries."""
    items = list(delphi_round.items.select_related("statement__domain").order_by(*_item_order()))
    results = previous_results_for_round(delphi_round)
    for number, item in enumerate(items, start=1):
        item.number = number
        item.previous_result = results.get((item.statement_id, DEFAULT_CRITERION))
    return items


def build_sources(delphi_round: Round) -> list[BuildSource]:
    """Closed rating rounds before this one, with how many statements have no consensus; one
    query."""
    rounds = (
        Round.objects.filter(
            study_id=delphi_round.study_id,
            kind__in=RATED_KINDS,
            status=Round.Status.CLOSED,
            number__lt=delphi_round.number,
        )
        .annotate(
            item_count=Count(
                "items",
                filter=Q(items__statement__status=Statement.Status.ACTIVE),
                distinct=True,
            ),
            without_consensus=Count(
                "items",
                filter=Q(
                    items__statement__status=Statement.Status.ACTIVE,
                    items__results__consensus=False,
                ),
                distinct=True,
            ),
        )
        .order_by("-number")
    )
    return [
        BuildSource(delphi_round=r, items=r.item_count, without_consensus=r.without_consensus)
        for r in rounds
    ]


def active_statement_count(delphi_round: Round) -> int:
    return Statement.objects.filter(
        study_id=delphi_round.study_id, status=Statement.Status.ACTIVE
    ).count()


def comments_of_previous_round(delphi_round: Round) -> QuerySet[Rating]:
    """The experts' comments in the round this one is built from (submitted answers only),
    by statement, with the expert's code — never the name; one query."""
    if delphi_round.previous_round_id is None:
        return Rating.objects.none()
    return (
        Rating.objects.filter(
            submission__delphi_round_id=delphi_round.previous_round_id,
            submission__status=Submission.Status.SUBMITTED,
        )
        .exclude(comment="")
        .select_related("item__statement__domain", "submission__expert")
        .order_by("item__order", "item__pk", "submission__expert__code")
    )


def comment_for_round(delphi_round: Round, comment_pk) -> Rating | None:
    """One comment of the previous round, to start a new statement from it."""
    if not str(comment_pk).isdigit():
        return None
    return comments_of_previous_round(delphi_round).filter(pk=int(comment_pk)).first()
