"""Expert import (upload → check → preview → confirm) and export of a panel's experts."""

import functools
import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .. import selectors
from ..models import Panel, Study
from . import exports, parsing
from .forms import ExpertImportForm
from .services import ImportRejected, expert_import, planned_codes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


def _session_key(panel: Panel) -> str:
    return f"expert_import:{panel.pk}"


def _import_page(
    request: HttpRequest, study: Study, panel: Panel, *, form=None, **context
) -> HttpResponse:
    """The one import page: upload form and help, plus the errors table or the preview."""
    context = {
        "study": study,
        "panel": panel,
        "form": form if form is not None else ExpertImportForm(),
        "columns": [
            (parsing.HEADERS[name], parsing.THAI_HEADERS[name], parsing.COLUMN_NOTES[name])
            for name in parsing.FIELDS
        ],
        "max_upload_bytes": settings.DELPHI_MAX_UPLOAD_BYTES,
        **context,
    }
    return render(request, "panels/expert_import.html", context)


def _error_table(row_errors, file_errors) -> list[parsing.RowError]:
    return [parsing.RowError(None, "", message) for message in file_errors] + sorted(
        row_errors, key=lambda error: error.row or 0
    )


@login_required
def expert_import_upload(request: HttpRequest, study_pk: int, panel_pk: int) -> HttpResponse:
    study = selectors.study_for_user(user=request.user, study_pk=study_pk, write=True)
    panel = selectors.panel_for_study(study, panel_pk)
    if request.method != "POST":
        return _import_page(request, study, panel)

    form = ExpertImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, study, panel, form=form)
    uploaded = form.cleaned_data["file"]
    result = parsing.parse_expert_file(uploaded, existing=parsing.existing_experts(panel))
    if not result.is_valid:
        # A stale preview must not be confirmable once a newer file has failed.
        request.session.pop(_session_key(panel), None)
        errors = _error_table(result.row_errors, result.file_errors)
        return _import_page(request, study, panel, errors=errors, filename=uploaded.name)

    token = secrets.token_urlsafe(16)
    request.session[_session_key(panel)] = {
        "token": token,
        "filename": uploaded.name,
        "rows": result.rows,
    }
    preview = [
        row | {"planned_code": code}
        for row, code in zip(result.rows, planned_codes(panel, result.rows), strict=True)
    ]
    context = {"preview": preview, "token": token, "filename": uploaded.name}
    return _import_page(request, study, panel, **context)


@login_required
@require_POST
def expert_import_confirm(request: HttpRequest, study_pk: int, panel_pk: int) -> HttpResponse:
    study = selectors.study_for_user(user=request.user, study_pk=study_pk, write=True)
    panel = selectors.panel_for_study(study, panel_pk)
    pending = request.session.get(_session_key(panel))
    # The token ties the button to the preview it sits under: with two tabs open, the
    # older preview must not import the list uploaded in the newer one.
    if not pending or pending.get("token") != request.POST.get("token"):
        messages.warning(
            request,
            _(
                "The checked list is no longer available, perhaps because you were away for "
                "a while or uploaded another file. Please upload the file again."
            ),
        )
        return redirect("panels:expert_import", study_pk=study.pk, panel_pk=panel.pk)

    try:
        created = expert_import(panel=panel, rows=pending["rows"], actor=request.user)
    except ImportRejected as error:
        request.session.pop(_session_key(panel), None)
        errors = _error_table(error.row_errors, [])
        return _import_page(request, study, panel, errors=errors, filename=pending["filename"])
    except ValidationError as error:
        request.session.pop(_session_key(panel), None)
        errors = _error_table([], error.messages)
        return _import_page(request, study, panel, errors=errors, filename=pending["filename"])

    request.session.pop(_session_key(panel), None)
    messages.success(
        request,
        ngettext("%(count)s expert was imported.", "%(count)s experts were imported.", len(created))
        % {"count": len(created)},
    )
    return redirect(panel)


def _panel_download(view):
    """Read-only downloads for anyone who may see the study (viewers too).

    The method is checked after the access check, so that a stranger gets the same 404
    for every method as on every other URL of the study.
    """

    @login_required
    @never_cache
    @functools.wraps(view)
    def wrapper(request: HttpRequest, study_pk: int, panel_pk: int) -> HttpResponse:
        study = selectors.study_for_user(user=request.user, study_pk=study_pk)
        panel = selectors.panel_for_study(study, panel_pk)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return view(request, panel)

    return wrapper


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _export_rows(panel: Panel) -> list[list[str]]:
    return [
        list(values)
        for values in selectors.expert_list_for_panel(panel).values_list(*parsing.FIELDS)
    ]


@_panel_download
def expert_export(request: HttpRequest, panel: Panel) -> HttpResponse:
    content = exports.experts_xlsx(_export_rows(panel))
    return _attachment(content, XLSX, f"experts-{panel.code_prefix}.xlsx")


@_panel_download
def expert_export_csv(request: HttpRequest, panel: Panel) -> HttpResponse:
    content = exports.experts_csv(_export_rows(panel))
    return _attachment(content, CSV, f"experts-{panel.code_prefix}.csv")


@_panel_download
def expert_import_template(request: HttpRequest, panel: Panel) -> HttpResponse:
    return _attachment(exports.template_xlsx(), XLSX, "experts-template.xlsx")


@_panel_download
def expert_import_template_csv(request: HttpRequest, panel: Panel) -> HttpResponse:
    return _attachment(exports.template_csv(), CSV, "experts-template.csv")
