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
from rounds.answering.pages import confirmation_context, saved_message
from rounds.answering.rules import RatingInput, RoundClosedError
from rounds.answering.selectors import confirmation_answers, confirmation_items, round_domains
from rounds.answering.services import answer_late_record
from rounds.answering.suggestions import confirmation_save, suggestion_autosave
from rounds.models import Round

from .access import Unavailable, expert_page, expert_round
from .autosave import closed_status, save_status


def _value(raw: str, points: int) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= points else None


def _render(request, expert, token, delphi_round, items, values, suggestions, *, submit_error):
    context = confirmation_context(
        expert, token, delphi_round, items, values, suggestions, submit_error=submit_error
    )
    return render(request, "rounds/expert/round_confirmation.html", context)


def confirmation_questionnaire(request, expert: Expert, token: str, delphi_round: Round):
    """GET shows the saved answers; POST saves them all (the page without JavaScript) and
    submits when asked. A constant number of queries whatever the items and criteria."""
    items = confirmation_items(delphi_round)
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
        try:
            outcome = confirmation_save(
                delphi_round=delphi_round,
                expert=expert,
                ratings=ratings,
                texts=texts,
                domain_ids=domain_ids,
                submit=request.POST.get("action") == "submit",
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
    values, suggestions = confirmation_answers(delphi_round=delphi_round, expert=expert)
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
        return save_status(request, "error", _("Please agree to take part first."))
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
        return closed_status(request, delphi_round, expert, closed, content)
    except ValidationError as error:
        return save_status(request, "error", " ".join(error.messages))
    return save_status(request, "saved" if changed else "idle")
