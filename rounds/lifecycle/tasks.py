"""Work done outside the request, through Django's tasks framework.

With the default settings the tasks are stored in the database (django-tasks-db) and run by
`python manage.py db_worker`; see TASKS in delphi_site/settings.py. A stored task is found
again by its import path (`rounds.lifecycle.tasks.invitation_email_send`): move or rename it
only while no task waits in the queue.

The sending itself lives here too, so that this module needs nothing from the one that queues
(rounds.lifecycle.invitations) and the import arrow points one way.
"""

import logging
import smtplib

from django.db.models import F
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from rounds.models import Invitation, Round, Submission

from .emails import INVITATION, REMINDER, email_message

logger = logging.getLogger(__name__)


@task()
def invitation_email_send(*, invitation_pk: int, kind: str, base_url: str) -> str:
    """Send one expert's invitation or reminder e-mail and record how it went."""
    return invitation_email_deliver(invitation_pk=invitation_pk, kind=kind, base_url=base_url)


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
