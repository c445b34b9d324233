"""Invitation and reminder e-mails: content in the study's language, who gets one, failures."""

import datetime
import re
import smtplib
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import resolve

from panels.models import AuditEvent, Study
from rounds.lifecycle.emails import line_message
from rounds.lifecycle.invitations import invitations_send, reminders_send
from rounds.lifecycle.selectors import personal_deadline
from rounds.lifecycle.tasks import invitation_email_deliver
from rounds.links import expert_for_token, expert_link_revoke, expert_link_url
from rounds.models import Invitation, Round, Submission
from tests.panels.factories import ExpertFactory
from tests.rounds.factories import open_round_with_experts

pytestmark = pytest.mark.django_db

BANGKOK = datetime.timezone(datetime.timedelta(hours=7))
NOW = datetime.datetime(2019, 3, 8, 9, 0, tzinfo=BANGKOK)
DEADLINE = datetime.datetime(2019, 3, 25, 23, 59, tzinfo=BANGKOK)
BASE_URL = "https://delphi.example.org/"


class RefusingMailer(BaseEmailBackend):
    """A mail server that refuses every recipient."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused(
            {message.to[0]: (550, b"5.1.1 Mailbox unavailable") for message in email_messages}
        )


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def immediate_tasks(settings):
    """Tasks run as soon as they are enqueued."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def stored_tasks(settings):
    """Tasks are only stored, as the database backend does until a worker picks them up."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from django.tasks import default_task_backend

    return default_task_backend


def _round(study, count=1, **fields):
    return open_round_with_experts(study, count, closes_at=DEADLINE, **fields)


def _link_in(text: str) -> str:
    match = re.search(re.escape(BASE_URL) + r"\S+", text)
    assert match, f"no link in {text!r}"
    return match.group(0)


def _expert_of_link(url: str):
    """Route the link as the site would, and return whose link it is."""
    match = resolve(urlsplit(url).path)
    return expert_for_token(match.kwargs["token"])


def test_thai_invitation_has_title_buddhist_era_deadline_and_working_link(
    study, alice, immediate_tasks
):
    delphi_round, (expert,) = _round(study)

    invitations_send(delphi_round=delphi_round, actor=alice, base_url=BASE_URL)

    (message,) = mail.outbox
    assert message.to == [expert.email]
    assert study.title in message.subject
    assert study.title in message.body
    assert expert.name in message.body
    assert "25 มีนาคม 2562" in message.body, "Thai dates use the Buddhist era"
    assert "2019" not in message.body
    assert _expert_of_link(_link_in(message.body)) == expert
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert _link_in(message.body) in html


def test_english_invitation_uses_the_english_title_and_common_era(study, alice, immediate_tasks):
    Study.objects.filter(pk=study.pk).update(
        language=Study.Language.ENGLISH, title_en="Collaboration networks"
    )
    delphi_round, (expert,) = _round(study)

    invitations_send(delphi_round=delphi_round, actor=alice, base_url=BASE_URL)

    (message,) = mail.outbox
    assert "Collaboration networks" in message.subject
    assert message.subject.startswith("Invitation")
    assert "March 25, 2019" in message.body
    assert "2562" not in message.body
    assert _expert_of_link(_link_in(message.body)) == expert


def test_invitation_shows_the_experts_personal_deadline(study, alice, immediate_tasks):
    delphi_round, (expert,) = _round(study)
    Invitation.objects.filter(expert=expert).update(
        deadline_override=datetime.datetime(2019, 4, 2, 17, 0, tzinfo=BANGKOK)
    )

    invitations_send(delphi_round=delphi_round, actor=alice, base_url=BASE_URL)

    assert "2 เมษายน 2562" in mail.outbox[0].body


def test_replies_go_to_the_researcher(study, alice, immediate_tasks):
    delphi_round, _experts = _round(study)

    invitations_send(delphi_round=delphi_round, actor=alice, base_url=BASE_URL)

    assert mail.outbox[0].reply_to == [alice.email]


def test_sending_records_sent_status_and_time(study, alice, immediate_tasks):
    delphi_round, (expert,) = _round(study)

    report = invitations_send(delphi_round=delphi_round, actor=alice, base_url=BASE_URL)

    invitation = Invitation.objects.get(expert=expert)
    assert report.queued == [expert]
    assert (invitation.send_status, invitation.sent_at, invitation.send_error) == ("sent", NOW, "")
    assert AuditEvent.objects.get(action="invitation.send").detail["experts"] == [expert.code]


def test_sending_to_all_skips_those_already_invited(study, alice, immediate_tasks):
    delphi_round, (first, second) = _round(study, 2)
    Invitation.objects.filter(expert=first).update(send_status="sent", sent_at=NOW)

    report = invitations_send(delphi_round=delphi_round, actor=alice, base_url=BASE_URL)

    assert report.queued == [second]
    assert [message.to for message in mail.outbox] == [[second.email]]


def test_chosen_experts_are_sent_to_again(study, alice, immediate_tasks):
    delphi_round, (first, _second) = _round(study, 2)
    Invitation.objects.filter(expert=first).update(send_status="sent", sent_at=NOW)

    invitations_send(delphi_round=delphi_round, experts=[first], actor=alice, base_url=BASE_URL)

    assert [message.to for message in mail.outbox] == [[first.email]]


def test_experts_without_email_or_with_a_revoked_link_are_reported_not_sent(
    study, alice, immediate_tasks
):
    delphi_round, (reachable, no_email, revoked) = _round(study, 3)
    no_email.email = ""
    no_email.save()
    expert_link_revoke(expert=revoked)

    report = invitations_send(delphi_round=delphi_round, actor=alice, base_url=BASE_URL)

    assert report.queued == [reachable]
    assert report.no_email == [no_email]
    assert report.link_revoked == [revoked]
    assert len(mail.outbox) == 1
    assert Invitation.objects.get(expert=no_email).send_status == "not_sent"


def test_expert_added_after_opening_is_invited_too(study, alice, immediate_tasks):
    delphi_round, _experts = _round(study, 1)
    newcomer = ExpertFactory(panel=delphi_round.panel)

    invitations_send(delphi_round=delphi_round, actor=alice, base_url=BASE_URL)

    assert Invitation.objects.get(delphi_round=delphi_round, expert=newcomer).send_status == "sent"


def test_invitations_need_an_open_round(study, alice, immediate_tasks):
    delphi_round, _experts = _round(study)
    Round.objects.filter(pk=delphi_round.pk).update(status=Round.Status.DRAFT)
    delphi_round.refresh_from_db()

    with pytest.raises(ValidationError) as error:
        invitations_send(delphi_round=delphi_round, actor=alice, base_url=BASE_URL)

    assert error.value.code == "not_open"
    assert mail.outbox == []


def test_experts_of_another_panel_cannot_be_chosen(study, alice, immediate_tasks):
    delphi_round, _experts = _round(study)

    with pytest.raises(ValidationError) as error:
        invitations_send(
            delphi_round=delphi_round, experts=[ExpertFactory()], actor=alice, base_url=BASE_URL
        )

    assert error.value.code == "foreign_expert"


def test_two_hundred_invitations_are_queued_not_sent_in_the_request(study, alice, stored_tasks):
    delphi_round, _experts = _round(study, 200)

    report = invitations_send(delphi_round=delphi_round, actor=alice, base_url=BASE_URL)

    assert len(report.queued) == 200
    assert len(stored_tasks.results) == 200
    assert mail.outbox == []
    statuses = Invitation.objects.filter(delphi_round=delphi_round).values_list(
        "send_status", flat=True
    )
    assert set(statuses) == {"queued"}


def test_pressing_send_twice_queues_each_expert_once(study, alice, stored_tasks):
    delphi_round, _experts = _round(study, 3)

    invitations_send(delphi_round=delphi_round, actor=alice, base_url=BASE_URL)
    again = invitations_send(delphi_round=delphi_round, actor=alice, base_url=BASE_URL)

    assert len(stored_tasks.results) == 3
    assert again.queued == []


def test_refused_email_is_recorded_as_failed_with_the_servers_reason(
    study, alice, settings, immediate_tasks
):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingMailer"}}
    delphi_round, (expert,) = _round(study)

    report = invitations_send(delphi_round=delphi_round, actor=alice, base_url=BASE_URL)

    invitation = Invitation.objects.get(expert=expert)
    assert report.queued == [expert]
    assert invitation.send_status == "failed"
    assert "Mailbox unavailable" in invitation.send_error
    assert invitation.sent_at is None


def test_failed_invitation_is_retried_by_send_to_all(study, alice, immediate_tasks):
    delphi_round, (expert,) = _round(study)
    Invitation.objects.filter(expert=expert).update(send_status="failed", send_error="timeout")

    invitations_send(delphi_round=delphi_round, actor=alice, base_url=BASE_URL)

    assert Invitation.objects.get(expert=expert).send_status == "sent"


def _submit(delphi_round, expert, status=Submission.Status.SUBMITTED):
    return Submission.objects.create(delphi_round=delphi_round, expert=expert, status=status)


def test_reminders_skip_experts_who_submitted(study, alice, immediate_tasks):
    delphi_round, (done, started, silent) = _round(study, 3)
    _submit(delphi_round, done)
    _submit(delphi_round, started, status=Submission.Status.DRAFT)

    report = reminders_send(delphi_round=delphi_round, actor=alice, base_url=BASE_URL)

    assert report.queued == [started, silent]
    assert sorted(m.to[0] for m in mail.outbox) == sorted([started.email, silent.email])
    reminded = Invitation.objects.get(expert=silent)
    assert (reminded.reminders_sent, reminded.last_reminded_at) == (1, NOW)
    assert Invitation.objects.get(expert=done).reminders_sent == 0


def test_thai_reminder_content(study, alice, immediate_tasks):
    delphi_round, (expert,) = _round(study)

    reminders_send(delphi_round=delphi_round, actor=alice, base_url=BASE_URL)

    (message,) = mail.outbox
    assert study.title in message.subject
    assert "25 มีนาคม 2562" in message.body
    assert _expert_of_link(_link_in(message.body)) == expert


def test_english_reminder_content(study, alice, immediate_tasks):
    Study.objects.filter(pk=study.pk).update(language=Study.Language.ENGLISH)
    delphi_round, (expert,) = _round(study)

    reminders_send(delphi_round=delphi_round, actor=alice, base_url=BASE_URL)

    (message,) = mail.outbox
    assert message.subject.startswith("Reminder")
    assert "March 25, 2019" in message.body
    assert _expert_of_link(_link_in(message.body)) == expert


def test_reminder_counts_add_up(study, alice, immediate_tasks):
    delphi_round, (expert,) = _round(study)

    reminders_send(delphi_round=delphi_round, actor=alice, base_url=BASE_URL)
    reminders_send(delphi_round=delphi_round, actor=alice, base_url=BASE_URL)

    assert Invitation.objects.get(expert=expert).reminders_sent == 2


def test_reminder_waiting_in_the_queue_is_dropped_when_the_expert_submits(
    study, alice, stored_tasks
):
    delphi_round, (expert,) = _round(study)
    Invitation.objects.filter(expert=expert).update(send_status="sent", sent_at=NOW)
    reminders_send(delphi_round=delphi_round, actor=alice, base_url=BASE_URL)
    (queued,) = stored_tasks.results
    _submit(delphi_round, expert)

    outcome = invitation_email_deliver(**queued.kwargs)

    assert outcome == "skipped"
    assert mail.outbox == []
    invitation = Invitation.objects.get(expert=expert)
    assert (invitation.send_status, invitation.reminders_sent) == ("sent", 0)


def test_email_waiting_in_the_queue_is_not_sent_once_the_round_closed(study, alice, stored_tasks):
    delphi_round, (expert,) = _round(study)
    invitations_send(delphi_round=delphi_round, actor=alice, base_url=BASE_URL)
    (queued,) = stored_tasks.results
    Round.objects.filter(pk=delphi_round.pk).update(status=Round.Status.CLOSED)

    outcome = invitation_email_deliver(**queued.kwargs)

    assert outcome == "failed"
    assert mail.outbox == []
    assert Invitation.objects.get(expert=expert).send_status == "failed"


def test_nobody_is_reminded_after_their_deadline(study, alice, immediate_tasks):
    delphi_round, (expert,) = _round(study)
    Round.objects.filter(pk=delphi_round.pk).update(closes_at=NOW - datetime.timedelta(hours=1))
    delphi_round.refresh_from_db()

    report = reminders_send(delphi_round=delphi_round, actor=alice, base_url=BASE_URL)

    assert report.deadline_passed == [expert]
    assert mail.outbox == []


def test_line_message_in_thai(study):
    delphi_round, (expert,) = _round(study)
    url = expert_link_url(expert, base_url=BASE_URL)

    text = line_message(expert, delphi_round, url)

    assert expert.name in text
    assert study.title in text
    assert "25 มีนาคม 2562" in text
    assert _expert_of_link(_link_in(text)) == expert


def test_line_message_in_english_with_a_personal_deadline(study):
    Study.objects.filter(pk=study.pk).update(language=Study.Language.ENGLISH)
    delphi_round, (expert,) = _round(study)
    delphi_round.study.refresh_from_db()
    url = expert_link_url(expert, base_url=BASE_URL)

    text = line_message(
        expert, delphi_round, url, deadline=datetime.datetime(2019, 4, 2, 17, 0, tzinfo=BANGKOK)
    )

    assert "April 2, 2019" in text
    assert url in text


def test_personal_deadline_follows_the_answering_rule(study):
    """The tracking page's deadline must be the one the expert's questionnaire enforces."""
    from rounds.answering.rules import answering_deadline

    delphi_round, (plain, extended) = _round(study, 2)
    Invitation.objects.filter(expert=extended).update(
        deadline_override=DEADLINE + datetime.timedelta(days=3)
    )
    loaded = {i.expert_id: i for i in Invitation.objects.filter(delphi_round=delphi_round)}

    for expert in (plain, extended):
        assert personal_deadline(loaded[expert.pk], delphi_round) == answering_deadline(
            delphi_round=delphi_round, expert=expert
        )
