"""Asking experts to answer: queueing invitation and reminder e-mails, and their links.

E-mails never go out inside a request. The services below mark the chosen invitations as queued
and enqueue one task per expert (rounds.lifecycle.tasks); the task sends that one e-mail and
records the outcome on the invitation.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from panels.models import Expert
from panels.services import audit
from rounds.links import expert_link_reissue, expert_link_revoke
from rounds.models import Invitation, Round, Submission

from .emails import INVITATION, REMINDER
from .selectors import personal_deadline
from .tasks import invitation_email_send

ERRORS = {
    "not_open": _("E-mails can only be sent while the round is open."),
    "foreign_expert": _("Some of the chosen experts are not on the round's panel."),
}


@dataclass
class SendReport:
    """Which experts were queued for an e-mail, and why the others were left out."""

    queued: list[Expert] = field(default_factory=list)
    no_email: list[Expert] = field(default_factory=list)
    link_revoked: list[Expert] = field(default_factory=list)
    already_queued: list[Expert] = field(default_factory=list)
    deadline_passed: list[Expert] = field(default_factory=list)


def _require_open(delphi_round: Round) -> None:
    if delphi_round.status != Round.Status.OPEN:
        raise ValidationError(ERRORS["not_open"], code="not_open")


def _sort(
    invitations, report: SendReport, *, now: datetime.datetime, delphi_round: Round
) -> list[int]:
    """Put each invitation's expert in the report; the pks of those to be queued."""
    queued = []
    for invitation in invitations:
        expert = invitation.expert
        if not expert.email:
            report.no_email.append(expert)
        elif expert.link_revoked_at is not None:
            report.link_revoked.append(expert)
        elif invitation.send_status == Invitation.SendStatus.QUEUED:
            report.already_queued.append(expert)
        elif (deadline := personal_deadline(invitation, delphi_round)) and deadline <= now:
            report.deadline_passed.append(expert)
        else:
            report.queued.append(expert)
            queued.append(invitation.pk)
    return queued


def _enqueue(*, invitation_pks: list[int], kind: str, base_url: str) -> None:
    """One task per e-mail, so one bad address cannot hold up the others.

    Enqueued inside the caller's transaction on purpose: with the database task backend the task
    rows commit together with the invitations' "queued" status, or not at all. Enqueueing after
    commit would leave invitations marked queued, and skipped by "send to all", if the process
    died in between.
    """
    for pk in invitation_pks:
        invitation_email_send.enqueue(invitation_pk=pk, kind=kind, base_url=base_url)


def _mark_queued(invitation_pks: list[int]) -> None:
    Invitation.objects.filter(pk__in=invitation_pks).update(
        send_status=Invitation.SendStatus.QUEUED, send_error=""
    )


@transaction.atomic
def invitations_send(
    *,
    delphi_round: Round,
    experts: list[Expert] | None = None,
    actor,
    base_url: str,
) -> SendReport:
    """Queue the invitation e-mail for the chosen experts, or for all not yet sent.

    Without `experts`, every expert whose invitation was never sent or failed is chosen, so
    pressing the button twice sends nobody two e-mails. Chosen experts without an e-mail address,
    with a revoked link, already in the queue or past their deadline are left out and named in
    the returned report. Raises ValidationError `not_open` unless the round is open, and
    `foreign_expert` for experts of another panel.
    """
    _require_open(delphi_round)
    panel_experts = Expert.objects.filter(panel_id=delphi_round.panel_id)
    if experts is None:
        chosen_ids = list(panel_experts.values_list("pk", flat=True))
    else:
        chosen_ids = [expert.pk for expert in experts]
        if panel_experts.filter(pk__in=chosen_ids).count() != len(set(chosen_ids)):
            raise ValidationError(ERRORS["foreign_expert"], code="foreign_expert")
    # Experts added to the panel after the round opened have no invitation yet.
    Invitation.objects.bulk_create(
        [Invitation(delphi_round=delphi_round, expert_id=pk) for pk in chosen_ids],
        ignore_conflicts=True,
    )
    invitations = (
        Invitation.objects.filter(delphi_round=delphi_round, expert_id__in=chosen_ids)
        .select_related("expert")
        .order_by("expert__code")
    )
    if experts is None:
        invitations = invitations.filter(
            send_status__in=[Invitation.SendStatus.NOT_SENT, Invitation.SendStatus.FAILED]
        )
    # Lock: a double click or a colleague pressing the same button waits here and then finds
    # these invitations queued, instead of sending every e-mail twice.
    invitations = invitations.select_for_update(of=("self",))
    return _queue(
        invitations, delphi_round=delphi_round, actor=actor, kind=INVITATION, base_url=base_url
    )


@transaction.atomic
def reminders_send(*, delphi_round: Round, actor, base_url: str) -> SendReport:
    """Queue a reminder for every invited expert who has not submitted yet.

    Those who submitted are never reminded (the task checks again just before sending, as an
    expert may submit while the reminder waits in the queue). Leaves out, and reports, experts
    without e-mail, with a revoked link, already queued or past their deadline.
    Raises ValidationError `not_open` unless the round is open.
    """
    _require_open(delphi_round)
    submitted = Submission.objects.filter(
        delphi_round=delphi_round,
        expert=OuterRef("expert"),
        status=Submission.Status.SUBMITTED,
    )
    invitations = (
        Invitation.objects.filter(delphi_round=delphi_round)
        .filter(~Exists(submitted))
        .select_related("expert")
        .order_by("expert__code")
        # Lock: see invitations_send — a double click must not remind anyone twice.
        .select_for_update(of=("self",))
    )
    return _queue(
        invitations, delphi_round=delphi_round, actor=actor, kind=REMINDER, base_url=base_url
    )


def _queue(invitations, *, delphi_round: Round, actor, kind: str, base_url: str) -> SendReport:
    """Mark the sendable invitations queued, audit, and hand one task per e-mail to the worker."""
    report = SendReport()
    pks = _sort(invitations, report, now=timezone.now(), delphi_round=delphi_round)
    _mark_queued(pks)
    audit(
        study=delphi_round.study,
        actor=actor,
        action="invitation.send" if kind == INVITATION else "reminder.send",
        number=delphi_round.number,
        experts=[expert.code for expert in report.queued],
    )
    _enqueue(invitation_pks=pks, kind=kind, base_url=base_url)
    return report


@transaction.atomic
def link_revoke(*, expert: Expert, actor) -> None:
    """Stop the expert's personal link from working, in every round of the study."""
    expert_link_revoke(expert=expert)
    audit(study=expert.panel.study, actor=actor, action="expert.link_revoke", expert=expert.code)


@transaction.atomic
def link_reissue(*, expert: Expert, actor) -> str:
    """Give the expert a new personal link; every earlier one stops working."""
    token = expert_link_reissue(expert=expert)
    audit(study=expert.panel.study, actor=actor, action="expert.link_reissue", expert=expert.code)
    return token
