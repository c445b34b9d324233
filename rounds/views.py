from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from delphi_site.pages import confirm_delete, render_form
from panels import selectors as panel_selectors
from panels import services
from panels.services import audit

from .forms import DomainForm, OpenQuestionForm, RoundForm
from .models import Domain, OpenQuestion, Round


def _study(request: HttpRequest, study_pk: int, *, write: bool = False):
    return panel_selectors.study_for_user(user=request.user, study_pk=study_pk, write=write)


def _round(study, round_pk: int) -> Round:
    return get_object_or_404(
        Round.objects.select_related("panel", "study"), study=study, pk=round_pk
    )


def _draft_round_or_403(study, round_pk: int) -> Round:
    delphi_round = _round(study, round_pk)
    if not delphi_round.is_draft:
        raise PermissionDenied(_("Questions can only change while the round is a draft."))
    return delphi_round


@login_required
def domain_create(request: HttpRequest, study_pk: int) -> HttpResponse:
    study = _study(request, study_pk, write=True)
    form = DomainForm(request.POST or None, study=study)
    if request.method == "POST" and form.is_valid():
        domain = form.save()
        audit(study=study, actor=request.user, action="domain.create", title=domain.title)
        messages.success(request, _("The domain was added."))
        return redirect(study)
    return render_form(
        request, study=study, form=form, title=_("New domain"), cancel_url=study.get_absolute_url()
    )


@login_required
def domain_edit(request: HttpRequest, study_pk: int, domain_pk: int) -> HttpResponse:
    study = _study(request, study_pk, write=True)
    domain = get_object_or_404(Domain, study=study, pk=domain_pk)
    form = DomainForm(request.POST or None, instance=domain, study=study)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit(study=study, actor=request.user, action="domain.edit", title=domain.title)
        messages.success(request, _("The domain was saved."))
        return redirect(study)
    return render_form(
        request, study=study, form=form, title=_("Edit domain"), cancel_url=study.get_absolute_url()
    )


@login_required
def domain_delete(request: HttpRequest, study_pk: int, domain_pk: int) -> HttpResponse:
    study = _study(request, study_pk, write=True)
    domain = get_object_or_404(Domain, study=study, pk=domain_pk)
    url = study.get_absolute_url()
    return confirm_delete(
        request,
        study=study,
        obj=domain,
        delete=partial(services.object_delete, obj=domain, study=study, actor=request.user),
        success_url=url,
        cancel_url=url,
    )


@login_required
def round_create(request: HttpRequest, study_pk: int) -> HttpResponse:
    study = _study(request, study_pk, write=True)
    if not study.panels.exists():
        messages.warning(request, _("Create a panel first: every round is sent to one panel."))
        return redirect("panels:panel_create", study_pk=study.pk)
    form = RoundForm(request.POST or None, study=study)
    if request.method == "POST" and form.is_valid():
        delphi_round = form.save()
        audit(study=study, actor=request.user, action="round.create", number=delphi_round.number)
        messages.success(request, _("The round was created as a draft."))
        return redirect(delphi_round)
    return render_form(
        request, study=study, form=form, title=_("New round"), cancel_url=study.get_absolute_url()
    )


@login_required
@require_safe
def round_detail(request: HttpRequest, study_pk: int, round_pk: int) -> HttpResponse:
    study = _study(request, study_pk)
    delphi_round = _round(study, round_pk)
    questions = delphi_round.questions.select_related("domain")
    context = {"study": study, "round": delphi_round, "questions": questions}
    return render(request, "rounds/round_detail.html", context)


@login_required
def round_edit(request: HttpRequest, study_pk: int, round_pk: int) -> HttpResponse:
    study = _study(request, study_pk, write=True)
    delphi_round = _round(study, round_pk)
    form = RoundForm(request.POST or None, instance=delphi_round, study=study)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit(study=study, actor=request.user, action="round.edit", number=delphi_round.number)
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
    study = _study(request, study_pk, write=True)
    delphi_round = _round(study, round_pk)
    if not delphi_round.is_draft:
        messages.error(
            request,
            _("Only a draft round can be deleted; this one has been sent to experts."),
        )
        return redirect(delphi_round)
    return confirm_delete(
        request,
        study=study,
        obj=delphi_round,
        delete=partial(services.object_delete, obj=delphi_round, study=study, actor=request.user),
        success_url=study.get_absolute_url(),
        cancel_url=delphi_round.get_absolute_url(),
    )


@login_required
def question_create(request: HttpRequest, study_pk: int, round_pk: int) -> HttpResponse:
    study = _study(request, study_pk, write=True)
    delphi_round = _draft_round_or_403(study, round_pk)
    form = OpenQuestionForm(request.POST or None, delphi_round=delphi_round)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit(study=study, actor=request.user, action="question.create", round=delphi_round.number)
        messages.success(request, _("The question was added."))
        return redirect(delphi_round)
    return render_form(
        request,
        study=study,
        form=form,
        title=_("New question"),
        cancel_url=delphi_round.get_absolute_url(),
    )


@login_required
def question_edit(
    request: HttpRequest, study_pk: int, round_pk: int, question_pk: int
) -> HttpResponse:
    study = _study(request, study_pk, write=True)
    delphi_round = _draft_round_or_403(study, round_pk)
    question = get_object_or_404(OpenQuestion, delphi_round=delphi_round, pk=question_pk)
    form = OpenQuestionForm(request.POST or None, instance=question, delphi_round=delphi_round)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The question was saved."))
        return redirect(delphi_round)
    return render_form(
        request,
        study=study,
        form=form,
        title=_("Edit question"),
        cancel_url=delphi_round.get_absolute_url(),
    )


@login_required
def question_delete(
    request: HttpRequest, study_pk: int, round_pk: int, question_pk: int
) -> HttpResponse:
    study = _study(request, study_pk, write=True)
    delphi_round = _draft_round_or_403(study, round_pk)
    question = get_object_or_404(OpenQuestion, delphi_round=delphi_round, pk=question_pk)
    url = delphi_round.get_absolute_url()
    return confirm_delete(
        request,
        study=study,
        obj=question,
        delete=partial(services.object_delete, obj=question, study=study, actor=request.user),
        success_url=url,
        cancel_url=url,
    )
