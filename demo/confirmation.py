"""The demo study's round 4, as the paper ends: the 7 qualified persons certify the model.

The model is round 3's final model (the statements rated high or highest with consensus),
built by the same service a researcher uses; every qualified person rates every component
on appropriateness, usefulness and feasibility, all high or highest as in the paper, and
three of them leave a suggestion (demo/data/confirmation.json; the values themselves follow
the rule of `confirmation_value`). The round is then closed and its results frozen. Rows are
written in bulk, as data loading, not through the experts' services.
"""

import datetime
from collections import Counter

from django.contrib.auth.models import AbstractUser

from rounds.building.services import round_build_final_model
from rounds.models import (
    Channel,
    Domain,
    DomainSuggestion,
    Invitation,
    Rating,
    Round,
    Submission,
)
from rounds.results import round_results_freeze

from .content import BANGKOK, read_data

_CONFIRMATION = read_data("confirmation.json")
# After round 3 closed on 24 April 2019; each qualified person's answers came back on
# these days after the invitation (in May), through these channels.
INVITED_ON = datetime.date.fromisoformat(_CONFIRMATION["invited_on"])
RETURNS = tuple(
    (given["code"], given["day"], Channel(given["channel"])) for given in _CONFIRMATION["returns"]
)

# (code, domain order, text): what three of them wrote about the model.
SUGGESTIONS = tuple(
    (given["code"], given["domain"], given["text"]) for given in _CONFIRMATION["suggestions"]
)


def confirmation_value(person: int, component: int, criterion: int) -> int:
    """5 (highest) mostly, 4 (high) now and then: at most 3 of 7 answers per component and
    criterion are 4, so every median is high or highest with an IQR well under 1.50."""
    return 4 if (person + 2 * component + criterion) % 3 == 0 else 5


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=BANGKOK)


def confirmation_round_load(
    *, round_three: Round | None, round_four: Round | None, user: AbstractUser, created: Counter
) -> None:
    """Fill round 4 from round 3's final model, answer it with the 7 qualified persons, close
    it and freeze its results; only while round 4 is an untouched draft certifying a closed
    round 3, so a second load (or a researcher's own round 4) is left alone."""
    if (
        round_three is None
        or round_four is None
        or round_three.status != Round.Status.CLOSED
        or not round_four.is_draft
        or round_four.previous_round_id != round_three.pk
        or round_four.items.exists()
        or round_four.invitations.exists()
        or round_four.submissions.exists()
    ):
        return
    round_build_final_model(delphi_round=round_four, source_round=round_three, actor=user)
    items = list(round_four.items.order_by("order", "pk"))
    codes = round_four.criterion_codes
    experts = {expert.code: expert for expert in round_four.panel.experts.all()}
    returns = [(code, days, channel) for code, days, channel in RETURNS if code in experts]
    Invitation.objects.bulk_create(
        Invitation(
            delphi_round=round_four,
            expert=expert,
            send_status=Invitation.SendStatus.SENT,
            sent_at=_at(INVITED_ON, 9),
        )
        for expert in experts.values()
    )
    submissions = Submission.objects.bulk_create(
        Submission(
            delphi_round=round_four,
            expert=experts[code],
            status=Submission.Status.SUBMITTED,
            channel=channel,
            entered_by=None if channel == Channel.WEB else user,
            submitted_at=_at(INVITED_ON + datetime.timedelta(days=days), 20),
        )
        for code, days, channel in returns
    )
    ratings = Rating.objects.bulk_create(
        Rating(
            submission=submission,
            item=item,
            criterion=code,
            value=confirmation_value(person, component, criterion),
        )
        for person, submission in enumerate(submissions)
        for component, item in enumerate(items)
        for criterion, code in enumerate(codes)
    )
    by_code = {submission.expert.code: submission for submission in submissions}
    domains = {domain.order: domain for domain in Domain.objects.filter(study=round_four.study)}
    DomainSuggestion.objects.bulk_create(
        DomainSuggestion(submission=by_code[code], domain=domains[order], text=text)
        for code, order, text in SUGGESTIONS
        if code in by_code and order in domains
    )
    round_four.status = Round.Status.CLOSED
    round_four.closed_at = round_four.closes_at
    round_four.save(update_fields=["status", "closed_at"])
    created["confirmation_results"] += round_results_freeze(delphi_round=round_four)
    created["confirmation_submissions"] += len(submissions)
    created["confirmation_ratings"] += len(ratings)
    created["confirmation_items"] += len(items)
