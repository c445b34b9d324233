"""The researcher's participation pages: open/close, tracking, sending, deadlines, links."""

import datetime
import re
import smtplib
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import resolve, reverse

from panels.models import AuditEvent, StudyMember
from rounds.links import expert_for_token, expert_token
from rounds.models import Channel, Invitation, Round, Submission
from tests.panels.factories import ExpertFactory, PanelFactory, StudyMemberFactory, UserFactory
from tests.rounds.factories import (
    OpenQuestionFactory,
    RoundFactory,
    open_round_with_experts,
    rating_round,
)

pytestmark = pytest.mark.django_db

BANGKOK = datetime.timezone(datetime.timedelta(hours=7))
NOW = datetime.datetime(2019, 3, 8, 9, 0, tzinfo=BANGKOK)
DEADLINE = datetime.datetime(2019, 3, 25, 23, 59, tzinfo=BANGKOK)


class RefusingMailer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused(
            {message.to[0]: (550, b"5.1.1 Mailbox unavailable") for message in email_messages}
        )


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def viewer_client(client, study):
    viewer = UserFactory(username="vera")
    StudyMemberFactory(study=study, user=viewer, role=StudyMember.Role.VIEWER)
    client.force_login(viewer)
    return client


def _url(name: str, delphi_round: Round, **kwargs) -> str:
    return reverse(
        f"rounds:{name}",
        kwargs={"study_pk": delphi_round.study_id, "round_pk": delphi_round.pk, **kwargs},
    )


def _levels(response) -> list[str]:
    return [message.level_tag for message in get_messages(response.wsgi_request)]


def _draft_round(study) -> Round:
    delphi_round = RoundFactory(study=study, closes_at=DEADLINE)
    OpenQuestionFactory(delphi_round=delphi_round)
    ExpertFactory.create_batch(2, panel=delphi_round.panel)
    return delphi_round


def test_round_page_offers_opening_a_draft_to_editors(alice_client, study):
    delphi_round = _draft_round(study)

    page = alice_client.get(delphi_round.get_absolute_url()).content.decode()

    assert _url("round_open", delphi_round) in page


def test_round_page_offers_viewers_no_opening(viewer_client, study):
    delphi_round = _draft_round(study)

    page = viewer_client.get(delphi_round.get_absolute_url()).content.decode()

    assert _url("round_open", delphi_round) not in page


def test_opening_asks_for_confirmation_first(alice_client, study):
    delphi_round = _draft_round(study)

    response = alice_client.get(_url("round_open", delphi_round))

    assert response.status_code == 200
    assert b'method="post"' in response.content
    delphi_round.refresh_from_db()
    assert delphi_round.status == Round.Status.DRAFT


def test_editor_opens_a_round_and_lands_on_tracking(alice_client, study):
    delphi_round = _draft_round(study)

    response = alice_client.post(_url("round_open", delphi_round))

    assert response.status_code == 302
    assert response.url == _url("tracking", delphi_round)
    delphi_round.refresh_from_db()
    assert delphi_round.status == Round.Status.OPEN
    assert Invitation.objects.filter(delphi_round=delphi_round).count() == 2


def test_a_round_that_cannot_open_says_why_and_stays_a_draft(alice_client, study):
    delphi_round = RoundFactory(study=study)
    ExpertFactory(panel=delphi_round.panel)

    response = alice_client.post(_url("round_open", delphi_round))

    assert response.status_code == 302
    assert _levels(response) == ["error"]
    delphi_round.refresh_from_db()
    assert delphi_round.status == Round.Status.DRAFT


def test_editor_closes_an_open_round(alice_client, study):
    delphi_round, _experts = open_round_with_experts(study, 2, closes_at=DEADLINE)

    assert alice_client.get(_url("round_close", delphi_round)).status_code == 200
    response = alice_client.post(_url("round_close", delphi_round))

    assert response.status_code == 302
    delphi_round.refresh_from_db()
    assert delphi_round.status == Round.Status.CLOSED


# Every action of the page, with the method that performs it (letters are downloads).
ROUND_ACTIONS = [
    ("round_open", "post"),
    ("round_close", "post"),
    ("invitations_send", "post"),
    ("reminders_send", "post"),
    ("deadline_extend", "post"),
    ("letters", "get"),
]
EXPERT_ACTIONS = [("letter", "get"), ("link_revoke", "post"), ("link_reissue", "post")]


def _act_on_everything(client, delphi_round, expert) -> dict[str, int]:
    requests = [(_url(name, delphi_round), method) for name, method in ROUND_ACTIONS]
    requests += [
        (_url(name, delphi_round, expert_pk=expert.pk), method) for name, method in EXPERT_ACTIONS
    ]
    return {url: getattr(client, method)(url).status_code for url, method in requests}


def test_viewers_may_not_act(viewer_client, study):
    delphi_round, (expert,) = open_round_with_experts(study, 1, closes_at=DEADLINE)

    statuses = _act_on_everything(viewer_client, delphi_round, expert)

    assert set(statuses.values()) == {403}, statuses
    delphi_round.refresh_from_db()
    assert delphi_round.status == Round.Status.OPEN
    assert expert_for_token(expert_token(expert)) == expert


def test_another_researcher_finds_nothing(bob_client, study):
    delphi_round, (expert,) = open_round_with_experts(study, 1, closes_at=DEADLINE)

    statuses = _act_on_everything(bob_client, delphi_round, expert)
    statuses[_url("tracking", delphi_round)] = bob_client.get(
        _url("tracking", delphi_round)
    ).status_code

    assert set(statuses.values()) == {404}, statuses
    assert expert_for_token(expert_token(expert)) == expert


def test_expert_of_another_study_is_not_found_through_this_round(alice_client, study):
    delphi_round, _experts = open_round_with_experts(study, 1, closes_at=DEADLINE)
    stranger = ExpertFactory()

    response = alice_client.post(_url("link_revoke", delphi_round, expert_pk=stranger.pk))

    assert response.status_code == 404
    assert expert_for_token(expert_token(stranger)) == stranger


def _tracked_round(study):
    """Three experts: one submitted on paper, one halfway on the web, one silent."""
    delphi_round, (done, started, silent) = open_round_with_experts(study, 3, closes_at=DEADLINE)
    Submission.objects.create(
        delphi_round=delphi_round,
        expert=done,
        status=Submission.Status.SUBMITTED,
        channel=Channel.PAPER,
        submitted_at=NOW,
    )
    Submission.objects.create(delphi_round=delphi_round, expert=started)
    Invitation.objects.filter(expert__in=[done, started]).update(opened_at=NOW, sent_at=NOW)
    return delphi_round, (done, started, silent)


def test_tracking_counts_and_response_rate(alice_client, study):
    delphi_round, _experts = _tracked_round(study)

    tracking = alice_client.get(_url("tracking", delphi_round)).context["tracking"]

    assert (tracking.invited, tracking.opened, tracking.in_progress, tracking.submitted) == (
        3,
        2,
        1,
        1,
    )
    assert tracking.response_rate == 33
    assert tracking.days_left == 17


def test_tracking_rows_show_each_experts_state_and_channel(alice_client, study):
    delphi_round, (done, started, silent) = _tracked_round(study)

    response = alice_client.get(_url("tracking", delphi_round))

    rows = {row.expert: row for row in response.context["tracking"].rows}
    assert rows[done].is_submitted and rows[done].submission.channel == Channel.PAPER
    assert rows[started].in_progress
    assert rows[silent].submission is None
    page = response.content.decode()
    assert 'data-count="response_rate">33 %' in page
    assert "2562" in page, "Thai screens date in the Buddhist era"


def test_tracking_table_stacks_on_phones(alice_client, study):
    delphi_round, _experts = _tracked_round(study)

    page = alice_client.get(_url("tracking", delphi_round)).content.decode()

    assert 'class="table mb-0 table-responsive-stack"' in page
    assert page.count('data-label="') >= 3 * 6


def _links_on(page: str) -> list[str]:
    return re.findall(r'value="(http://testserver/[^"]+)"', page)


def test_editor_gets_each_experts_working_link_and_line_text(alice_client, study):
    delphi_round, experts = open_round_with_experts(study, 2, closes_at=DEADLINE)

    page = alice_client.get(_url("tracking", delphi_round)).content.decode()

    links = _links_on(page)
    owners = [expert_for_token(resolve(urlsplit(url).path).kwargs["token"]) for url in links]
    assert owners == experts
    assert page.count('id="line-') == 2
    assert 'data-copy="line-' in page


def test_viewer_sees_progress_but_no_links(viewer_client, study):
    delphi_round, _experts = open_round_with_experts(study, 2, closes_at=DEADLINE)

    response = viewer_client.get(_url("tracking", delphi_round))

    assert response.status_code == 200
    assert _links_on(response.content.decode()) == []
    assert _url("invitations_send", delphi_round) not in response.content.decode()


# Queries of the tracking page, whatever the panel size:
# session, user, study (with owner and role), round (with panel), experts, invitations,
# submissions, late answers.
TRACKING_QUERIES = 8


@pytest.mark.parametrize("experts", [3, 30])
def test_tracking_page_queries_do_not_grow_with_the_panel(
    alice_client, study, experts, django_assert_max_num_queries
):
    delphi_round, people = open_round_with_experts(study, experts, closes_at=DEADLINE)
    for expert in people[::2]:
        Submission.objects.create(delphi_round=delphi_round, expert=expert)

    with django_assert_max_num_queries(TRACKING_QUERIES):
        response = alice_client.get(_url("tracking", delphi_round))

    assert len(response.context["tracking"].rows) == experts


def test_send_to_all_emails_everyone_and_reports(alice_client, study):
    delphi_round, experts = open_round_with_experts(study, 2, closes_at=DEADLINE)

    response = alice_client.post(_url("invitations_send", delphi_round), {"scope": "all"})

    assert response.url == _url("tracking", delphi_round)
    assert _levels(response) == ["success"]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(e.email for e in experts)


def test_send_to_ticked_experts_only(alice_client, study):
    delphi_round, (ticked, other) = open_round_with_experts(study, 2, closes_at=DEADLINE)

    alice_client.post(
        _url("invitations_send", delphi_round), {"scope": "selected", "expert": [ticked.pk]}
    )

    assert [m.to for m in mail.outbox] == [[ticked.email]]
    assert Invitation.objects.get(expert=other).send_status == "not_sent"


def test_send_to_ticked_with_nobody_ticked_sends_nothing(alice_client, study):
    delphi_round, _experts = open_round_with_experts(study, 2, closes_at=DEADLINE)

    response = alice_client.post(_url("invitations_send", delphi_round), {"scope": "selected"})

    assert _levels(response) == ["warning"]
    assert mail.outbox == []


def test_expert_without_email_is_named_in_a_warning(alice_client, study):
    delphi_round, (expert,) = open_round_with_experts(study, 1, closes_at=DEADLINE)
    expert.email = ""
    expert.save()

    response = alice_client.post(_url("invitations_send", delphi_round), {"scope": "all"})

    (message,) = get_messages(response.wsgi_request)
    assert message.level_tag == "warning"
    assert expert.code in message.message


def test_refused_email_shows_on_the_tracking_page(alice_client, study, settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingMailer"}}
    delphi_round, (expert,) = open_round_with_experts(study, 1, closes_at=DEADLINE)

    sent = alice_client.post(_url("invitations_send", delphi_round), {"scope": "all"})
    page = alice_client.get(_url("tracking", delphi_round))

    assert sent.status_code == 302
    assert page.status_code == 200
    assert Invitation.objects.get(expert=expert).send_status == "failed"
    assert "Mailbox unavailable" in page.content.decode()


def test_sending_from_a_closed_round_is_refused_with_a_message(alice_client, study):
    delphi_round, _experts = open_round_with_experts(study, 1, closes_at=DEADLINE)
    Round.objects.filter(pk=delphi_round.pk).update(status=Round.Status.CLOSED)

    response = alice_client.post(_url("invitations_send", delphi_round), {"scope": "all"})

    assert _levels(response) == ["error"]
    assert mail.outbox == []


def test_reminders_from_tracking_skip_submitters(alice_client, study):
    delphi_round, (_done, started, silent) = _tracked_round(study)

    response = alice_client.post(_url("reminders_send", delphi_round))

    assert response.url == _url("tracking", delphi_round)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([started.email, silent.email])


def test_round_deadline_is_extended_for_everyone(alice_client, study):
    delphi_round, _experts = open_round_with_experts(study, 2, closes_at=DEADLINE)

    response = alice_client.post(
        _url("deadline_extend", delphi_round), {"closes_at": "2019-04-05T17:00", "expert": ""}
    )

    assert response.status_code == 302
    delphi_round.refresh_from_db()
    assert delphi_round.closes_at == datetime.datetime(2019, 4, 5, 17, 0, tzinfo=BANGKOK)


def test_one_expert_gets_more_time_from_their_row(alice_client, study):
    delphi_round, (expert, other) = open_round_with_experts(study, 2, closes_at=DEADLINE)
    url = _url("deadline_extend", delphi_round)
    form = alice_client.get(f"{url}?expert={expert.pk}").context["form"]
    assert str(form["expert"].value()) == str(expert.pk)

    alice_client.post(url, {"closes_at": "2019-03-30T17:00", "expert": expert.pk})

    personal = datetime.datetime(2019, 3, 30, 17, 0, tzinfo=BANGKOK)
    assert Invitation.objects.get(expert=expert).deadline_override == personal
    assert Invitation.objects.get(expert=other).deadline_override is None


def test_deadline_in_the_past_is_refused_on_the_form(alice_client, study):
    delphi_round, _experts = open_round_with_experts(study, 1, closes_at=DEADLINE)

    response = alice_client.post(
        _url("deadline_extend", delphi_round), {"closes_at": "2019-03-01T17:00", "expert": ""}
    )

    assert response.status_code == 200
    assert response.context["form"].has_error("closes_at", code="deadline_past")
    delphi_round.refresh_from_db()
    assert delphi_round.closes_at == DEADLINE


def test_revoking_a_link_asks_first_then_stops_it(alice_client, study, alice):
    delphi_round, (expert,) = open_round_with_experts(study, 1, closes_at=DEADLINE)
    token = expert_token(expert)
    url = _url("link_revoke", delphi_round, expert_pk=expert.pk)
    assert alice_client.get(url).status_code == 200
    assert expert_for_token(token) == expert

    response = alice_client.post(url)

    assert response.url == _url("tracking", delphi_round)
    assert expert_for_token(token) is None
    event = AuditEvent.objects.get(action="expert.link_revoke")
    assert (event.actor, event.detail["expert"]) == (alice, expert.code)


def test_new_link_works_and_the_old_one_does_not(alice_client, study):
    delphi_round, (expert,) = open_round_with_experts(study, 1, closes_at=DEADLINE)
    old = expert_token(expert)

    alice_client.post(_url("link_reissue", delphi_round, expert_pk=expert.pk))

    expert.refresh_from_db()
    assert expert_for_token(old) is None
    assert expert_for_token(expert_token(expert)) == expert
    assert AuditEvent.objects.filter(action="expert.link_reissue").exists()


# --------------------------------------------------------------------------- the real closing time


def test_a_round_closed_before_its_deadline_shows_when_it_closed(alice_client, study):
    """Closed on 8 March with a deadline of 25 March: every page says 8 March (Buddhist era),
    the tracking page counts no days left, the expert is told the real closing date."""
    delphi_round, (expert,) = open_round_with_experts(study, 1, closes_at=DEADLINE)
    expert.consent_given_at = NOW
    expert.save()

    alice_client.post(_url("round_close", delphi_round))
    delphi_round.refresh_from_db()

    assert delphi_round.closed_at == NOW
    detail = alice_client.get(_url("round_detail", delphi_round)).content.decode()
    assert 'id="round-closed-at">8 มีนาคม 2562' in detail
    response = alice_client.get(_url("tracking", delphi_round))
    assert response.context["tracking"].days_left is None
    summary = response.content.decode()
    assert "days left" not in summary and "วันที่เหลือ" not in summary
    assert "ปิดรอบเมื่อ 8 มีนาคม 2562" in summary
    expert_page = alice_client.get(
        reverse("expert:round", kwargs={"token": expert_token(expert), "round_pk": delphi_round.pk})
    ).content.decode()
    assert "8 มีนาคม 2562" in expert_page and "25 มีนาคม 2562" not in expert_page


def test_reopening_clears_the_closing_time_and_closing_again_sets_it(alice_client, study):
    delphi_round, _experts = open_round_with_experts(study, 1, closes_at=DEADLINE)
    alice_client.post(_url("round_close", delphi_round))

    later = NOW + datetime.timedelta(days=2)
    with time_machine.travel(later, tick=False):
        alice_client.post(_url("round_reopen", delphi_round), {"reason": "A late paper sheet"})
        delphi_round.refresh_from_db()
        assert delphi_round.status == Round.Status.OPEN and delphi_round.closed_at is None
        alice_client.post(_url("round_close", delphi_round))

    delphi_round.refresh_from_db()
    assert delphi_round.closed_at == later


# --------------------------------------------------------------------------- late answers


def test_tracking_shows_an_answer_that_came_after_the_close(client, alice, study):
    """The expert is told a copy is kept; the tracking page says so too, and shows it."""
    delphi_round, (expert,) = open_round_with_experts(study, 1, closes_at=DEADLINE)
    question = OpenQuestionFactory(delphi_round=delphi_round, text="ปัจจัยสำคัญคืออะไร")
    expert.consent_given_at = NOW
    expert.save()
    client.force_login(alice)
    client.post(_url("round_close", delphi_round))
    client.logout()

    client.post(
        reverse(
            "expert:round", kwargs={"token": expert_token(expert), "round_pk": delphi_round.pk}
        ),
        {f"answer_{question.pk}_1": "ครูเป็นแกนนำ ส่งช้าไปนิด"},
    )

    client.force_login(alice)
    response = client.get(_url("tracking", delphi_round))
    row = next(row for row in response.context["tracking"].rows if row.expert == expert)
    assert [line for late in row.late for line in late.lines] == [
        ("ปัจจัยสำคัญคืออะไร", "ครูเป็นแกนนำ ส่งช้าไปนิด")
    ]
    page = response.content.decode()
    assert "ได้รับคำตอบที่ส่งช้าเมื่อ 8 มีนาคม 2562" in page
    assert "ครูเป็นแกนนำ ส่งช้าไปนิด" in page
    assert reverse("panels:audit_log", kwargs={"study_pk": study.pk}) in page
    assert 'data-count="late"' in page


def test_a_viewer_sees_that_a_late_answer_came_but_not_its_text(client, study, viewer_client):
    delphi_round, (expert,) = open_round_with_experts(study, 1, closes_at=DEADLINE)
    delphi_round.status = Round.Status.CLOSED
    delphi_round.save()
    AuditEvent.objects.create(
        study=study,
        action="answer.late",
        detail={
            "expert": expert.code,
            "round": delphi_round.number,
            "content": {"answers": [{"question": 0, "texts": ["ข้อความลับ"]}]},
        },
    )

    page = viewer_client.get(_url("tracking", delphi_round)).content.decode()

    assert "ได้รับคำตอบที่ส่งช้าเมื่อ" in page
    assert "ข้อความลับ" not in page


# The opening page warns before the click -------------------------------------------------


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _problems(html: str) -> list[str]:
    return re.findall(r'data-problem="(\w+)"', html)


def test_opening_page_names_what_is_missing_and_offers_no_open_button(alice_client, study):
    delphi_round = RoundFactory(study=study, kind=Round.Kind.OPEN)

    html = _english(alice_client).get(_url("round_open", delphi_round)).content.decode()

    assert _problems(html) == ["no_questions", "no_experts"]
    assert "Add at least one question before opening the round." in html
    assert reverse("panels:panel_detail", args=[study.pk, delphi_round.panel_id]) in html
    assert re.search(r'<button type="submit" class="btn btn-success" disabled>', html)


def test_a_rating_round_without_statements_is_named_with_a_link_to_the_builder(alice_client, study):
    delphi_round = RoundFactory(study=study, kind=Round.Kind.RATING, number=2)
    ExpertFactory(panel=delphi_round.panel)

    html = _english(alice_client).get(_url("round_open", delphi_round)).content.decode()

    assert _problems(html) == ["no_items"]
    assert _url("build", delphi_round) in html


def test_opening_the_first_rating_round_warns_that_the_rules_lock(alice_client, study):
    panel = PanelFactory(study=study)
    delphi_round, _items = rating_round(study, panel, status=Round.Status.DRAFT)
    ExpertFactory(panel=panel)

    html = _english(alice_client).get(_url("round_open", delphi_round)).content.decode()

    assert _problems(html) == []
    assert 'id="rules-lock"' in html
    assert reverse("panels:study_edit", args=[study.pk]) in html
    assert "the statements and their wording can no longer change" in html
    assert "questions" not in html.split('id="rules-lock"')[1]


def test_an_open_round_says_nothing_of_the_rules(alice_client, study):
    delphi_round = _draft_round(study)

    html = _english(alice_client).get(_url("round_open", delphi_round)).content.decode()

    assert 'id="rules-lock"' not in html
    assert "the questions can no longer change" in html


def test_once_the_rules_are_locked_a_later_round_does_not_warn_again(alice_client, study):
    panel = PanelFactory(study=study)
    study.rules_locked_at = datetime.datetime(2019, 3, 1, tzinfo=BANGKOK)
    study.save(update_fields=["rules_locked_at"])
    delphi_round, _items = rating_round(study, panel, number=3, status=Round.Status.DRAFT)
    ExpertFactory(panel=panel)

    html = _english(alice_client).get(_url("round_open", delphi_round)).content.decode()

    assert 'id="rules-lock"' not in html
