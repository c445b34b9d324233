"""The demo study after round 1, as the paper tells it: content analysis, rounds 2 and 3.

Round 1's answers (demo.answers) are coded into the paper's 22 statements — 4 underlying
concepts, 6 steps of building the network, 5 components and 7 areas of cooperative
administration (delphi_study_paper_th.txt, results) — each linked to the answers it came
from; three duplicates are merged and two kinds of answer are set aside as out of scope.
Round 2 rates the active statements; round 3 asks them again with the group's median and
IQR and each expert's own answer. The same 18 of 21 specialists answer both rounds.

The ratings are given explicitly (demo/data/ratings.json: counts per scale point for round 2,
single moves for round 3) so the results are known in advance and resemble the paper: most
statements reach the highest band (median >= 4.50) with consensus (IQR <= 1.50), a few stay
'high', and three without consensus in round 2 reach it in round 3, where no statement sees
more than 2 of the 18 experts change their answer (stable under the default 15 % rule). Who
gave which value is computed from the counts with a fixed shuffle. Rows are written in bulk,
as data loading, not through the experts' services.
"""

import datetime
import random
from collections import Counter
from typing import NamedTuple

from django.contrib.auth.models import AbstractUser
from django.db.models import OuterRef, Subquery

from panels.models import Study
from panels.protocol import protocol_lock
from rounds.models import (
    Channel,
    Domain,
    Invitation,
    OpenAnswer,
    Rating,
    Round,
    RoundItem,
    Statement,
    StatementSource,
    Submission,
)
from rounds.results import round_results_freeze

from .answers import ANSWER_POOLS, NON_RESPONDENTS, RESPONDENTS
from .content import BANGKOK, read_data

# (question, answer): the `answer`-th entry of ANSWER_POOLS[question], both 0-based.
Source = tuple[int, int]


class DemoStatement(NamedTuple):
    key: str
    domain: int  # index into content.DOMAINS
    text: str
    sources: tuple[Source, ...]
    # Round-2 answers per scale point (18 in all), for active statements.
    round_two: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)
    # Round-3 changes: (from, to) moves one expert's answer; everybody else keeps theirs.
    round_three: tuple[tuple[int, int], ...] = ()
    merged_into: str = ""


class RatingRound(NamedTuple):
    number: int
    invited_on: datetime.date
    # Day of return after the invitation, per respondent (in RESPONDENTS' order).
    return_days: tuple[int, ...]


_RATINGS = read_data("ratings.json")
# The recurring round-2 patterns, by name (each checked by hand with the grouped formulas,
# N = 18; the file notes the median and IQR). A statement names one or gives its own counts.
_PATTERNS = {name: tuple(given["counts"]) for name, given in _RATINGS["round_two_patterns"].items()}


def _statement(given: dict) -> DemoStatement:
    round_two = given.get("round_two", (0, 0, 0, 0, 0))
    return DemoStatement(
        given["key"],
        given["domain"],
        given["text"],
        tuple(tuple(source) for source in given["sources"]),
        _PATTERNS[round_two] if isinstance(round_two, str) else tuple(round_two),
        tuple(tuple(move) for move in given.get("round_three", ())),
        given.get("merged_into", ""),
    )


# The 22 statements by domain (4 concepts, 6 steps, 5 components, 7 areas of cooperative
# administration), then the duplicates found during the content analysis, each merged into
# the statement named by `merged_into`.
STATEMENTS = tuple(_statement(given) for given in _RATINGS["statements"])

# Round-1 answers set aside in the content analysis, with the researcher's reason.
OUT_OF_SCOPE: tuple[tuple[Source, str], ...] = tuple(
    (tuple(given["source"]), given["reason"]) for given in _RATINGS["out_of_scope"]
)

# Why experts moved their answer in round 3, in turn.
CHANGE_REASONS = tuple(_RATINGS["change_reasons"])
# What experts who saw little chance wrote beside their round-2 answer.
LOW_COMMENTS = tuple(_RATINGS["low_comments"])

# Rounds 2 (8 to 25 March 2019) and 3 (30 March to 24 April 2019).
RATING_ROUNDS = tuple(
    RatingRound(
        given["number"],
        datetime.date.fromisoformat(given["invited_on"]),
        tuple(given["return_days"]),
    )
    for given in _RATINGS["rating_rounds"]
)


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BANGKOK)


def _pool_text(source: Source) -> str:
    question, answer = source
    return ANSWER_POOLS[question][answer]


# --------------------------------------------------------------------------- coding


def demo_statements(study: Study) -> dict[str, Statement] | None:
    """The study's active demo statements by key, or None unless all of them are there."""
    active = [s for s in STATEMENTS if not s.merged_into]
    by_text = {
        statement.text: statement
        for statement in Statement.objects.filter(study=study, status=Statement.Status.ACTIVE)
    }
    found = {s.key: by_text.get(s.text) for s in active}
    return None if None in found.values() else found


def round_one_coding_load(
    *, study: Study, round_one: Round, domains: list[Domain], created: Counter
) -> None:
    """Turn round 1's answers into the demo statements, with their sources.

    Only done for a closed round 1 with answers in a study that has no statement yet: once
    the researcher has started coding, the statements are theirs.
    """
    if (
        round_one.status != Round.Status.CLOSED
        or Statement.objects.filter(study=study).exists()
        or not OpenAnswer.objects.filter(question__delphi_round=round_one).exists()
    ):
        return
    answers: dict[tuple[int, str], list[int]] = {}
    for pk, order, text in OpenAnswer.objects.filter(question__delphi_round=round_one).values_list(
        "pk", "question__order", "text"
    ):
        answers.setdefault((order, text), []).append(pk)

    def answer_ids(source: Source) -> list[int]:
        return answers.get((source[0] + 1, _pool_text(source)), [])

    orders: Counter = Counter()

    def make(demo: DemoStatement, **fields) -> Statement:
        orders[demo.domain] += 1
        # Numbered in creation order (bulk_create does not call save()).
        orders["number"] += 1
        return Statement(
            study=study,
            number=orders["number"],
            domain=domains[demo.domain],
            order=orders[demo.domain],
            text=demo.text,
            origin=Statement.Origin.ANSWERS,
            **fields,
        )

    active = [demo for demo in STATEMENTS if not demo.merged_into]
    merged = [demo for demo in STATEMENTS if demo.merged_into]
    rows = dict(
        zip(
            (d.key for d in active),
            Statement.objects.bulk_create(make(d) for d in active),
            strict=True,
        )
    )
    rows |= zip(
        (d.key for d in merged),
        Statement.objects.bulk_create(
            make(d, status=Statement.Status.MERGED, merged_into=rows[d.merged_into]) for d in merged
        ),
        strict=True,
    )
    links: dict[tuple[int, int], StatementSource] = {}
    for demo in STATEMENTS:
        # A merged duplicate keeps its own answers, and the statement it joined gets them too.
        owners = [rows[demo.key]] + ([rows[demo.merged_into]] if demo.merged_into else [])
        for source in demo.sources:
            for answer_id in answer_ids(source):
                for owner in owners:
                    links[(owner.pk, answer_id)] = StatementSource(
                        statement=owner, answer_id=answer_id
                    )
    StatementSource.objects.bulk_create(links.values())
    set_aside = 0
    for source, reason in OUT_OF_SCOPE:
        set_aside += OpenAnswer.objects.filter(pk__in=answer_ids(source)).update(
            out_of_scope_reason=reason
        )
    created["statements"] += len(rows)
    created["merged"] += len(merged)
    created["sources"] += len(links)
    created["out_of_scope"] += set_aside


# --------------------------------------------------------------------------- ratings


def round_two_values(demo: DemoStatement, index: int) -> list[int]:
    """Each respondent's round-2 answer (in RESPONDENTS' order), from the counts."""
    values = [point for point, count in enumerate(demo.round_two, start=1) for _ in range(count)]
    respondents = list(range(len(RESPONDENTS)))
    # A fixed shuffle per statement: who is lenient differs from statement to statement.
    random.Random(20190308 + index).shuffle(respondents)
    answers = [0] * len(RESPONDENTS)
    for respondent, value in zip(respondents, values, strict=True):
        answers[respondent] = value
    return answers


def round_three_values(
    demo: DemoStatement, before: list[int], index: int
) -> tuple[list[int], dict[int, str]]:
    """Round-3 answers: round 2's with the statement's moves; and the movers' reasons."""
    after = list(before)
    reasons = {}
    order = list(range(len(RESPONDENTS)))
    random.Random(20190330 + index).shuffle(order)
    for move, (source, target) in enumerate(demo.round_three):
        mover = next(r for r in order if after[r] == source and r not in reasons)
        after[mover] = target
        reasons[mover] = CHANGE_REASONS[(index + move) % len(CHANGE_REASONS)]
    return after, reasons


def _untouched_draft(delphi_round: Round | None) -> bool:
    return (
        delphi_round is not None
        and delphi_round.is_draft
        and not delphi_round.items.exists()
        and not delphi_round.invitations.exists()
        and not delphi_round.submissions.exists()
    )


def _answer_round(
    *,
    delphi_round: Round,
    plan: RatingRound,
    statements: dict[str, Statement],
    answers: dict[str, list[int]],
    comments: dict[tuple[str, int], str],
    reasons: dict[tuple[str, int], str],
    user: AbstractUser,
    created: Counter,
) -> None:
    """Items, invitations, the 18 submissions with their ratings; then close and freeze."""
    active = [demo for demo in STATEMENTS if not demo.merged_into]
    items = RoundItem.objects.bulk_create(
        RoundItem(delphi_round=delphi_round, statement=statements[demo.key], order=order)
        for order, demo in enumerate(active, start=1)
    )
    experts = {expert.code: expert for expert in delphi_round.panel.experts.all()}
    respondents = [r for r in RESPONDENTS if r.code in experts]
    returned = {
        r.code: plan.invited_on + datetime.timedelta(days=days)
        for r, days in zip(RESPONDENTS, plan.return_days, strict=True)
    }
    invited_at = _at(plan.invited_on, 9)
    Invitation.objects.bulk_create(
        Invitation(
            delphi_round=delphi_round,
            expert=expert,
            send_status=Invitation.SendStatus.SENT,
            sent_at=invited_at + datetime.timedelta(minutes=minute),
            opened_at=_at(returned[code], 19) if code in returned and _web(code) else None,
            reminders_sent=2 if code in NON_RESPONDENTS else 0,
            last_reminded_at=(
                _at(plan.invited_on + datetime.timedelta(days=10), 9)
                if code in NON_RESPONDENTS
                else None
            ),
        )
        for minute, (code, expert) in enumerate(sorted(experts.items()))
    )
    submissions = Submission.objects.bulk_create(
        Submission(
            delphi_round=delphi_round,
            expert=experts[r.code],
            status=Submission.Status.SUBMITTED,
            channel=r.channel,
            entered_by=None if r.channel == Channel.WEB else user,
            submitted_at=_at(returned[r.code], 20, 30),
        )
        for r in respondents
    )
    for respondent, submission in zip(respondents, submissions, strict=True):
        submission.started_at = _at(returned[respondent.code], 19)
        submission.updated_at = submission.submitted_at
    Submission.objects.bulk_update(submissions, ["started_at", "updated_at"])
    index = {r.code: n for n, r in enumerate(RESPONDENTS)}
    ratings = [
        Rating(
            submission=submission,
            item=item,
            value=answers[demo.key][index[respondent.code]],
            comment=comments.get((demo.key, index[respondent.code]), ""),
            reason=reasons.get((demo.key, index[respondent.code]), ""),
        )
        for respondent, submission in zip(respondents, submissions, strict=True)
        for demo, item in zip(active, items, strict=True)
    ]
    Rating.objects.bulk_create(ratings)
    # Ratings keep the day they came back, like their submission.
    Rating.objects.filter(submission__delphi_round=delphi_round).update(
        updated_at=Subquery(
            Submission.objects.filter(pk=OuterRef("submission_id")).values("submitted_at")[:1]
        )
    )
    delphi_round.status = Round.Status.CLOSED
    delphi_round.closed_at = delphi_round.closes_at
    delphi_round.save(update_fields=["status", "closed_at"])
    created["results"] += round_results_freeze(delphi_round=delphi_round)
    created["rating_invitations"] += len(experts)
    created["rating_submissions"] += len(submissions)
    created["ratings"] += len(ratings)


def _web(code: str) -> bool:
    return any(r.code == code and r.channel == Channel.WEB for r in RESPONDENTS)


def rating_rounds_load(
    *, study: Study, rounds: dict[int, Round], user: AbstractUser, created: Counter
) -> None:
    """Rounds 2 and 3 as the paper ran them: invited, answered by 18 of 21, closed, frozen.

    Each round is filled only while it is an untouched draft and the demo's statements are
    all active in the study; round 3 also needs round 2 to have been filled by the demo.
    """
    statements = demo_statements(study)
    if statements is None:
        return
    active = [demo for demo in STATEMENTS if not demo.merged_into]
    round_two = {d.key: round_two_values(d, n) for n, d in enumerate(active)}
    comments = {
        (d.key, respondent): LOW_COMMENTS[(n + respondent) % len(LOW_COMMENTS)]
        for n, d in enumerate(active)
        for respondent, value in enumerate(round_two[d.key])
        if value <= 2
    }
    round_three, reasons = {}, {}
    for n, demo in enumerate(active):
        round_three[demo.key], movers = round_three_values(demo, round_two[demo.key], n)
        reasons |= {(demo.key, respondent): reason for respondent, reason in movers.items()}

    second, third = rounds.get(2), rounds.get(3)
    if _untouched_draft(second):
        # The protocol's rules were fixed when the first rating round opened.
        protocol_lock(study=study, actor=user, round_number=2)
        Study.objects.filter(pk=study.pk).update(
            rules_locked_at=_at(RATING_ROUNDS[0].invited_on, 9)
        )
        _answer_round(
            delphi_round=second,
            plan=RATING_ROUNDS[0],
            statements=statements,
            answers=round_two,
            comments=comments,
            reasons={},
            user=user,
            created=created,
        )
    filled_by_demo = (
        second is not None
        and second.status == Round.Status.CLOSED
        and second.items.filter(statement__in=statements.values()).count() == len(active)
    )
    if filled_by_demo and _untouched_draft(third) and third.previous_round_id == second.pk:
        _answer_round(
            delphi_round=third,
            plan=RATING_ROUNDS[1],
            statements=statements,
            answers=round_three,
            comments={},
            reasons=reasons,
            user=user,
            created=created,
        )
