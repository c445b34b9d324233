"""The round's page: the rating or open questionnaire (the confirmation one is in
`confirmation`), shown with the saved answers and saved as the page without JavaScript posts
it ("Save draft", "Submit")."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from panels.models import Expert
from rounds.answering.forms import OpenQuestionnaireForm, RatingQuestionnaireForm
from rounds.answering.pages import open_boxes, open_context, rating_context, saved_message
from rounds.answering.questionnaire import rating_rows
from rounds.answering.rules import MAX_OPEN_ANSWERS, RoundClosedError, round_accepts_answers
from rounds.answering.selectors import (
    remember_previous_ranges,
    round_items_with_previous_range,
    round_questions,
    saved_open_boxes,
    saved_ratings,
    submission_for_expert,
)
from rounds.answering.services import invitations_mark_opened
from rounds.answering.submission import questionnaire_save
from rounds.models import Round

from .access import expert_page, expert_round
from .confirmation import confirmation_questionnaire
from .pages import closed_page


def render_rating(
    request, expert, token, delphi_round, rows, *, submission, submit_error=None, status=200
):
    context = rating_context(
        expert, token, delphi_round, rows, submission=submission, submit_error=submit_error
    )
    return render(request, "rounds/expert/round_rating.html", context, status=status)


def render_open(
    request, expert, token, delphi_round, entries, *, submission, submit_error=None, times=None
):
    context = open_context(
        expert,
        token,
        delphi_round,
        entries,
        submission=submission,
        submit_error=submit_error,
        saved_times=times,
    )
    return render(request, "rounds/expert/round_open.html", context)


def _rating_questionnaire(request, expert, token, delphi_round):
    items = list(round_items_with_previous_range(delphi_round))
    remember_previous_ranges(items)
    if request.method == "POST":
        form = RatingQuestionnaireForm(
            request.POST,
            items=items,
            points=delphi_round.study.scale_points,
            allow_cannot_judge=delphi_round.allow_cannot_judge,
        )
        form.is_valid()
        submit = request.POST.get("action") == "submit"
        try:
            outcome = questionnaire_save(
                delphi_round=delphi_round, expert=expert, ratings=form.answers(), submit=submit
            )
        except RoundClosedError as closed:
            return closed_page(request, expert, token, delphi_round, closed=closed)
        if outcome.submitted:
            return redirect("expert:thanks", token=token, round_pk=delphi_round.pk)
        if not form.item_errors() and not outcome.refused and outcome.submit_error is None:
            messages.success(request, saved_message(delphi_round, expert))
            return redirect("expert:round", token=token, round_pk=delphi_round.pk)
        submission = submission_for_expert(delphi_round=delphi_round, expert=expert)
        rows = rating_rows(
            delphi_round, expert, items, saved={}, form=form, refused=outcome.refused
        )
        return render_rating(
            request,
            expert,
            token,
            delphi_round,
            rows,
            submission=submission,
            submit_error=outcome.submit_error,
        )
    submission = submission_for_expert(delphi_round=delphi_round, expert=expert)
    rows = rating_rows(delphi_round, expert, items, saved=saved_ratings(submission))
    return render_rating(request, expert, token, delphi_round, rows, submission=submission)


def _open_questionnaire(request, expert, token, delphi_round):
    questions = round_questions(delphi_round)
    if request.method == "POST":
        form = OpenQuestionnaireForm(request.POST, questions=questions)
        form.is_valid()
        action = request.POST.get("action", "")
        try:
            outcome = questionnaire_save(
                delphi_round=delphi_round,
                expert=expert,
                open_answers=form.texts(),
                submit=action == "submit",
            )
        except RoundClosedError as closed:
            return closed_page(request, expert, token, delphi_round, closed=closed)
        if outcome.submitted:
            return redirect("expert:thanks", token=token, round_pk=delphi_round.pk)
        errors = form.question_errors()
        for question_pk, error in outcome.refused.items():
            errors.setdefault(question_pk, []).extend(error.messages)
        if not errors and outcome.submit_error is None:
            url = reverse("expert:round", kwargs={"token": token, "round_pk": delphi_round.pk})
            if action.startswith("add:") and action[4:].isdigit():
                # One box more than the page showed (the boxes left empty were posted too).
                shown = len(form.posted().get(int(action[4:]), {}))
                return redirect(f"{url}?add={action[4:]}&shown={shown}#question-{action[4:]}")
            messages.success(request, saved_message(delphi_round, expert))
            return redirect(url)
        posted = {
            question_pk: {position: text for position, text in boxes.items() if text.strip()}
            for question_pk, boxes in form.posted().items()
        }
        entries = open_boxes(questions, posted, None)
        for entry in entries:
            entry["errors"] = errors.get(entry["question"].pk, [])
        submission = submission_for_expert(delphi_round=delphi_round, expert=expert)
        return render_open(
            request,
            expert,
            token,
            delphi_round,
            entries,
            submission=submission,
            submit_error=outcome.submit_error,
        )
    submission = submission_for_expert(delphi_round=delphi_round, expert=expert)
    texts, times = saved_open_boxes(submission)
    add_to, shown = request.GET.get("add", ""), request.GET.get("shown", "")
    entries = open_boxes(
        questions,
        texts,
        int(add_to) if add_to.isdigit() else None,
        min(int(shown), MAX_OPEN_ANSWERS) if shown.isdigit() else None,
    )
    return render_open(
        request, expert, token, delphi_round, entries, submission=submission, times=times
    )


@expert_page
@require_http_methods(["GET", "HEAD", "POST"])
def round_page(request: HttpRequest, *, expert: Expert, token: str, round_pk: int) -> HttpResponse:
    delphi_round = expert_round(expert, round_pk)
    if expert.consent_given_at is None:
        return redirect("expert:start", token=token)
    if not round_accepts_answers(delphi_round=delphi_round, expert=expert):
        return closed_page(request, expert, token, delphi_round)
    if request.method != "POST":
        invitations_mark_opened(expert=expert, rounds=[delphi_round])
    if delphi_round.kind == Round.Kind.OPEN:
        return _open_questionnaire(request, expert, token, delphi_round)
    if delphi_round.kind == Round.Kind.CONFIRMATION:
        return confirmation_questionnaire(request, expert, token, delphi_round)
    return _rating_questionnaire(request, expert, token, delphi_round)
