"""The researcher's set-up pages: domains, rounds and their open questions.

Thin: each view checks access, parses the form and hands the values to one service
(rounds.setup.services), which keeps the rules and the audit trail.
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from delphi_site.pages import confirm_delete, render_form
from panels.selectors import study_for_user
from rounds.models import Round
from rounds.selectors import round_for_user

from . import selectors, services
from .forms import DomainForm, OpenQuestionForm, RoundForm


def _fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in form.Meta.fields if name in form.cleaned_data}


def _draft_or_403(delphi_round: Round) -> Round:
    if not delphi_round.is_draft:
        raise PermissionDenied(str(services.ERRORS["not_draft"]))
    return delphi_round


@login_required
def domain_create(request: HttpRequest, study_pk: int) -> HttpResponse:
    study = study_for_user(user=request.user, study_pk=study_pk, write=True)
    form = DomainForm(request.POST or None, study=study)
    if request.method == "POST" and form.is_valid():
        services.domain_create(study=study, actor=request.user, **_fields(form))
        messages.success(request, _("The domain was added."))
        return redirect(study)
    return render_form(
        request, study=study, form=form, title=_("New domain"), cancel_url=study.get_absolute_url()
    )


@login_required
def domain_edit(request: HttpRequest, study_pk: int, domain_pk: int) -> HttpResponse:
    study = study_for_user(user=request.user, study_pk=study_pk, write=True)
    domain = selectors.domain_for_study(study, domain_pk)
    form = DomainForm(request.POST or None, instance=domain, study=study)
    if request.method == "POST" and form.is_valid():
        services.domain_update(domain=domain, actor=request.user, **_fields(form))
        messages.success(request, _("The domain was saved."))
        return redirect(study)
    return render_form(
        request, study=study, form=form, title=_("Edit domain"), cancel_url=study.get_absolute_url()
    )


@login_required
def domain_delete(request: HttpRequest, study_pk: int, domain_pk: int) -> HttpResponse:
    study = study_for_user(user=request.user, study_pk=study_pk, write=True)
    domain = selectors.domain_for_study(study, domain_pk)
    url = study.get_absolute_url()
    return confirm_delete(
        request,
        study=study,
        obj=domain,
        delete=partial(services.domain_delete, domain=domain, actor=request.user),
        success_url=url,
        cancel_url=url,
    )


@login_required
def round_create(request: HttpRequest, study_pk: int) -> HttpResponse:
    study = study_for_user(user=request.user, study_pk=study_pk, write=True)
    if not study.panels.exists():
        messages.warning(request, _("Create a panel first: every round is sent to one panel."))
        return redirect("panels:panel_create", study_pk=study.pk)
    form = RoundForm(
        request.POST or None, study=study, initial=RoundForm.initial_from_query(request.GET, study)
    )
    if request.method == "POST" and form.is_valid():
        try:
            delphi_round = services.round_create(
                study=study, actor=request.user, **form.editable_data()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The round was created as a draft."))
            return redirect(delphi_round)
    return render_form(
        request, study=study, form=form, title=_("New round"), cancel_url=study.get_absolute_url()
    )


@login_required
@require_safe
def round_detail(request: HttpRequest, study_pk: int, round_pk: int) -> HttpResponse:
    delphi_round = round_for_user(user=request.user, study_pk=study_pk, round_pk=round_pk)
    context = {
        "study": delphi_round.study,
        "round": delphi_round,
        "questions": selectors.question_list_for_round(delphi_round),
    }
    return render(request, "rounds/round_detail.html", context)


@login_required
def round_edit(request: HttpRequest, study_pk: int, round_pk: int) -> HttpResponse:
    delphi_round = round_for_user(
        user=request.user, study_pk=study_pk, round_pk=round_pk, write=True
    )
    study = delphi_round.study
    form = RoundForm(request.POST or None, instance=delphi_round, study=study)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(
                delphi_round=delphi_round, actor=request.user, **form.editable_data()
            )
        except ValidationError as error:
            # The round was opened between showing the form and saving it, or the dates clash.
            form.add_error(None, error)
        else:
            messages.success(request, _("The round was saved."))
            return redirect(delphi_round)
    return render_form(
        request,
        study=study,
        form=form,
        title=_("Edit round"),
        cancel_url=delphi_round.get_absolute_url(),
    )


@login_required
def round_delete(request: HttpRequest, study_pk: int, round_pk: int) -> HttpResponse:
    delphi_round = round_for_user(
        user=request.user, study_pk=study_pk, round_pk=round_pk, write=True
    )
    study = delphi_round.study
    if not delphi_round.is_draft:
        messages.error(request, str(services.ERRORS["delete_sent"]))
        return redirect(delphi_round)
    return confirm_delete(
        request,
        study=study,
        obj=delphi_round,
        delete=partial(services.round_delete, delphi_round=delphi_round, actor=request.user),
        success_url=study.get_absolute_url(),
        cancel_url=delphi_round.get_absolute_url(),
    )


@login_required
def question_create(request: HttpRequest, study_pk: int, round_pk: int) -> HttpResponse:
    delphi_round = _draft_or_403(
        round_for_user(user=request.user, study_pk=study_pk, round_pk=round_pk, write=True)
    )
    form = OpenQuestionForm(request.POST or None, delphi_round=delphi_round)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_create(delphi_round=delphi_round, actor=request.user, **_fields(form))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The question was added."))
            return redirect(delphi_round)
    return render_form(
        request,
        study=delphi_round.study,
        form=form,
        title=_("New question"),
        cancel_url=delphi_round.get_absolute_url(),
    )


@login_required
def question_edit(
    request: HttpRequest, study_pk: int, round_pk: int, question_pk: int
) -> HttpResponse:
    delphi_round = _draft_or_403(
        round_for_user(user=request.user, study_pk=study_pk, round_pk=round_pk, write=True)
    )
    question = selectors.question_for_round(delphi_round, question_pk)
    form = OpenQuestionForm(request.POST or None, instance=question, delphi_round=delphi_round)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(question=question, actor=request.user, **_fields(form))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The question was saved."))
            return redirect(delphi_round)
    return render_form(
        request,
        study=delphi_round.study,
        form=form,
        title=_("Edit question"),
        cancel_url=delphi_round.get_absolute_url(),
    )


@login_required
def question_delete(
    request: HttpRequest, study_pk: int, round_pk: int, question_pk: int
) -> HttpResponse:
    delphi_round = _draft_or_403(
        round_for_user(user=request.user, study_pk=study_pk, round_pk=round_pk, write=True)
    )
    question = selectors.question_for_round(delphi_round, question_pk)
    url = delphi_round.get_absolute_url()
    return confirm_delete(
        request,
        study=delphi_round.study,
        obj=question,
        delete=partial(services.question_delete, question=question, actor=request.user),
        success_url=url,
        cancel_url=url,
    )
