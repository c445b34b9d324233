"""A round's life: draft → open → closed (→ reopened → closed again), and its deadlines.

Opening invites the whole panel, and the first rating round to open fixes the study's consensus
rules (panels.protocol); closing freezes the results that the next round's feedback and every
report read. Reopening needs a reason, and closing again freezes afresh. All lock the round row,
so they cannot interleave with each other, with an expert's answer (which holds the same row,
see rounds.answering), with a change of the round's statements (rounds.building) or with an
edit of a draft round's settings (rounds.setup.services).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from panels.models import Expert
from panels.protocol import protocol_lock
from panels.services import audit
from rounds.models import Invitation, ItemResult, Round
from rounds.results import round_results_freeze

ERRORS = {
    "not_draft": _("Only a draft round can be opened; this round is already %(status)s."),
    "no_questions": _("Add at least one question before opening the round."),
    "no_items": _("Add at least one statement before opening the round."),
    "no_experts": _("The round's panel has no experts yet: add them before opening the round."),
    "deadline_passed": _(
        "The round's deadline has already passed: set a later deadline before opening it."
    ),
    "not_open": _("Only an open round can be closed; this round is %(status)s."),
    "closed": _("The round is closed: its deadline can no longer change."),
    "deadline_past": _("The new deadline must lie in the future."),
    "before_opening": _("The new deadline must come after the round opened."),
    "not_invited": _("Personal deadlines can be given once the round is open."),
    "foreign_expert": _("This expert is not on the round's panel."),
    "no_round_deadline": _(
        "The round has no deadline, so no expert needs a later one. Set the round's deadline "
        "instead."
    ),
    "not_later": _("A personal deadline must be later than the round's deadline."),
    "not_closed": _("Only a closed round can be reopened; this round is %(status)s."),
    "reason_required": _("Say why the round is reopened: the reason is kept in the study's log."),
    "feeds_later_round": _(
        "%(round)s was built from this round's results and has already been sent to experts, "
        "so these results can no longer change."
    ),
}


def _error(code: str, **params) -> ValidationError:
    return ValidationError(ERRORS[code], code=code, params=params or None)


def _locked(delphi_round: Round) -> Round:
    return Round.objects.select_for_update().select_related("study").get(pk=delphi_round.pk)


def _refresh(target: Round, source: Round, fields: list[str]) -> None:
    """Let the caller's instance see what the service changed on its locked copy."""
    for field in fields:
        setattr(target, field, getattr(source, field))


@transaction.atomic
def round_open(*, delphi_round: Round, actor) -> Round:
    """Open a draft round and invite every expert of its panel.

    Refuses (ValidationError with code) a round that is not a draft (`not_draft`), an open round
    without questions (`no_questions`), a rating or confirmation round without statements
    (`no_items`), an empty panel (`no_experts`) and a deadline already past (`deadline_passed`).
    An Invitation row is made for every expert; existing rows are kept, so a retry is harmless.
    E-mails are not sent here: the researcher chooses the channel on the tracking page.
    """
    # Lock: two researchers pressing "Open" together must not both pass the draft check.
    locked = _locked(delphi_round)
    if locked.status != Round.Status.DRAFT:
        raise _error("not_draft", status=locked.get_status_display())
    if locked.kind == Round.Kind.OPEN:
        if not locked.questions.exists():
            raise _error("no_questions")
    elif not locked.items.exists():
        raise _error("no_items")
    expert_ids = list(Expert.objects.filter(panel_id=locked.panel_id).values_list("pk", flat=True))
    if not expert_ids:
        raise _error("no_experts")
    now = timezone.now()
    if locked.closes_at is not None and locked.closes_at <= now:
        raise _error("deadline_passed")

    Invitation.objects.bulk_create(
        [Invitation(delphi_round=locked, expert_id=pk) for pk in expert_ids],
        ignore_conflicts=True,
    )
    locked.status = Round.Status.OPEN
    if locked.opens_at is None:
        locked.opens_at = now
    locked.save(update_fields=["status", "opens_at"])
    audit(
        study=locked.study,
        actor=actor,
        action="round.open",
        number=locked.number,
        invited=len(expert_ids),
    )
    if locked.kind != Round.Kind.OPEN:
        # Protocol: the consensus and stopping rules are fixed before the first rating is
        # given, so nobody can choose them after seeing the data.
        protocol_lock(study=locked.study, actor=actor, round_number=locked.number, at=now)
    _refresh(delphi_round, locked, ["status", "opens_at"])
    return locked


@transaction.atomic
def round_close(*, delphi_round: Round, actor) -> Round:
    """Close an open round and, for rating and confirmation rounds, freeze its results.

    Refuses a round that is not open (`not_open`). The results are frozen in the same
    transaction, so a closed rating round always has its ItemResult rows.
    """
    # Lock: every write of an answer holds the same row (rounds.answering.store.round_hold),
    # so every answer is either in before the results are frozen or refused as late — never
    # stored outside both.
    locked = _locked(delphi_round)
    if locked.status != Round.Status.OPEN:
        raise _error("not_open", status=locked.get_status_display())
    locked.status = Round.Status.CLOSED
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    frozen = replaced = 0
    if locked.kind in (Round.Kind.RATING, Round.Kind.CONFIRMATION):
        # Results already frozen mean the round was closed before and reopened since.
        replaced = ItemResult.objects.filter(item__delphi_round=locked).count()
        frozen = round_results_freeze(delphi_round=locked)
    detail = {"number": locked.number, "results": frozen}
    if replaced:
        detail |= {"refreeze": True, "replaced": replaced}
    audit(study=locked.study, actor=actor, action="round.close", **detail)
    _refresh(delphi_round, locked, ["status", "closed_at"])
    return locked


@transaction.atomic
def round_reopen(
    *,
    delphi_round: Round,
    actor,
    reason: str,
    closes_at: datetime.datetime | None = None,
) -> Round:
    """Open a closed round again, for a reason that the audit log keeps ("round.reopen").

    The frozen results stay until the round is closed again, which freezes them afresh (the
    "round.close" entry then says `refreeze`). With `closes_at`, the round also gets that new
    deadline (same rules as `round_deadline_extend`), so experts can answer again; without it a
    deadline already past still stops the experts, while researchers can key in answers that
    came on paper. Refuses a round that is not closed (`not_closed`), an empty reason
    (`reason_required`), and a round whose results fed a later round that experts have already
    seen (`feeds_later_round`): their feedback must keep matching the frozen figures.
    """
    reason = (reason or "").strip()
    if not reason:
        raise _error("reason_required")
    # Lock: two researchers reopening (or one reopening while another closes) must not both
    # pass the status check.
    locked = _locked(delphi_round)
    if locked.status != Round.Status.CLOSED:
        raise _error("not_closed", status=locked.get_status_display())
    fed = locked.next_rounds.exclude(status=Round.Status.DRAFT).order_by("number").first()
    if fed is not None:
        raise _error("feeds_later_round", round=fed.display_title)
    locked.status = Round.Status.OPEN
    # Open again: it has no closing time until it is closed again.
    locked.closed_at = None
    locked.save(update_fields=["status", "closed_at"])
    audit(
        study=locked.study,
        actor=actor,
        action="round.reopen",
        number=locked.number,
        reason=reason,
    )
    _refresh(delphi_round, locked, ["status", "closed_at"])
    if closes_at is not None and closes_at != locked.closes_at:
        # Any refusal here rolls the reopening back with it: one decision, one outcome.
        locked = round_deadline_extend(delphi_round=delphi_round, closes_at=closes_at, actor=actor)
    return locked


def _iso(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value else None


@transaction.atomic
def round_deadline_extend(
    *,
    delphi_round: Round,
    closes_at: datetime.datetime,
    actor,
    expert: Expert | None = None,
) -> Round:
    """Move the deadline of the whole round, or give one expert a later personal deadline.

    For the whole round (draft or open) the new deadline must lie in the future and after the
    opening; personal deadlines that the new one overtakes are dropped, because a personal
    deadline exists to give more time, never less. For one expert (open rounds only), the new
    deadline must be later than the round's. Raises ValidationError with codes `closed`,
    `deadline_past`, `before_opening`, `not_invited`, `foreign_expert`, `no_round_deadline`,
    `not_later`. Every change is audited with the old and new value.
    """
    # Lock: closing the round at the same moment must not leave an extended closed round.
    locked = _locked(delphi_round)
    if locked.status == Round.Status.CLOSED:
        raise _error("closed")
    if closes_at <= timezone.now():
        raise _error("deadline_past")
    if locked.opens_at is not None and closes_at <= locked.opens_at:
        raise _error("before_opening")

    if expert is None:
        old = locked.closes_at
        locked.closes_at = closes_at
        locked.save(update_fields=["closes_at"])
        Invitation.objects.filter(delphi_round=locked, deadline_override__lte=closes_at).update(
            deadline_override=None
        )
        audit(
            study=locked.study,
            actor=actor,
            action="round.deadline",
            number=locked.number,
            old=_iso(old),
            new=_iso(closes_at),
        )
        _refresh(delphi_round, locked, ["closes_at"])
        return locked

    if expert.panel_id != locked.panel_id:
        raise _error("foreign_expert")
    if locked.status != Round.Status.OPEN:
        raise _error("not_invited")
    if locked.closes_at is None:
        raise _error("no_round_deadline")
    if closes_at <= locked.closes_at:
        raise _error("not_later")
    invitation, _created = Invitation.objects.select_for_update().get_or_create(
        delphi_round=locked, expert=expert
    )
    old = invitation.deadline_override
    invitation.deadline_override = closes_at
    invitation.save(update_fields=["deadline_override"])
    audit(
        study=locked.study,
        actor=actor,
        action="round.deadline_expert",
        number=locked.number,
        expert=expert.code,
        old=_iso(old),
        new=_iso(closes_at),
    )
    return locked
