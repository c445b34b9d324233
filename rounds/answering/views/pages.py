"""The expert's pages around the questionnaire: welcome and consent, closed, thank you."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from panels.models import Expert
from rounds.answering.pages import base_context, late_content, thanks_summary
from rounds.answering.rules import (
    RoundClosedError,
    answering_deadline,
    closed_since,
    round_accepts_answers,
)
from rounds.answering.selectors import open_rounds_for_expert, submission_for_expert
from rounds.answering.services import answer_late_record, consent_give, invitations_mark_opened
from rounds.models import Submission

from .access import expert_page, expert_round

# --------------------------------------------------------------------------- welcome and consent


@expert_page
@require_safe
def start(request: HttpRequest, *, expert: Expert, token: str) -> HttpResponse:
    rounds = open_rounds_for_expert(expert)
    invitations_mark_opened(expert=expert, rounds=rounds)
    entries = [
        {
            "round": delphi_round,
            "deadline": answering_deadline(delphi_round=delphi_round, expert=expert),
            "submitted": delphi_round.submission_status == Submission.Status.SUBMITTED,
            "started": delphi_round.submission_status is not None,
        }
        for delphi_round in rounds
        if round_accepts_answers(delphi_round=delphi_round, expert=expert)
    ]
    context = base_context(expert, token) | {"entries": entries}
    return render(request, "rounds/expert/start.html", context)


@expert_page
@require_POST
def consent(request: HttpRequest, *, expert: Expert, token: str) -> HttpResponse:
    consent_give(expert=expert)
    return redirect("expert:start", token=token)


# --------------------------------------------------------------------------- closed, late, thanks


def closed_page(request, expert, token, delphi_round, *, closed: RoundClosedError | None = None):
    """The polite page of a round that no longer accepts the expert's answers; a POST's
    answers are shown back and kept in the audit log."""
    late = []
    if request.method == "POST":
        content, late = late_content(request.POST, delphi_round)
        if late:
            answer_late_record(delphi_round=delphi_round, expert=expert, content=content)
    submission = submission_for_expert(delphi_round=delphi_round, expert=expert)
    context = base_context(expert, token, delphi_round) | {
        "late": late,
        "submission": submission,
        # "closed on": the real closing time, not the planned deadline.
        "deadline": closed_since(delphi_round=delphi_round, expert=expert),
    }
    return render(request, "rounds/expert/closed.html", context)


@expert_page
@require_safe
def thanks(request: HttpRequest, *, expert: Expert, token: str, round_pk: int) -> HttpResponse:
    delphi_round = expert_round(expert, round_pk)
    submission = submission_for_expert(delphi_round=delphi_round, expert=expert, submitted=True)
    if submission is None:
        return redirect("expert:round", token=token, round_pk=delphi_round.pk)
    context = base_context(expert, token, delphi_round) | {
        "submission": submission,
        "summary": thanks_summary(delphi_round, submission),
        "can_edit": round_accepts_answers(delphi_round=delphi_round, expert=expert),
    }
    return render(request, "rounds/expert/thanks.html", context)
