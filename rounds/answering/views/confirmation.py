"""The confirmation questionnaire: every component of the model rated on every criterion at
once, and a suggestion per domain. Field names are the page's contract:
`rating_<item pk>_<criterion code>` and `suggestion_<domain pk>`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from panels.models import Expert
from rounds.answering import (
    RatingInput,
    RoundClosedError,
    answer_late_record,
    questionnaire_save,
)
from rounds.confirmation import round_domains, suggestion_autosave, suggestions_save
from rounds.models import DomainSuggestion, Rating, Round, Submission

from .access import Unavailable, base_context, expert_page, expert_round
from .autosave import _closed_status, _status
from .questionnaire import _scale, group_by_domain, saved_message


def _value(raw: str, points: int) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= points else None


def _rows(delphi_round: Round, items, values: dict) -> list[dict]:
    criteria = delphi_round.rating_criteria
    return [
        {
            "item": item,
            "cells": [
                {"criterion": criterion, "value": values.get((item.pk, criterion["code"]), "")}
                for criterion in criteria
            ],
        }
        for item in items
    ]


def confirmation_context(expert, token, delphi_round, items, values, suggestions, *, submit_error):
    """The page's context; `expert=None` gives the researcher's preview of an empty page."""
    rows = _rows(delphi_round, items, values)
    sections = group_by_domain(rows, lambda row: row["item"].statement.domain)
    number = 0
    for _domain, group in sections:
        for row in group:
            number += 1
            row["number"] = number
    total = len(items) * len(delphi_round.rating_criteria)
    answered = sum(1 for row in rows for cell in row["cells"] if cell["value"])
    progress_pattern = _("%(answered)s of %(total)s answered")
    submission = (
        Submission.objects.filter(delphi_round=delphi_round, expert=expert).first()
        if expert is not None
        else None
    )
    return base_context(expert, token, delphi_round) | {
        "sections": [
            (domain, group, suggestions.get(domain.pk, "") if domain else "")
            for domain, group in sections
        ],
        "criteria": delphi_round.rating_criteria,
        "scale": _scale(delphi_round),
        "submission": submission,
        "submit_error": submit_error,
        "has_errors": submit_error is not None,
        "answered": answered,
        "total": total,
        "progress_pattern": progress_pattern,
        "progress_text": progress_pattern % {"answered": answered, "total": total},
    }


def _render(request, expert, token, delphi_round, items, values, suggestions, *, submit_error):
    context = confirmation_context(
        expert, token, delphi_round, items, values, suggestions, submit_error=submit_error
    )
    return render(request, "rounds/expert/round_confirmation.html", context)


def confirmation_questionnaire(request, expert: Expert, token: str, delphi_round: Round):
    """GET shows the saved answers; POST saves them all (the page without JavaScript) and
    submits when asked. A constant number of queries whatever the items and criteria."""
    items = list(delphi_round.items.select_related("statement__domain").order_by("order", "pk"))
    points = delphi_round.study.scale_points
    codes = delphi_round.criterion_codes
    if request.method == "POST":
        values = {
            (item.pk, code): request.POST.get(f"rating_{item.pk}_{code}", "").strip()
            for item in items
            for code in codes
        }
        domain_ids = {item.statement.domain_id for item in items if item.statement.domain_id}
        texts = {pk: request.POST.get(f"suggestion_{pk}", "") for pk in domain_ids}
        ratings = [
            RatingInput(item=item, value=_value(values[(item.pk, code)], points), criterion=code)
            for item in items
            for code in codes
            if _value(values[(item.pk, code)], points) is not None
        ]
        submit = request.POST.get("action") == "submit"
        try:
            suggestions_save(
                delphi_round=delphi_round, expert=expert, texts=texts, domain_ids=domain_ids
            )
            outcome = questionnaire_save(
                delphi_round=delphi_round, expert=expert, ratings=ratings, submit=submit
            )
        except RoundClosedError:
            answer_late_record(
                delphi_round=delphi_round,
                expert=expert,
                content={
                    "ratings": [
                        {"item": pk, "criterion": code, "value": value}
                        for (pk, code), value in values.items()
                        if value
                    ],
                    "suggestions": {str(pk): text for pk, text in texts.items() if text},
                },
            )
            return redirect("expert:round", token=token, round_pk=delphi_round.pk)
        except ValidationError as error:
            return _render(
                request, expert, token, delphi_round, items, values, texts, submit_error=error
            )
        if outcome.submitted:
            return redirect("expert:thanks", token=token, round_pk=delphi_round.pk)
        if outcome.submit_error is None and not outcome.refused:
            messages.success(request, saved_message(delphi_round, expert))
            return redirect("expert:round", token=token, round_pk=delphi_round.pk)
        return _render(
            request,
            expert,
            token,
            delphi_round,
            items,
            values,
            texts,
            submit_error=outcome.submit_error,
        )
    values, suggestions = {}, {}
    ratings = Rating.objects.filter(
        submission__delphi_round=delphi_round, submission__expert=expert, criterion__in=codes
    ).values_list("item_id", "criterion", "value")
    values = {(pk, code): str(value) for pk, code, value in ratings}
    suggestions = dict(
        DomainSuggestion.objects.filter(
            submission__delphi_round=delphi_round, submission__expert=expert
        ).values_list("domain_id", "text")
    )
    return _render(
        request, expert, token, delphi_round, items, values, suggestions, submit_error=None
    )


@expert_page
@require_POST
def autosave_suggestion(
    request: HttpRequest, *, expert: Expert, token: str, round_pk: int, domain_pk: int
) -> HttpResponse:
    delphi_round = expert_round(expert, round_pk)
    if delphi_round.kind != Round.Kind.CONFIRMATION:
        raise Unavailable(404)
    if expert.consent_given_at is None:
        return _status(request, "error", _("Please agree to take part first."))
    text = request.POST.get(f"suggestion_{domain_pk}", "")
    # The domain must be one of the round's: the upsert's foreign key alone would accept any.
    if domain_pk not in {domain.pk for domain in round_domains(delphi_round)}:
        raise Unavailable(404)
    try:
        changed = suggestion_autosave(
            delphi_round=delphi_round, expert=expert, domain_pk=domain_pk, text=text
        )
    except RoundClosedError as closed:
        content = {"suggestions": {str(domain_pk): text}}
        return _closed_status(request, delphi_round, expert, closed, content)
    except ValidationError as error:
        return _status(request, "error", " ".join(error.messages))
    return _status(request, "saved" if changed else "idle")
