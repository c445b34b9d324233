"""Reads of a round's participation: who was invited, who answered, and each expert's deadline."""

import datetime
from dataclasses import dataclass

from django.shortcuts import get_object_or_404
from django.utils import timezone

from analysis import stats
from panels.models import Expert
from rounds.models import Invitation, Round, Submission


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
