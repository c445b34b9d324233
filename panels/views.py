from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from delphi_site.pages import confirm_delete, render_form

from . import protocol, selectors, services
from .forms import CollaboratorForm, ExpertForm, PanelForm, StudyForm


@login_required
@require_safe
def study_list(request: HttpRequest) -> HttpResponse:
    studies = selectors.study_list_with_counts(request.user).select_related("owner")
    return render(request, "panels/study_list.html", {"studies": studies})


@login_required
def study_create(request: HttpRequest) -> HttpResponse:
    form = StudyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {
            name: form.cleaned_data[name] for name in form.Meta.fields if name in form.cleaned_data
        }
        study = services.study_create(
            owner=request.user, scale_labels=form.cleaned_data["scale_labels_text"], **fields
        )
        messages.success(request, _("The study was created. Now add its panels and experts."))
        return redirect(study)
    return render_form(
        request,
        study=None,
        form=form,
        title=_("New study"),
        cancel_url=reverse("panels:study_list"),
    )


@login_required
@require_safe
def study_detail(request: HttpRequest, study_pk: int) -> HttpResponse:
    study = selectors.study_for_user(user=request.user, study_pk=study_pk)
    context = {
        "study": study,
        "panels": selectors.panel_list_for_study(study),
        "domains": study.domains.all(),
        "rounds": study.rounds.select_related("panel"),
    }
    return render(request, "panels/study_detail.html", context)


@login_required
def study_edit(request: HttpRequest, study_pk: int) -> HttpResponse:
    study = selectors.study_for_user(user=request.user, study_pk=study_pk, write=True)
    form = StudyForm(request.POST or None, instance=study)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            study = protocol.study_update(
                study=study,
                actor=request.user,
                reason=form.cleaned_data.get("deviation_reason", ""),
                scale_labels=form.cleaned_data["scale_labels_text"],
                **fields,
            )
        except ValidationError as error:
            # The rules were fixed between showing the form and saving it.
            form.add_error(None, error)
        else:
            if form.rule_changes and study.rules_locked:
                messages.warning(
                    request,
                    _("The study was saved. The change of its rules is recorded as a deviation."),
                )
            else:
                messages.success(request, _("The study was saved."))
            return redirect(study)
    return render_form(
        request, study=study, form=form, title=_("Edit study"), cancel_url=study.get_absolute_url()
    )


@login_required
def collaborator_list(request: HttpRequest, study_pk: int) -> HttpResponse:
    study = selectors.study_for_user(user=request.user, study_pk=study_pk)
    form = CollaboratorForm(request.POST or None)
    if request.method == "POST":
        if not study.user_can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.collaborator_add(
                    study=study,
                    user=form.cleaned_data["username"],
                    role=form.cleaned_data["role"],
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error("username", error)
            else:
                messages.success(request, _("The collaborator was added."))
                return redirect("panels:collaborator_list", study_pk=study.pk)
    members = study.memberships.select_related("user").order_by("user__username")
    context = {"study": study, "form": form, "members": members}
    return render(request, "panels/collaborator_list.html", context)


@login_required
@require_POST
def collaborator_remove(request: HttpRequest, study_pk: int, member_pk: int) -> HttpResponse:
    study = selectors.study_for_user(user=request.user, study_pk=study_pk, write=True)
    member = selectors.member_for_study(study, member_pk)
    services.collaborator_remove(study=study, member=member, actor=request.user)
    messages.success(request, _("The collaborator was removed."))
    return redirect("panels:collaborator_list", study_pk=study.pk)


@login_required
def panel_create(request: HttpRequest, study_pk: int) -> HttpResponse:
    study = selectors.study_for_user(user=request.user, study_pk=study_pk, write=True)
    form = PanelForm(request.POST or None, study=study)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            panel = services.panel_create(study=study, actor=request.user, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The panel was created."))
            return redirect(panel)
    return render_form(
        request, study=study, form=form, title=_("New panel"), cancel_url=study.get_absolute_url()
    )


@login_required
@require_safe
def panel_detail(request: HttpRequest, study_pk: int, panel_pk: int) -> HttpResponse:
    study = selectors.study_for_user(user=request.user, study_pk=study_pk)
    panel = selectors.panel_for_study(study, panel_pk)
    context = {"study": study, "panel": panel, "experts": selectors.expert_list_for_panel(panel)}
    return render(request, "panels/panel_detail.html", context)


@login_required
def panel_edit(request: HttpRequest, study_pk: int, panel_pk: int) -> HttpResponse:
    study = selectors.study_for_user(user=request.user, study_pk=study_pk, write=True)
    panel = selectors.panel_for_study(study, panel_pk)
    form = PanelForm(request.POST or None, instance=panel, study=study)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            panel = services.panel_update(panel=panel, actor=request.user, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The panel was saved."))
            return redirect(panel)
    return render_form(
        request, study=study, form=form, title=_("Edit panel"), cancel_url=panel.get_absolute_url()
    )


@login_required
def panel_delete(request: HttpRequest, study_pk: int, panel_pk: int) -> HttpResponse:
    study = selectors.study_for_user(user=request.user, study_pk=study_pk, write=True)
    panel = selectors.panel_for_study(study, panel_pk)
    return confirm_delete(
        request,
        study=study,
        obj=panel,
        delete=partial(services.object_delete, obj=panel, study=study, actor=request.user),
        success_url=study.get_absolute_url(),
        cancel_url=panel.get_absolute_url(),
    )


@login_required
def expert_create(request: HttpRequest, study_pk: int, panel_pk: int) -> HttpResponse:
    study = selectors.study_for_user(user=request.user, study_pk=study_pk, write=True)
    panel = selectors.panel_for_study(study, panel_pk)
    form = ExpertForm(request.POST or None, panel=panel)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            expert = services.expert_create(panel=panel, actor=request.user, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(expert)s was added.") % {"expert": expert})
            return redirect(panel)
    return render_form(
        request, study=study, form=form, title=_("New expert"), cancel_url=panel.get_absolute_url()
    )


@login_required
def expert_edit(request: HttpRequest, study_pk: int, expert_pk: int) -> HttpResponse:
    study = selectors.study_for_user(user=request.user, study_pk=study_pk, write=True)
    expert = selectors.expert_for_study(study, expert_pk)
    form = ExpertForm(request.POST or None, instance=expert, panel=expert.panel)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            expert = services.expert_update(expert=expert, actor=request.user, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(expert)s was saved.") % {"expert": expert})
            return redirect(expert.panel)
    return render_form(
        request,
        study=study,
        form=form,
        title=_("Edit expert"),
        cancel_url=expert.panel.get_absolute_url(),
    )


@login_required
def expert_delete(request: HttpRequest, study_pk: int, expert_pk: int) -> HttpResponse:
    study = selectors.study_for_user(user=request.user, study_pk=study_pk, write=True)
    expert = selectors.expert_for_study(study, expert_pk)
    return confirm_delete(
        request,
        study=study,
        obj=expert,
        delete=partial(services.object_delete, obj=expert, study=study, actor=request.user),
        success_url=expert.panel.get_absolute_url(),
        cancel_url=expert.panel.get_absolute_url(),
    )
