"""The statements every answering write is built from: upserts, the submission's touch and lock,
who keyed an answer in, and the proxy audit entry.

Not services of their own: each runs after the caller's rules (`rules.check_accepts`, …) and
inside the caller's transaction where it has one. The services in `services`, `submission`,
`suggestions` and `rounds.proxy.services` call them.
"""

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from panels.models import Expert
from panels.services import audit
from rounds.models import Channel, Invitation, OpenAnswer, Rating, Round, Submission

from .rules import remember_expert_deadline

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


def lock_submission(submission: Submission) -> Submission:
    """The submission read again under a lock, with its round, study, expert and deadline."""
    # Locks the round row too: a submission and the round's closing (which freezes the
    # results) must not interleave, or an answer could be accepted after the freeze read.
    locked = (
        Submission.objects.select_for_update(of=("self", "delphi_round"))
        .select_related("delphi_round__study", "expert")
        .annotate(
            expert_deadline_override=Subquery(
                Invitation.objects.filter(
                    delphi_round=OuterRef("delphi_round"), expert=OuterRef("expert")
                ).values("deadline_override")[:1]
            )
        )
        .get(pk=submission.pk)
    )
    remember_expert_deadline(locked.delphi_round, locked.expert, locked.expert_deadline_override)
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
