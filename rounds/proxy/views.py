"""Proxy entry: the researcher keys in or corrects answers that came on paper, by phone, …

Every write goes through `rounds.proxy.services` with `actor=request.user`; the answering
services under it set the submission's channel and `entered_by` and write the audit trail
(who, when, old → new).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from panels.models import Expert
from rounds.models import Round
from rounds.selectors import round_for_user

from .forms import ProxyEntryForm
from .selectors import panel_expert, proxy_entry_data, proxy_log_rows, proxy_rows
from .services import AnswerRefused, ProxySaved, proxy_entry_save


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
    delphi_round = round_for_user(
        user=request.user, study_pk=study_pk, round_pk=round_pk, write=True
    )
    context = {
        "study": delphi_round.study,
        "round": delphi_round,
        "rows": proxy_rows(delphi_round),
        "not_open_message": None if delphi_round.is_open else _not_open_message(delphi_round),
    }
    return render(request, "rounds/proxy_list.html", context)


@login_required
def proxy_entry(request: HttpRequest, study_pk: int, round_pk: int, expert_pk: int) -> HttpResponse:
    delphi_round = round_for_user(
        user=request.user, study_pk=study_pk, round_pk=round_pk, write=True
    )
    study = delphi_round.study
    expert = panel_expert(delphi_round=delphi_round, expert_pk=expert_pk)
    if not delphi_round.is_open:
        messages.warning(request, _not_open_message(delphi_round))
        return redirect("rounds:proxy_list", study_pk=study.pk, round_pk=delphi_round.pk)

    entry = proxy_entry_data(delphi_round=delphi_round, expert=expert)
    submission = entry.submission
    form = ProxyEntryForm(
        request.POST or None,
        delphi_round=delphi_round,
        questions=entry.questions,
        items=entry.items,
        answers=entry.answers,
        ratings=entry.ratings,
        channel=submission.channel if submission else None,
        domains=entry.domains,
        suggestions=entry.suggestions,
    )
    if request.method == "POST" and not form.adding_box and form.is_valid():
        try:
            saved = proxy_entry_save(
                delphi_round=delphi_round,
                expert=expert,
                submission=submission,
                channel=form.cleaned_data["channel"],
                answers=form.changed_answers(),
                ratings=form.changed_ratings(),
                suggestions=form.changed_suggestions(),
                domain_ids={domain.pk for domain in form.domains},
                mark_submitted=form.cleaned_data["mark_submitted"],
                actor=request.user,
            )
        except AnswerRefused as refused:
            field = form.refused_field_name(
                question=refused.question, item=refused.item, criterion=refused.criterion
            )
            form.add_error(field, refused.error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _after_save(request, form, delphi_round, expert, saved)

    context = {
        "study": study,
        "round": delphi_round,
        "expert": expert,
        "submission": submission,
        "form": form,
    }
    return render(request, "rounds/proxy_entry.html", context)


def _after_save(request, form, delphi_round: Round, expert: Expert, saved: ProxySaved):
    list_url = ("rounds:proxy_list", delphi_round.study_id, delphi_round.pk)
    code = {"code": expert.code}
    if saved.submission is None:
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
    if saved.submit_error is not None:
        message = (
            _("The answers of %(code)s were saved but not marked as submitted: %(reasons)s")
            if saved.changed
            else _("The answers of %(code)s were not marked as submitted: %(reasons)s")
        )
        reasons = " ".join(saved.submit_error.messages)
        messages.error(request, message % {**code, "reasons": reasons})
        return redirect("rounds:proxy_entry", delphi_round.study_id, delphi_round.pk, expert.pk)
    if saved.submitted:
        messages.success(request, _("The answers of %(code)s were saved and submitted.") % code)
    elif saved.changed:
        messages.success(request, _("The answers of %(code)s were saved.") % code)
    else:
        messages.info(request, _("Nothing was changed for %(code)s.") % code)
    return redirect(*list_url)


@login_required
@require_safe
def proxy_log(request: HttpRequest, study_pk: int, round_pk: int) -> HttpResponse:
    # Reading the trail changes nothing, so a viewer (e.g. the thesis committee) may check it.
    delphi_round = round_for_user(user=request.user, study_pk=study_pk, round_pk=round_pk)
    study = delphi_round.study
    context = {
        "study": study,
        "round": delphi_round,
        "rows": proxy_log_rows(study=study, delphi_round=delphi_round),
    }
    return render(request, "rounds/proxy_log.html", context)
