"""The expert's pages: welcome and consent, the questionnaire, closed, thank you."""

from django.contrib import messages
from django.db.models import F, OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from panels.models import Expert
from panels.services import audit
from rounds.answering import (
    RoundClosedError,
    answer_late_record,
    answering_deadline,
    invitations_mark_opened,
    questionnaire_save,
    remember_previous_ranges,
    round_accepts_answers,
    round_items_with_previous_range,
    rounds_for_expert,
)
from rounds.forms_expert import OpenQuestionnaireForm, RatingQuestionnaireForm
from rounds.models import DEFAULT_CRITERION, OpenAnswer, Rating, Round, Submission

from .access import base_context, expert_page, expert_round
from .confirmation import confirmation_questionnaire
from .questionnaire import (
    open_boxes,
    rating_rows,
    render_open,
    render_rating,
    saved_message,
    value_label,
)

# --------------------------------------------------------------------------- welcome and consent


@expert_page
@require_safe
def start(request: HttpRequest, *, expert: Expert, token: str) -> HttpResponse:
    submissions = Submission.objects.filter(delphi_round=OuterRef("pk"), expert=expert)
    rounds = list(
        rounds_for_expert(expert)
        .filter(status=Round.Status.OPEN)
        .annotate(submission_status=Subquery(submissions.values("status")[:1]))
        .order_by("number")
    )
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
    # The filter makes a second click (or a second tab) keep the first consent's time.
    given = Expert.objects.filter(pk=expert.pk, consent_given_at__isnull=True).update(
        consent_given_at=timezone.now()
    )
    if given:
        audit(study=expert.panel.study, actor=None, action="expert.consent", expert=expert.code)
    return redirect("expert:start", token=token)


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
            return _closed(request, expert, token, delphi_round, closed=closed)
        if outcome.submitted:
            return redirect("expert:thanks", token=token, round_pk=delphi_round.pk)
        if not form.item_errors() and not outcome.refused and outcome.submit_error is None:
            messages.success(request, saved_message(delphi_round, expert))
            return redirect("expert:round", token=token, round_pk=delphi_round.pk)
        submission = Submission.objects.filter(delphi_round=delphi_round, expert=expert).first()
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
    submission = Submission.objects.filter(delphi_round=delphi_round, expert=expert).first()
    saved = {}
    if submission is not None:
        saved = {
            rating.item_id: rating
            for rating in Rating.objects.filter(submission=submission, criterion=DEFAULT_CRITERION)
        }
    rows = rating_rows(delphi_round, expert, items, saved=saved)
    return render_rating(request, expert, token, delphi_round, rows, submission=submission)


def _open_questionnaire(request, expert, token, delphi_round):
    questions = list(delphi_round.questions.select_related("domain"))
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
            return _closed(request, expert, token, delphi_round, closed=closed)
        if outcome.submitted:
            return redirect("expert:thanks", token=token, round_pk=delphi_round.pk)
        errors = form.question_errors()
        for question_pk, error in outcome.refused.items():
            errors.setdefault(question_pk, []).extend(error.messages)
        if not errors and outcome.submit_error is None:
            url = reverse("expert:round", kwargs={"token": token, "round_pk": delphi_round.pk})
            if action.startswith("add:") and action[4:].isdigit():
                return redirect(f"{url}?add={action[4:]}#question-{action[4:]}")
            messages.success(request, saved_message(delphi_round, expert))
            return redirect(url)
        posted = {
            question_pk: {position: text for position, text in boxes.items() if text.strip()}
            for question_pk, boxes in form.posted().items()
        }
        entries = open_boxes(questions, posted, None)
        for entry in entries:
            entry["errors"] = errors.get(entry["question"].pk, [])
        submission = Submission.objects.filter(delphi_round=delphi_round, expert=expert).first()
        return render_open(
            request,
            expert,
            token,
            delphi_round,
            entries,
            submission=submission,
            submit_error=outcome.submit_error,
        )
    submission = Submission.objects.filter(delphi_round=delphi_round, expert=expert).first()
    texts: dict[int, dict[int, str]] = {}
    if submission is not None:
        for answer in OpenAnswer.objects.filter(submission=submission):
            texts.setdefault(answer.question_id, {})[answer.position] = answer.text
    add_to = request.GET.get("add", "")
    entries = open_boxes(questions, texts, int(add_to) if add_to.isdigit() else None)
    return render_open(request, expert, token, delphi_round, entries, submission=submission)


@expert_page
@require_http_methods(["GET", "HEAD", "POST"])
def round_page(request: HttpRequest, *, expert: Expert, token: str, round_pk: int) -> HttpResponse:
    delphi_round = expert_round(expert, round_pk)
    if expert.consent_given_at is None:
        return redirect("expert:start", token=token)
    if not round_accepts_answers(delphi_round=delphi_round, expert=expert):
        return _closed(request, expert, token, delphi_round)
    if request.method != "POST":
        invitations_mark_opened(expert=expert, rounds=[delphi_round])
    if delphi_round.kind == Round.Kind.OPEN:
        return _open_questionnaire(request, expert, token, delphi_round)
    if delphi_round.kind == Round.Kind.CONFIRMATION:
        return confirmation_questionnaire(request, expert, token, delphi_round)
    return _rating_questionnaire(request, expert, token, delphi_round)


# --------------------------------------------------------------------------- closed, late, thanks


def _late_content(request: HttpRequest, delphi_round: Round) -> tuple[dict, list[dict]]:
    """What a POST after the close carried: for the audit log, and to show it back."""
    if delphi_round.kind == Round.Kind.OPEN:
        questions = {q.pk: q for q in delphi_round.questions.all()}
        form = OpenQuestionnaireForm(request.POST, questions=list(questions.values()))
        answers, shown = [], []
        for question_pk, boxes in sorted(form.posted().items()):
            texts = [boxes[p].strip() for p in sorted(boxes) if boxes[p].strip()]
            if question_pk in questions and texts:
                answers.append({"question": question_pk, "texts": texts})
                shown.append({"title": questions[question_pk].text, "texts": texts})
        return {"answers": answers}, shown
    items = list(delphi_round.items.select_related("statement"))
    ratings, shown = [], []
    for item in items:
        value = request.POST.get(f"rating_{item.pk}", "").strip()
        comment = request.POST.get(f"comment_{item.pk}", "").strip()
        reason = request.POST.get(f"reason_{item.pk}", "").strip()
        if value or comment or reason:
            ratings.append({"item": item.pk, "value": value, "comment": comment, "reason": reason})
            label = value_label(delphi_round, int(value)) if value.isdigit() else value
            shown.append(
                {"title": item.statement.text, "texts": [t for t in (label, comment, reason) if t]}
            )
    return {"ratings": ratings}, shown


def _closed(request, expert, token, delphi_round, *, closed: RoundClosedError | None = None):
    late = []
    if request.method == "POST":
        content, late = _late_content(request, delphi_round)
        if late:
            answer_late_record(delphi_round=delphi_round, expert=expert, content=content)
    submission = Submission.objects.filter(delphi_round=delphi_round, expert=expert).first()
    context = base_context(expert, token, delphi_round) | {
        "late": late,
        "submission": submission,
    }
    return render(request, "rounds/expert/closed.html", context)


def _confirmation_summary(delphi_round: Round, submission: Submission) -> list[dict]:
    """Each component with its rating on every criterion, then each domain's suggestion;
    two queries whatever the numbers of items and criteria."""
    criteria = delphi_round.rating_criteria
    ratings = (
        Rating.objects.filter(submission=submission, criterion__in=[c["code"] for c in criteria])
        .select_related("item__statement")
        .order_by(
            F("item__statement__domain__order").asc(nulls_last=True),
            "item__statement__domain_id",
            "item__order",
            "item__pk",
        )
    )
    by_item: dict[int, tuple] = {}
    for rating in ratings:
        by_item.setdefault(rating.item_id, (rating.item, {}))[1][rating.criterion] = rating.value
    summary = [
        {
            "title": item.statement.text,
            "notes": [
                (criterion["label"], value_label(delphi_round, values[criterion["code"]]))
                for criterion in criteria
                if criterion["code"] in values
            ],
        }
        for item, values in by_item.values()
    ]
    suggestions = submission.suggestions.select_related("domain").order_by(
        "domain__order", "domain__pk"
    )
    summary += [
        {
            "title": _("Your suggestions on “%(domain)s”") % {"domain": suggestion.domain.title},
            "texts": [suggestion.text],
        }
        for suggestion in suggestions
    ]
    return summary


@expert_page
@require_safe
def thanks(request: HttpRequest, *, expert: Expert, token: str, round_pk: int) -> HttpResponse:
    delphi_round = expert_round(expert, round_pk)
    submission = Submission.objects.filter(
        delphi_round=delphi_round, expert=expert, status=Submission.Status.SUBMITTED
    ).first()
    if submission is None:
        return redirect("expert:round", token=token, round_pk=delphi_round.pk)
    if delphi_round.kind == Round.Kind.OPEN:
        answers = OpenAnswer.objects.filter(submission=submission).select_related(
            "question__domain"
        )
        by_question = {}
        for answer in answers:
            by_question.setdefault(answer.question, []).append(answer.text)
        summary = [
            {"title": question.text, "texts": texts}
            for question, texts in sorted(
                by_question.items(), key=lambda pair: (pair[0].order, pair[0].pk)
            )
        ]
    elif delphi_round.kind == Round.Kind.CONFIRMATION:
        summary = _confirmation_summary(delphi_round, submission)
    else:
        ratings = (
            Rating.objects.filter(submission=submission, criterion=DEFAULT_CRITERION)
            # The questionnaire's order: domain by domain, then the round's item order.
            .order_by(
                F("item__statement__domain__order").asc(nulls_last=True),
                "item__statement__domain_id",
                "item__order",
                "item__pk",
            )
            # Plain rows, not model instances: the page shows four values of each.
            .values_list("item__statement__text", "value", "comment", "reason")
        )
        comment_label, reason_label = _("Comment"), _("Reason")
        summary = [
            {
                "title": title,
                "value": value_label(delphi_round, value),
                "notes": [
                    (label, text)
                    for label, text in ((comment_label, comment), (reason_label, reason))
                    if text
                ],
            }
            for title, value, comment, reason in ratings
        ]
    context = base_context(expert, token, delphi_round) | {
        "submission": submission,
        "summary": summary,
        "can_edit": round_accepts_answers(delphi_round=delphi_round, expert=expert),
    }
    return render(request, "rounds/expert/thanks.html", context)
