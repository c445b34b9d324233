"""Reads of a round's participation: who was invited, who answered, and each expert's deadline."""

import datetime
from dataclasses import dataclass, field

from django.shortcuts import get_object_or_404
from django.utils import timezone

from analysis import stats
from panels.models import AuditEvent, Expert
from rounds.models import Invitation, OpenQuestion, Round, RoundItem, Submission

# The audit action of answers an expert sent after the round stopped taking them
# (`rounds.answering.services.answer_late_record`).
LATE_ANSWER = "answer.late"


def personal_deadline(invitation: Invitation | None, delphi_round: Round):
    """The deadline one expert works to, from rows already loaded.

    The same rule as rounds.answering.answering_deadline (the personal deadline, else the
    round's), applied without a query so that pages listing a whole panel stay at a fixed
    number of queries. A test keeps the two in agreement.
    """
    if invitation is not None and invitation.deadline_override is not None:
        return invitation.deadline_override
    return delphi_round.closes_at


def expert_for_round(delphi_round: Round, expert_pk: int) -> Expert:
    """An expert of the round's panel (404 for anyone else)."""
    return get_object_or_404(Expert, panel_id=delphi_round.panel_id, pk=expert_pk)


def experts_of_round(delphi_round: Round, expert_pks: list[int]) -> list[Expert]:
    """The experts of the round's panel among `expert_pks`; other ids are ignored."""
    return list(Expert.objects.filter(panel_id=delphi_round.panel_id, pk__in=expert_pks))


@dataclass(frozen=True)
class LateAnswer:
    """What an expert sent after the round closed for them, as the audit log kept it."""

    event_pk: int
    at: datetime.datetime
    # One line per question or statement: its text, then what the expert wrote or chose.
    lines: tuple[tuple[str, str], ...]


@dataclass
class TrackingRow:
    expert: Expert
    invitation: Invitation | None
    submission: Submission | None
    # Filled in by the view for editors only: the personal link is a secret.
    url: str = ""
    line_text: str = ""
    late: list[LateAnswer] = field(default_factory=list)

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
    # None once the round is closed: a closed round has no days left, it has `closed_at`.
    days_left: int | None
    closed_at: datetime.datetime | None = None
    is_closed: bool = False
    # Answers sent after the round closed for their expert (kept in the audit log).
    late: int = 0

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


def _late_answers(delphi_round: Round) -> dict[str, list[LateAnswer]]:
    """The round's late answers by expert code, oldest first: one query, plus one for the
    question or statement texts when there are any."""
    events = list(
        AuditEvent.objects.filter(
            study_id=delphi_round.study_id, action=LATE_ANSWER, detail__round=delphi_round.number
        ).order_by("created_at", "pk")
    )
    if not events:
        return {}
    if delphi_round.kind == Round.Kind.OPEN:
        titles = dict(
            OpenQuestion.objects.filter(delphi_round=delphi_round).values_list("pk", "text")
        )
    else:
        titles = dict(
            RoundItem.objects.filter(delphi_round=delphi_round).values_list("pk", "statement__text")
        )
    found: dict[str, list[LateAnswer]] = {}
    for event in events:
        content = event.detail.get("content") or {}
        lines = [
            (titles.get(answer.get("question"), ""), "\n".join(answer.get("texts", [])))
            for answer in content.get("answers", [])
        ] + [
            (
                titles.get(rating.get("item"), ""),
                " · ".join(
                    str(rating[key]) for key in ("value", "comment", "reason") if rating.get(key)
                ),
            )
            for rating in content.get("ratings", [])
        ]
        found.setdefault(str(event.detail.get("expert", "")), []).append(
            LateAnswer(event_pk=event.pk, at=event.created_at, lines=tuple(lines))
        )
    return found


def round_tracking(delphi_round: Round, *, now: datetime.datetime | None = None) -> Tracking:
    """Every expert of the round's panel with their invitation and submission, the answers
    they sent after the round closed for them, and the counts.

    Four queries whatever the size of the panel: experts, invitations, submissions, late
    answers (and one more for the texts of the questions once there are late answers).
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
    late = _late_answers(delphi_round)
    rows = [
        TrackingRow(
            expert,
            invitations.get(expert.pk),
            submissions.get(expert.pk),
            late=late.get(expert.code, []),
        )
        for expert in experts
    ]
    closed = delphi_round.status == Round.Status.CLOSED
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
        late=sum(len(row.late) for row in rows),
        deadline=delphi_round.closes_at,
        days_left=(None if closed else _days_left(delphi_round.closes_at, now or timezone.now())),
        closed_at=delphi_round.closed_at,
        is_closed=closed,
    )


@dataclass
class OpeningCheck:
    """What the researcher should know before opening a draft round.

    `problems` are the codes the opening service would refuse (rounds.lifecycle.services
    ERRORS), found before the click; `locks_rules` says that opening fixes the study's
    consensus and stopping rules (panels.protocol), which happens at the first rating or
    confirmation round.
    """

    expert_count: int
    problems: list[str]
    locks_rules: bool


def opening_check(delphi_round: Round) -> OpeningCheck:
    expert_count = Expert.objects.filter(panel_id=delphi_round.panel_id).count()
    problems = []
    if delphi_round.kind == Round.Kind.OPEN:
        if not delphi_round.questions.exists():
            problems.append("no_questions")
    elif not delphi_round.items.exists():
        problems.append("no_items")
    if not expert_count:
        problems.append("no_experts")
    if delphi_round.closes_at is not None and delphi_round.closes_at <= timezone.now():
        problems.append("deadline_passed")
    locks_rules = (
        delphi_round.kind != Round.Kind.OPEN and delphi_round.study.rules_locked_at is None
    )
    return OpeningCheck(expert_count, problems, locks_rules)
