"""Round 1 of the demo study as it ended in the paper: 21 specialists invited on
22 January 2562 B.E. (2019), 18 questionnaires returned by 25 February.

The answers are invented but say what the paper's results section says the specialists
wrote (the six steps of building a network, its five components, the seven areas of
cooperative administration, the four underlying concepts), in the words a Thai school
director or supervisor would use. A few are deliberately outside the study's scope or say
the same thing twice, so the content analysis of round 1 has something to remove.

Answers came back by post, LINE, e-mail, by phone and in an interview as in the paper; the
researcher keyed those in (proxy entry). The others answered through their personal link.
Who answered when, through which channel, and the answer pools are data (demo/data/
answers.json); which answers each specialist gives is computed (`answers_for`).
"""

import datetime
from collections import Counter
from typing import NamedTuple

from django.contrib.auth.models import AbstractUser
from django.db.models import OuterRef, Subquery

from panels.models import Expert
from rounds.models import Channel, Invitation, OpenAnswer, Round, Submission

from .content import BANGKOK, local_time, read_data


class Respondent(NamedTuple):
    code: str
    channel: str
    returned: datetime.date
    reminded: bool = False


_ANSWERS = read_data("answers.json")

# Three of the 21 never returned round 1 (the paper: 18 of 21), despite two reminders.
NON_RESPONDENTS = tuple(_ANSWERS["non_respondents"])
# The late ones (reminded) were followed up by phone and in person, as the paper describes.
RESPONDENTS = tuple(
    Respondent(
        given["code"],
        Channel(given["channel"]),
        datetime.date.fromisoformat(given["returned"]),
        given.get("reminded", False),
    )
    for given in _ANSWERS["respondents"]
)

INVITED_AT = local_time(_ANSWERS["invited_at"])
FIRST_REMINDER_AT = local_time(_ANSWERS["first_reminder_at"])
SECOND_REMINDER_AT = local_time(_ANSWERS["second_reminder_at"])

# One pool per round-1 question, in the questionnaire's order (content.DOMAINS, then the
# closing question). Each respondent gives two or three of its pool's answers.
ANSWER_POOLS: tuple[tuple[str, ...], ...] = tuple(
    tuple(pool["answers"]) for pool in _ANSWERS["answer_pools"]
)


def answers_for(respondent: int, question: int) -> list[str]:
    """Two or three different answers of the `respondent`-th specialist to question `question`.

    Both are 0-based. Deterministic, so every load writes the same answers, and varied, so
    that neighbouring specialists do not give identical sets.
    """
    pool = ANSWER_POOLS[question]
    count = 2 + (respondent + question) % 2
    start = (3 * respondent + question) % len(pool)
    return [pool[(start + offset) % len(pool)] for offset in range(count)]


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BANGKOK)


def round_one_answers_load(*, delphi_round: Round, user: AbstractUser, created: Counter) -> None:
    """Invite the 21 specialists to round 1, add the 18 returned questionnaires, close it.

    Only done while round 1 is still the untouched draft (no invitation, no submission):
    once a round has left that state it belongs to the researcher, and a second load adds
    nothing. Rows are written directly because this is data loading, not an expert
    answering; submissions the researcher keyed in record the demo researcher and channel.
    """
    if (
        not delphi_round.is_draft
        or delphi_round.invitations.exists()
        or delphi_round.submissions.exists()
    ):
        return
    experts = {expert.code: expert for expert in delphi_round.panel.experts.all()}
    questions = {q.order: q for q in delphi_round.questions.all()}
    by_code = {respondent.code: respondent for respondent in RESPONDENTS}

    invitations = []
    for minute, (code, expert) in enumerate(sorted(experts.items())):
        respondent = by_code.get(code)
        reminders = 2 if code in NON_RESPONDENTS else int(bool(respondent and respondent.reminded))
        opened = respondent is not None and respondent.channel == Channel.WEB
        invitations.append(
            Invitation(
                delphi_round=delphi_round,
                expert=expert,
                send_status=Invitation.SendStatus.SENT,
                sent_at=INVITED_AT + datetime.timedelta(minutes=minute),
                opened_at=_at(respondent.returned, 19) if opened else None,
                reminders_sent=reminders,
                last_reminded_at={1: FIRST_REMINDER_AT, 2: SECOND_REMINDER_AT}.get(reminders),
            )
        )
    Invitation.objects.bulk_create(invitations)
    created["invitations"] += len(invitations)

    respondents = [r for r in RESPONDENTS if r.code in experts]
    submissions = Submission.objects.bulk_create(
        Submission(
            delphi_round=delphi_round,
            expert=experts[r.code],
            status=Submission.Status.SUBMITTED,
            channel=r.channel,
            entered_by=None if r.channel == Channel.WEB else user,
            submitted_at=_at(r.returned, 20, 30),
        )
        for r in respondents
    )
    answers = []
    for index, (respondent, submission) in enumerate(zip(respondents, submissions, strict=True)):
        # started_at/updated_at are automatic on insert; the paper's dates are set after.
        submission.started_at = _at(respondent.returned, 19)
        submission.updated_at = submission.submitted_at
        for number in range(len(ANSWER_POOLS)):
            question = questions.get(number + 1)
            if question is None:
                continue
            for position, text in enumerate(answers_for(index, number), start=1):
                answers.append(
                    OpenAnswer(
                        submission=submission, question=question, position=position, text=text
                    )
                )
    Submission.objects.bulk_update(submissions, ["started_at", "updated_at"])
    created["submissions"] += len(submissions)
    OpenAnswer.objects.bulk_create(answers)
    created["answers"] += len(answers)

    # Answers keep the day they came back, like their submission.
    OpenAnswer.objects.filter(submission__delphi_round=delphi_round).update(
        updated_at=Subquery(
            Submission.objects.filter(pk=OuterRef("submission_id")).values("submitted_at")[:1]
        )
    )
    # Those who used their personal link went through its consent page first.
    consented = []
    for respondent in respondents:
        expert = experts[respondent.code]
        if respondent.channel == Channel.WEB and expert.consent_given_at is None:
            expert.consent_given_at = _at(respondent.returned, 19)
            consented.append(expert)
    Expert.objects.bulk_update(consented, ["consent_given_at"])

    delphi_round.status = Round.Status.CLOSED
    delphi_round.closed_at = delphi_round.closes_at
    delphi_round.save(update_fields=["status", "closed_at"])
