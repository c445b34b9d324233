"""Round facts: a round as a report introduces it (dates, who was asked, who answered, how),
and what every round report starts from (the loaded round, ReportUnavailable)."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from analysis.selectors import ResponseRate
from panels.models import Panel, Study
from rounds.models import Channel, Invitation, Round, Submission

# What a report prints where a figure does not apply or is missing.
NOTHING = "\N{EN DASH}"

RATED_KINDS = (Round.Kind.RATING, Round.Kind.CONFIRMATION)


class ReportUnavailable(ValueError):
    """A round has nothing to report yet (a rating round not closed, an open round in a rating
    report): the message says why, politely, in the active language."""


@dataclass(frozen=True)
class ChannelCount:
    """How many returned questionnaires came through one channel (web, paper, LINE, …)."""

    code: str
    label: str
    count: int


@dataclass(frozen=True)
class RoundFacts:
    """A round as a report introduces it: when it ran, who was asked, who answered, how.

    `closed_at` is when the round was last closed (`Round.closed_at`), None for a round not
    closed. `returned` counts submitted
    questionnaires only: a draft is not an answer.
    """

    delphi_round: Round
    panel: Panel
    opens_at: datetime.datetime | None
    closes_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    invited: int
    returned: int
    channels: tuple[ChannelCount, ...]

    @property
    def number(self) -> int:
        return self.delphi_round.number

    @property
    def kind(self) -> str:
        return self.delphi_round.kind

    @property
    def kind_label(self) -> str:
        return str(self.delphi_round.get_kind_display())

    @property
    def is_closed(self) -> bool:
        return self.delphi_round.status == Round.Status.CLOSED

    @property
    def is_draft(self) -> bool:
        return self.delphi_round.status == Round.Status.DRAFT

    @property
    def ends_at(self) -> datetime.datetime | None:
        """When the round ended: its real closing time once closed, else its deadline."""
        if self.is_closed and self.closed_at is not None:
            return self.closed_at
        return self.closes_at

    @property
    def days_open(self) -> int | None:
        """Calendar days from opening to end, both counted, in the site's time zone."""
        if self.opens_at is None or self.ends_at is None:
            return None
        start = timezone.localtime(self.opens_at).date()
        end = timezone.localtime(self.ends_at).date()
        return (end - start).days + 1

    @property
    def response_rate(self) -> int | None:
        """Whole percent, rounded half-up as on the tracking and results pages."""
        return ResponseRate(invited=self.invited, submitted=self.returned).percent


def _facts(rounds: list[Round]) -> list[RoundFacts]:
    ids = [delphi_round.pk for delphi_round in rounds]
    invited = dict(
        Invitation.objects.filter(delphi_round_id__in=ids)
        .order_by()
        .values("delphi_round_id")
        .annotate(count=Count("pk"))
        .values_list("delphi_round_id", "count")
    )
    channels: dict[int, Counter] = defaultdict(Counter)
    submitted = (
        Submission.objects.filter(delphi_round_id__in=ids, status=Submission.Status.SUBMITTED)
        .order_by()
        .values("delphi_round_id", "channel")
        .annotate(count=Count("pk"))
        .values_list("delphi_round_id", "channel", "count")
    )
    for round_id, channel, count in submitted:
        channels[round_id][channel] += count
    labels = dict(Channel.choices)
    facts = []
    for delphi_round in rounds:
        used = channels[delphi_round.pk]
        facts.append(
            RoundFacts(
                delphi_round=delphi_round,
                panel=delphi_round.panel,
                opens_at=delphi_round.opens_at,
                closes_at=delphi_round.closes_at,
                closed_at=delphi_round.closed_at,
                invited=invited.get(delphi_round.pk, 0),
                returned=sum(used.values()),
                # Channels in the order the site lists them, each with its label.
                channels=tuple(
                    ChannelCount(code=code, label=str(labels[code]), count=used[code])
                    for code in Channel.values
                    if used[code]
                ),
            )
        )
    return facts


def rounds_facts(study: Study) -> list[RoundFacts]:
    """Facts of every round of the study, in round order; four queries whatever the size."""
    rounds = list(
        Round.objects.filter(study=study)
        .select_related("panel", "previous_round")
        .order_by("number")
    )
    return _facts(rounds)


def round_facts(delphi_round: Round) -> RoundFacts:
    """Facts of one round (dates, days open, invited, returned, response rate, channels)."""
    if "panel" not in delphi_round._state.fields_cache:
        delphi_round = Round.objects.select_related("panel").get(pk=delphi_round.pk)
    return _facts([delphi_round])[0]


def sent_rounds(facts: list[RoundFacts]) -> list[RoundFacts]:
    """The rounds that went out to experts (drafts left out)."""
    return [fact for fact in facts if not fact.is_draft]


def rated_rounds(facts: list[RoundFacts]) -> list[RoundFacts]:
    """The rating and confirmation rounds that went out to experts."""
    return [fact for fact in sent_rounds(facts) if fact.kind in RATED_KINDS]


def round_for_report(delphi_round: Round) -> Round:
    """The round with what `round_results` and the facts need loaded in one query."""
    return Round.objects.select_related("study", "panel", "previous_round").get(pk=delphi_round.pk)
