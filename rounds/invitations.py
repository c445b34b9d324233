"""Asking experts to answer: invitation and reminder e-mails, LINE text, and the tracking read.

E-mails never go out inside a request. The services below mark the chosen invitations as queued
and enqueue one task per expert (rounds.tasks); the task sends that one e-mail and records the
outcome on the invitation. E-mails and LINE messages are
written in the study's language, whatever language the researcher's screen is in.
"""

import datetime
import logging
import re
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from analysis import stats
from panels.models import Expert, Study
from panels.services import audit

from .links import expert_link_reissue, expert_link_revoke, expert_link_url
from .models import Invitation, Round, Submission

logger = logging.getLogger(__name__)

INVITATION = "invitation"
REMINDER = "reminder"
KINDS = (INVITATION, REMINDER)

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


def personal_deadline(invitation: Invitation | None, delphi_round: Round):
    """The deadline one expert works to, from rows already loaded.

    The same rule as rounds.answering.answering_deadline (the personal deadline, else the
    round's), applied without a query so that pages listing a whole panel stay at a fixed
    number of queries. A test keeps the two in agreement.
    """
    if invitation is not None and invitation.deadline_override is not None:
        return invitation.deadline_override
    return delphi_round.closes_at


def study_title(study: Study) -> str:
    """The title in the study's language (the English title for English studies, if given)."""
    if study.language == Study.Language.ENGLISH and study.title_en:
        return study.title_en
    return study.title


def _researcher_name(study: Study) -> str:
    owner = study.owner
    return owner.get_full_name() or owner.get_username()


def _email_context(*, invitation: Invitation, url: str) -> dict:
    delphi_round = invitation.delphi_round
    study = delphi_round.study
    return {
        "study": study,
        "study_title": study_title(study),
        "round": delphi_round,
        "expert": invitation.expert,
        "url": url,
        "deadline": personal_deadline(invitation, delphi_round),
        "researcher": _researcher_name(study),
        "reminder": None,
    }


def _tidy(text: str) -> str:
    """Template tags leave blank lines behind; a plain-text e-mail keeps one between paragraphs."""
    return re.sub(r"\n\s*\n(\s*\n)+", "\n\n", text).strip() + "\n"


def email_message(*, invitation: Invitation, kind: str, base_url: str) -> EmailMultiAlternatives:
    """The invitation or reminder e-mail for one expert, in the study's language.

    `invitation` must come with expert and delphi_round__study__owner loaded.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown e-mail kind {kind!r}")
    study = invitation.delphi_round.study
    url = expert_link_url(invitation.expert, base_url=base_url)
    context = _email_context(invitation=invitation, url=url)
    with translation.override(study.language):
        subject = render_to_string(f"rounds/email/{kind}_subject.txt", context)
        text = render_to_string(f"rounds/email/{kind}.txt", context)
        html = render_to_string(f"rounds/email/{kind}.html", context)
    owner_email = study.owner.email
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=_tidy(text),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.expert.email],
        reply_to=[owner_email] if owner_email else None,
    )
    message.attach_alternative(html, "text/html")
    return message


def line_message(
    expert: Expert,
    delphi_round: Round,
    url: str,
    *,
    deadline: datetime.datetime | None = None,
) -> str:
    """A ready message the researcher pastes into LINE, in the study's language.

    `deadline` is the expert's personal deadline when there is one; the round's otherwise.
    """
    study = delphi_round.study
    context = {
        "study_title": study_title(study),
        "round": delphi_round,
        "expert": expert,
        "url": url,
        "deadline": deadline or delphi_round.closes_at,
    }
    with translation.override(study.language):
        return _tidy(render_to_string("rounds/email/line_message.txt", context)).strip()


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
    from .tasks import invitation_email_send

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


def _status_before_queueing(invitation: Invitation) -> str:
    return Invitation.SendStatus.SENT if invitation.sent_at else Invitation.SendStatus.NOT_SENT


def invitation_email_deliver(*, invitation_pk: int, kind: str, base_url: str) -> str:
    """Send one queued e-mail now and record the outcome on its invitation.

    Runs in the worker. Returns "sent", "failed" or "skipped"; never raises for a mail server
    that refuses or cannot be reached — that is recorded as failed, with the error text, for the
    researcher to see on the tracking page.
    """
    invitation = (
        Invitation.objects.select_related("expert", "delphi_round__study__owner")
        .filter(pk=invitation_pk)
        .first()
    )
    if invitation is None:
        return "skipped"
    rows = Invitation.objects.filter(pk=invitation_pk)
    delphi_round = invitation.delphi_round
    if delphi_round.status != Round.Status.OPEN:
        with translation.override(delphi_round.study.language):
            error = str(_("The round was no longer open when the e-mail was due to go out."))
        rows.update(send_status=Invitation.SendStatus.FAILED, send_error=error)
        return "failed"
    if (
        kind == REMINDER
        and Submission.objects.filter(
            delphi_round=delphi_round,
            expert=invitation.expert,
            status=Submission.Status.SUBMITTED,
        ).exists()
    ):
        rows.update(send_status=_status_before_queueing(invitation), send_error="")
        return "skipped"
    if not invitation.expert.email:
        with translation.override(delphi_round.study.language):
            error = str(_("The expert has no e-mail address."))
        rows.update(send_status=Invitation.SendStatus.FAILED, send_error=error)
        return "failed"

    message = email_message(invitation=invitation, kind=kind, base_url=base_url)
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("E-mail to expert %s failed: %s", invitation.expert.code, error)
        rows.update(
            send_status=Invitation.SendStatus.FAILED,
            send_error=str(error) or type(error).__name__,
        )
        return "failed"

    now = timezone.now()
    if kind == INVITATION:
        rows.update(send_status=Invitation.SendStatus.SENT, send_error="", sent_at=now)
    else:
        rows.update(
            send_status=Invitation.SendStatus.SENT,
            send_error="",
            reminders_sent=F("reminders_sent") + 1,
            last_reminded_at=now,
        )
    return "sent"


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


@dataclass
class TrackingRow:
    expert: Expert
    invitation: Invitation | None
    submission: Submission | None
    # Filled in by the view for editors only: the personal link is a secret.
    url: str = ""
    line_text: str = ""

    @property
    def is_submitted(self) -> bool:
        return self.submission is not None and self.submission.is_submitted

    @property
    def in_progress(self) -> bool:
        return self.submission is not None and not self.submission.is_submitted


@dataclass
class Tracking:
    rows: list[TrackingRow]
    invited: int
    emailed: int
    opened: int
    in_progress: int
    submitted: int
    deadline: datetime.datetime | None
    days_left: int | None

    @property
    def response_rate(self) -> int | None:
        """Submitted as a whole percentage of those invited; None before anyone is invited."""
        return stats.percent_half_up(self.submitted, self.invited)

    @property
    def deadline_passed(self) -> bool:
        return self.days_left is not None and self.days_left < 0


def _days_left(deadline: datetime.datetime | None, now: datetime.datetime) -> int | None:
    """Calendar days from today to the deadline's day (local time); negative once it passed."""
    if deadline is None:
        return None
    if deadline <= now:
        return -1
    return (timezone.localdate(deadline) - timezone.localdate(now)).days


def round_tracking(delphi_round: Round, *, now: datetime.datetime | None = None) -> Tracking:
    """Every expert of the round's panel with their invitation and submission, and the counts.

    Three queries whatever the size of the panel: experts, invitations, submissions.
    """
    experts = list(Expert.objects.filter(panel_id=delphi_round.panel_id).order_by("code"))
    invitations = {
        invitation.expert_id: invitation
        for invitation in Invitation.objects.filter(delphi_round=delphi_round)
    }
    submissions = {
        submission.expert_id: submission
        for submission in Submission.objects.filter(delphi_round=delphi_round).only(
            "expert_id", "status", "channel", "started_at", "updated_at", "submitted_at"
        )
    }
    rows = [
        TrackingRow(expert, invitations.get(expert.pk), submissions.get(expert.pk))
        for expert in experts
    ]
    for invitation in invitations.values():
        # Spare the template a query per row when it shows the LINE text or the deadline.
        invitation.delphi_round = delphi_round
    return Tracking(
        rows=rows,
        invited=len(invitations),
        emailed=sum(1 for i in invitations.values() if i.sent_at is not None),
        opened=sum(1 for i in invitations.values() if i.opened_at is not None),
        in_progress=sum(1 for row in rows if row.in_progress),
        submitted=sum(1 for row in rows if row.is_submitted),
        deadline=delphi_round.closes_at,
        days_left=_days_left(delphi_round.closes_at, now or timezone.now()),
    )
