"""Moving a study to another installation (the export download and the import page) and
deleting a whole study."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from panels import selectors

from . import services
from .forms import StudyDeleteForm, StudyImportForm
from .importing import ImportRefused, max_import_bytes

JSON = "application/json"


@login_required
@never_cache
def study_export(request: HttpRequest, study_pk: int) -> HttpResponse:
    """The whole study as one file, for the owner and editors.

    Viewers may read every page, but the file holds the roster (names, e-mail addresses,
    phone numbers), which the reports also give to editors only. The method is checked after
    the access check, so that a stranger gets 404 for every method, as on every study URL.
    """
    study = selectors.study_for_user(user=request.user, study_pk=study_pk)
    if not study.user_can_edit:
        raise PermissionDenied(
            _("Only the owner and editors can export the study: the file holds the roster.")
        )
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    content = services.study_export_download(study=study, actor=request.user)
    response = HttpResponse(content, content_type=JSON)
    filename = f"study-{study.pk}-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
def study_import(request: HttpRequest) -> HttpResponse:
    form = StudyImportForm(request.POST or None, request.FILES or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.study_import(
                content=form.cleaned_data["file"].read(), owner=request.user
            )
        except ImportRefused as refused:
            error = refused.message
        else:
            messages.success(request, _("The study was imported. Nothing in it was changed."))
            if result.same_title:
                messages.info(
                    request,
                    _(
                        "You already had a study with this title; both are now in your list. "
                        "The imported one is the one open now."
                    ),
                )
            return redirect(result.study)
    context = {
        "form": form,
        "error": error,
        "max_size": filesizeformat(max_import_bytes()),
    }
    return render(request, "panels/study_import.html", context, status=400 if error else 200)


@login_required
def study_delete(request: HttpRequest, study_pk: int) -> HttpResponse:
    """The owner deletes the whole study, answers included, after typing its title."""
    study = selectors.study_for_user(user=request.user, study_pk=study_pk, write=True)
    if study.user_role != selectors.OWNER:
        raise PermissionDenied(_("Only the owner can delete a study."))
    form = StudyDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.study_delete(study=study, typed_title=form.cleaned_data["title"])
        except ValidationError as error:
            form.add_error("title", error)
        else:
            messages.success(request, _("“%(object)s” was deleted.") % {"object": study})
            return redirect("panels:study_list")
    context = {
        "study": study,
        "object": study,
        "cancel_url": study.get_absolute_url(),
        "title_form": form,
    }
    return render(request, "panels/confirm_delete.html", context)
