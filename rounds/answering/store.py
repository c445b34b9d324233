"""The statements every answering write is built from: the round's hold, upserts, the
submission's touch and lock, who keyed an answer in, and the proxy audit entry.

Not services of their own: each runs after the caller's rules (`rules.check_accepts`, …) and
inside the caller's transaction where it has one. The services in `services`, `submission`,
`suggestions` and `rounds.proxy.services` call them.
"""

from django.db import connection
from django.db.models import OuterRef
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from panels.models import Expert
from panels.services import audit
from rounds.models import Channel, OpenAnswer, Rating, Round, Submission

from .rules import check_accepts, deadline_override_subquery, remember_expert_deadline

# The audit action of every answer a researcher keys in for an expert (the proxy trail).
PROXY_ACTION = "answer.proxy"


def upsert_ratings(ratings: list[Rating]) -> None:
    if ratings:
        Rating.objects.bulk_create(
            ratings,
            update_conflicts=True,
            unique_fields=["submission", "item", "criterion"],
            update_fields=["value", "comment", "reason", "updated_at"],
        )


def upsert_open_answers(answers: list[OpenAnswer]) -> None:
    if answers:
        OpenAnswer.objects.bulk_create(
            answers,
            update_conflicts=True,
            unique_fields=["submission", "question", "position"],
            update_fields=["text", "updated_at"],
        )


def submission_touch(delphi_round: Round, expert: Expert) -> Submission:
    """The expert's web submission of the round, created if missing, marked changed now.

    One statement: the unique (round, expert) constraint settles a race between two tabs,
    and on PostgreSQL the conflict update also holds the row until the transaction ends.
    Only pk, round and expert of the returned object are loaded — not its status.
    """
    submission = Submission(delphi_round=delphi_round, expert=expert, channel=Channel.WEB)
    Submission.objects.bulk_create(
        [submission],
        update_conflicts=True,
        unique_fields=["delphi_round", "expert"],
        update_fields=["updated_at"],
    )
    return submission


def _round_state_held(round_pk: int, expert: Expert | int):
    """The round's status and deadline and the expert's personal deadline, read under a shared
    lock on the round's row that lasts until the transaction ends (one query).

    FOR SHARE (which Django's ORM cannot say): the answers of many experts hold the round
    together, while closing, reopening or moving a deadline (FOR UPDATE, rounds.lifecycle)
    waits for every answer in flight, and every answer after them reads what they changed.
    SQLite has no row locks and lets one transaction write at a time, so it reads plainly.
    """
    if not connection.in_atomic_block:
        raise TransactionManagementError("Holding the round needs a transaction.")
    query = (
        Round.objects.filter(pk=round_pk)
        .annotate(override=deadline_override_subquery(expert, OuterRef("pk")))
        .values_list("status", "closes_at", "override")
        .order_by()
    )
    if connection.vendor != "postgresql":
        return query.get()
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} FOR SHARE", params)
        return cursor.fetchone()


def round_hold(delphi_round: Round, expert: Expert, actor=None) -> None:
    """Hold the round until the transaction ends, and check under the hold that it still
    accepts this answer (RoundClosedError otherwise).

    Every write of an answer calls it (or `lock_submission`) before it writes, inside its
    transaction and before it touches the submission: the lock order is the round, then the
    submission. Closing the round waits for the answers in flight and freezes them; an answer
    after the close reads the round closed and is refused, never stored outside the frozen
    results. `delphi_round` takes the status and deadlines read under the hold.
    """
    status, closes_at, override = _round_state_held(delphi_round.pk, expert)
    delphi_round.status, delphi_round.closes_at = status, closes_at
    remember_expert_deadline(delphi_round, expert, override)
    check_accepts(delphi_round, expert, actor)


def lock_submission(submission: Submission) -> Submission:
    """The submission read again under a lock, with its round, study, expert and deadline.

    The round is held first (see `round_hold`; the caller runs `check_accepts` on what this
    returns), so the submission and the round's closing (which freezes the results) never
    interleave, and every answering write takes the round before the submission.
    """
    *_state, override = _round_state_held(submission.delphi_round_id, submission.expert_id)
    locked = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("delphi_round__study", "expert")
        .get(pk=submission.pk)
    )
    remember_expert_deadline(locked.delphi_round, locked.expert, override)
    return locked


def audit_proxy(submission: Submission, actor, **detail) -> None:
    audit(
        study=submission.delphi_round.study,
        actor=actor,
        action=PROXY_ACTION,
        expert=submission.expert.code,
        round=submission.delphi_round.number,
        **detail,
    )


def mark_entered_by(submission: Submission, actor) -> None:
    """Record the researcher who keyed in (part of) the submission, if not already them."""
    if submission.entered_by_id != actor.pk:
        submission.entered_by = actor
        submission.save(update_fields=["entered_by", "updated_at"])


def mark_submitted(submission: Submission, actor) -> None:
    submission.status = Submission.Status.SUBMITTED
    submission.submitted_at = timezone.now()
    fields = ["status", "submitted_at", "updated_at"]
    if actor is not None:
        submission.entered_by = actor
        fields.append("entered_by")
    submission.save(update_fields=fields)
