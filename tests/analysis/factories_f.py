"""Builders for rated rounds (engineer F's): whole rounds with answers, written in bulk."""

from rounds.models import Invitation, Rating, Round, RoundItem, Submission
from rounds.results import round_results_freeze
from tests.factories import RoundFactory


def rating_round(*, study, panel, number, statements, previous_round=None, **fields) -> Round:
    """An open rating round of `panel` asking `statements`, in that order."""
    delphi_round = RoundFactory(
        study=study,
        panel=panel,
        number=number,
        kind=Round.Kind.RATING,
        status=Round.Status.OPEN,
        previous_round=previous_round,
        **fields,
    )
    RoundItem.objects.bulk_create(
        RoundItem(delphi_round=delphi_round, statement=statement, order=order)
        for order, statement in enumerate(statements)
    )
    return delphi_round


def answer(delphi_round, answers: dict, *, invite=()) -> None:
    """Submit `answers` ({expert: [value per item, None = no answer]}) and invite them and
    the experts in `invite`."""
    items = list(delphi_round.items.order_by("order"))
    experts = list(answers) + [expert for expert in invite if expert not in answers]
    Invitation.objects.bulk_create(
        Invitation(delphi_round=delphi_round, expert=expert) for expert in experts
    )
    submissions = Submission.objects.bulk_create(
        Submission(delphi_round=delphi_round, expert=expert, status=Submission.Status.SUBMITTED)
        for expert in answers
    )
    Rating.objects.bulk_create(
        Rating(submission=submission, item=item, value=value)
        for submission, values in zip(submissions, answers.values(), strict=True)
        for item, value in zip(items, values, strict=True)
        if value is not None
    )


def close(delphi_round) -> Round:
    """Close the round and freeze its results, as round_close does."""
    delphi_round.status = Round.Status.CLOSED
    delphi_round.save(update_fields=["status"])
    round_results_freeze(delphi_round=delphi_round)
    return delphi_round
