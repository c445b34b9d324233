"""Autosave (HTMX): one statement or one answer box at a time, answered with a tiny status."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from delphi_site.templatetags.thaidate import localdatetime
from panels.models import Expert
from rounds.answering.forms import OpenAnswerForm, RatingQuestionnaireForm
from rounds.answering.rules import MAX_OPEN_ANSWERS, RoundClosedError
from rounds.answering.selectors import question_for_expert, round_item_for_expert
from rounds.answering.services import answer_late_record, open_answer_autosave, rating_autosave
from rounds.models import Round

from .access import Unavailable, expert_page


def save_status(request, state: str, message: str = "") -> HttpResponse:
    """The tiny status an autosave answers with: idle, saved or error (with the message)."""
    context = {"state": state, "message": message, "time": timezone.localtime()}
    return render(request, "rounds/expert/partials/_save_status.html", context)


def closed_status(request, delphi_round, expert, closed: RoundClosedError, content: dict):
    """The error status of an autosave that came too late; what it carried is kept."""
    answer_late_record(delphi_round=delphi_round, expert=expert, content=content)
    if closed.deadline:
        message = _(
            "This round closed on %(date)s, so this answer was not saved. Please copy your text "
            "and send it to the research team."
        ) % {"date": localdatetime(closed.deadline)}
    else:
        message = _(
            "This round is closed, so this answer was not saved. Please copy your text and send "
            "it to the research team."
        )
    return save_status(request, "error", message)


@expert_page
@require_POST
def autosave_rating(
    request: HttpRequest, *, expert: Expert, token: str, round_pk: int, item_pk: int
) -> HttpResponse:
    item = round_item_for_expert(expert=expert, round_pk=round_pk, item_pk=item_pk)
    if item is None:
        raise Unavailable(404)
    delphi_round = item.delphi_round
    if expert.consent_given_at is None:
        return save_status(request, "error", _("Please agree to take part first."))
    if delphi_round.kind == Round.Kind.CONFIRMATION:
        return _autosave_criterion(request, expert, delphi_round, item)
    form = RatingQuestionnaireForm(
        request.POST,
        items=[item],
        points=delphi_round.study.scale_points,
        allow_cannot_judge=delphi_round.allow_cannot_judge,
    )
    if not form.is_valid():
        return save_status(request, "error", " ".join(form.item_errors()[item.pk]))
    answers = form.answers()
    if not answers:
        return save_status(request, "idle")
    answer = answers[0]
    try:
        rating_autosave(
            delphi_round=delphi_round,
            expert=expert,
            item=item,
            value=answer.value,
            comment=answer.comment,
            reason=answer.reason,
        )
    except RoundClosedError as closed:
        content = {
            "ratings": [
                {
                    "item": item.pk,
                    "value": answer.value,
                    "comment": answer.comment,
                    "reason": answer.reason,
                }
            ]
        }
        return closed_status(request, delphi_round, expert, closed, content)
    except ValidationError as error:
        return save_status(request, "error", " ".join(error.messages))
    return save_status(request, "saved")


def _autosave_criterion(request, expert, delphi_round, item) -> HttpResponse:
    """A confirmation round's autosave: one item on one criterion (`?criterion=<code>`)."""
    criterion = request.GET.get("criterion", "")
    raw = request.POST.get(f"rating_{item.pk}_{criterion}", "").strip()
    if not raw:
        return save_status(request, "idle")
    value = int(raw) if raw.isdigit() else -1
    try:
        rating_autosave(
            delphi_round=delphi_round,
            expert=expert,
            item=item,
            value=value,
            criterion=criterion,
        )
    except RoundClosedError as closed:
        content = {"ratings": [{"item": item.pk, "criterion": criterion, "value": raw}]}
        return closed_status(request, delphi_round, expert, closed, content)
    except ValidationError as error:
        return save_status(request, "error", " ".join(error.messages))
    return save_status(request, "saved")


@expert_page
@require_POST
def autosave_open(
    request: HttpRequest,
    *,
    expert: Expert,
    token: str,
    round_pk: int,
    question_pk: int,
    position: int,
) -> HttpResponse:
    question = question_for_expert(expert=expert, round_pk=round_pk, question_pk=question_pk)
    if question is None:
        raise Unavailable(404)
    delphi_round = question.delphi_round
    if expert.consent_given_at is None:
        return save_status(request, "error", _("Please agree to take part first."))
    form = OpenAnswerForm(request.POST, question=question, position=position)
    if not form.is_valid():
        return save_status(request, "error", " ".join(form.errors[form.field_name]))
    try:
        changed = open_answer_autosave(
            delphi_round=delphi_round,
            expert=expert,
            question=question,
            position=position,
            text=form.text,
        )
    except RoundClosedError as closed:
        content = {"answers": [{"question": question.pk, "texts": [form.text]}]}
        return closed_status(request, delphi_round, expert, closed, content)
    except ValidationError as error:
        return save_status(request, "error", " ".join(error.messages))
    return save_status(request, "saved" if changed else "idle")


@expert_page
@require_safe
def open_box(
    request: HttpRequest, *, expert: Expert, token: str, round_pk: int, question_pk: int
) -> HttpResponse:
    """One more answer box for a question (the "add another answer" button, with HTMX)."""
    question = question_for_expert(expert=expert, round_pk=round_pk, question_pk=question_pk)
    if question is None:
        raise Unavailable(404)
    position = request.GET.get("position", "")
    if not position.isdigit() or not 1 <= int(position) <= MAX_OPEN_ANSWERS:
        raise Unavailable(404)
    position = int(position)
    context = {
        "token": token,
        "round": question.delphi_round,
        "question": question,
        "position": position,
        "text": "",
        "next_position": position + 1,
        "can_add": position < MAX_OPEN_ANSWERS,
        "oob": True,
    }
    return render(request, "rounds/expert/partials/_open_box_added.html", context)
