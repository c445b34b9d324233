"""Proxy entry: the researcher keys in or corrects answers that came on paper, by phone, …

Every write goes through the answering services with `actor=request.user`; they set the
submission's channel and `entered_by` and write the audit trail (who, when, old → new).
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from panels.models import AuditEvent, Expert
from panels.selectors import study_for_user

from .answering import (
    RoundClosedError,
    open_answers_save,
    rating_save,
    submission_start,
    submission_submit,
)
from .confirmation import round_domains
from .confirmation_proxy import suggestions_proxy_save
from .forms_proxy import ProxyEntryForm, answers_by_question
from .models import Channel, Domain, Round, Submission

PROXY_ACTION = "answer.proxy"
# Shown where there was nothing before (or nothing after) a change.
NOTHING = "\N{EN DASH}"


def _study_round(request: HttpRequest, study_pk: int, round_pk: int, *, write: bool = True):
    study = study_for_user(user=request.user, study_pk=study_pk, write=write)
    delphi_round = get_object_or_404(
        Round.objects.select_related("panel"), study=study, pk=round_pk
    )
    delphi_round.study = study  # already loaded, with the reader's role on it
    return study, delphi_round


def _not_open_message(delphi_round: Round) -> str:
    if delphi_round.is_draft:
        return _("“%(round)s” has not been opened yet. Answers can be entered once it is open.") % {
            "round": delphi_round.display_title
        }
    return _(
        "“%(round)s” is closed, so answers can no longer be entered or corrected. "
        "Everything entered while it was open is kept."
    ) % {"round": delphi_round.display_title}


@login_required
@require_safe
def proxy_list(request: HttpRequest, study_pk: int, round_pk: int) -> HttpResponse:
    study, delphi_round = _study_round(request, study_pk, round_pk)
    submissions = {
        submission.expert_id: submission
        for submission in delphi_round.submissions.select_related("entered_by")
    }
    experts = delphi_round.panel.experts.order_by("code")
    context = {
        "study": study,
        "round": delphi_round,
        "rows": [(expert, submissions.get(expert.pk)) for expert in experts],
        "not_open_message": None if delphi_round.is_open else _not_open_message(delphi_round),
    }
    return render(request, "rounds/proxy_list.html", context)


def _questionnaire(delphi_round: Round):
    if delphi_round.kind == Round.Kind.OPEN:
        return list(delphi_round.questions.select_related("domain")), []
    items = delphi_round.items.select_related("statement__domain").order_by(
        "statement__domain__order", "order", "pk"
    )
    return [], list(items)


@transaction.atomic
def _save_changes(
    *, form: ProxyEntryForm, delphi_round: Round, expert: Expert, submission, actor
) -> tuple[Submission | None, int]:
    """Every correction of one form, or none of them; returns the submission and the count.

    All or nothing, so that a refused answer sends the whole form back as typed instead of
    leaving half of it saved. A form that changes nothing creates no submission.
    """
    answer_changes = form.changed_answers()
    rating_changes = form.changed_ratings()
    suggestion_changes = form.changed_suggestions()
    channel = form.cleaned_data["channel"]
    changed = len(answer_changes) + len(rating_changes) + len(suggestion_changes)
    if submission is None and not changed:
        return None, 0
    if submission is None or changed or submission.channel != channel:
        submission = submission_start(
            delphi_round=delphi_round, expert=expert, channel=channel, entered_by=actor
        )
    for question, texts in answer_changes.items():
        try:
            open_answers_save(submission=submission, question=question, texts=texts, actor=actor)
        except RoundClosedError:
            raise
        except ValidationError as error:
            # Shown beside the question it concerns; the rollback keeps nothing half-saved.
            raise ValidationError({form.answer_field_name(question, 0): error}) from error
    for change in rating_changes:
        try:
            rating_save(
                submission=submission,
                item=change.item,
                value=change.value,
                comment=change.comment,
                reason=change.reason,
                criterion=change.criterion,
                actor=actor,
            )
        except RoundClosedError:
            raise
        except ValidationError as error:
            field = f"rating_{change.item.pk}"
            if delphi_round.kind == Round.Kind.CONFIRMATION:
                field += f"_{change.criterion}"
            raise ValidationError({field: error}) from error
    if suggestion_changes:
        suggestions_proxy_save(
            submission=submission,
            texts=suggestion_changes,
            domain_ids={domain.pk for domain in form.domains},
            actor=actor,
        )
    return submission, changed


@login_required
def proxy_entry(request: HttpRequest, study_pk: int, round_pk: int, expert_pk: int) -> HttpResponse:
    study, delphi_round = _study_round(request, study_pk, round_pk)
    expert = get_object_or_404(Expert, panel_id=delphi_round.panel_id, pk=expert_pk)
    if not delphi_round.is_open:
        messages.warning(request, _not_open_message(delphi_round))
        return redirect("rounds:proxy_list", study_pk=study.pk, round_pk=delphi_round.pk)

    submission = Submission.objects.filter(delphi_round=delphi_round, expert=expert).first()
    questions, items = _questionnaire(delphi_round)
    answers, ratings, suggestions, domains = {}, {}, {}, []
    confirmation = delphi_round.kind == Round.Kind.CONFIRMATION
    if confirmation:
        domains = round_domains(delphi_round)
    if submission is not None and questions:
        answers = answers_by_question(list(submission.answers.all()))
    elif submission is not None and confirmation:
        ratings = {(r.item_id, r.criterion): r for r in submission.ratings.all()}
        suggestions = dict(submission.suggestions.values_list("domain_id", "text"))
    elif submission is not None:
        ratings = {rating.item_id: rating for rating in submission.ratings.all()}
    form = ProxyEntryForm(
        request.POST or None,
        delphi_round=delphi_round,
        questions=questions,
        items=items,
        answers=answers,
        ratings=ratings,
        channel=submission.channel if submission else None,
        domains=domains,
        suggestions=suggestions,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved, changed = _save_changes(
                form=form,
                delphi_round=delphi_round,
                expert=expert,
                submission=submission,
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _after_save(request, form, delphi_round, expert, saved, changed)

    context = {
        "study": study,
        "round": delphi_round,
        "expert": expert,
        "submission": submission,
        "form": form,
    }
    return render(request, "rounds/proxy_entry.html", context)


def _after_save(request, form, delphi_round: Round, expert: Expert, submission, changed: int):
    list_url = ("rounds:proxy_list", delphi_round.study_id, delphi_round.pk)
    code = {"code": expert.code}
    if submission is None:
        if form.cleaned_data["mark_submitted"]:
            messages.error(
                request,
                _(
                    "The answers of %(code)s were not marked as submitted: there is no answer "
                    "yet. Enter at least one first."
                )
                % code,
            )
            return redirect("rounds:proxy_entry", delphi_round.study_id, delphi_round.pk, expert.pk)
        messages.info(request, _("Nothing was changed for %(code)s.") % code)
        return redirect(*list_url)
    if form.cleaned_data["mark_submitted"] and not submission.is_submitted:
        try:
            submission_submit(submission=submission, actor=request.user)
        except ValidationError as error:
            # Whatever was saved stays saved (and audited); only the submission is missing.
            message = (
                _("The answers of %(code)s were saved but not marked as submitted: %(reasons)s")
                if changed
                else _("The answers of %(code)s were not marked as submitted: %(reasons)s")
            )
            messages.error(request, message % {**code, "reasons": " ".join(error.messages)})
            return redirect("rounds:proxy_entry", delphi_round.study_id, delphi_round.pk, expert.pk)
        messages.success(request, _("The answers of %(code)s were saved and submitted.") % code)
    elif changed:
        messages.success(request, _("The answers of %(code)s were saved.") % code)
    else:
        messages.info(request, _("Nothing was changed for %(code)s.") % code)
    return redirect(*list_url)


# --------------------------------------------------------------------------- the audit trail


@dataclass
class LogRow:
    event: AuditEvent
    expert: str
    subject: str
    old: str
    new: str


def _rating_text(value: dict | None, scale_labels: list[str]) -> str:
    if not value:
        return NOTHING
    points = value.get("value")
    if points == 0:
        text = _("Cannot judge")
    elif isinstance(points, int) and 1 <= points <= len(scale_labels):
        text = f"{points} · {scale_labels[points - 1]}"
    else:
        text = str(points)
    for key, label in (("comment", _("comment")), ("reason", _("reason"))):
        if value.get(key):
            text += f" · {label}: {value[key]}"
    return text


def _log_rows(events, delphi_round: Round) -> list[LogRow]:
    """What each proxy event changed, in words: the service stores pks and raw values."""
    questions = {q.pk: q.text for q in delphi_round.questions.all()}
    items = {i.pk: i.statement.text for i in delphi_round.items.select_related("statement")}
    labels = delphi_round.study.scale_labels
    channels = dict(Channel.choices)
    criteria = {}
    domains = {}
    if delphi_round.kind == Round.Kind.CONFIRMATION:
        criteria = {c["code"]: c["label"] for c in delphi_round.rating_criteria}
        domains = dict(
            Domain.objects.filter(study_id=delphi_round.study_id).values_list("pk", "title")
        )
    rows = []
    for event in events:
        detail = event.detail
        old = new = ""
        if detail.get("change") == "start":
            subject = _("Began entering answers")
            new = str(channels.get(detail.get("channel"), detail.get("channel", "")))
        elif detail.get("change") == "channel":
            subject = _("Channel")
            old = str(channels.get(detail.get("old"), detail.get("old")))
            new = str(channels.get(detail.get("new"), detail.get("new")))
        elif detail.get("change") == "submit":
            subject = _("Marked as submitted")
        elif "question" in detail:
            subject = questions.get(detail["question"], _("A question that was removed"))
            old = "\n".join(detail.get("old") or []) or NOTHING
            new = "\n".join(detail.get("new") or []) or NOTHING
        elif "item" in detail:
            subject = items.get(detail["item"], _("A statement that was removed"))
            if detail.get("criterion") in criteria:
                subject = f"{subject} · {criteria[detail['criterion']]}"
            old = _rating_text(detail.get("old"), labels)
            new = _rating_text(detail.get("new"), labels)
        elif "domain" in detail:
            subject = _("Suggestions on “%(domain)s”") % {
                "domain": domains.get(detail["domain"], detail["domain"])
            }
            old = detail.get("old") or NOTHING
            new = detail.get("new") or NOTHING
        else:
            subject = ", ".join(f"{key}: {value}" for key, value in detail.items())
        rows.append(LogRow(event, detail.get("expert", ""), subject, old, new))
    return rows


@login_required
@require_safe
def proxy_log(request: HttpRequest, study_pk: int, round_pk: int) -> HttpResponse:
    # Reading the trail changes nothing, so a viewer (e.g. the thesis committee) may check it.
    study, delphi_round = _study_round(request, study_pk, round_pk, write=False)
    events = AuditEvent.objects.filter(
        study=study, action=PROXY_ACTION, detail__round=delphi_round.number
    ).select_related("actor")
    context = {"study": study, "round": delphi_round, "rows": _log_rows(events, delphi_round)}
    return render(request, "rounds/proxy_log.html", context)
