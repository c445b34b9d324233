"""The audit log page and its CSV export (reads only)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import selectors
from .forms import AuditFilterForm

PER_PAGE = 50


def _filter_form(request: HttpRequest, study) -> AuditFilterForm:
    return AuditFilterForm(
        request.GET or None,
        actions=selectors.action_choices(study),
        actors=selectors.actor_choices(study),
    )


@login_required
@require_safe
def audit_log(request: HttpRequest, study_pk: int) -> HttpResponse:
    study = selectors.study_for_audit(user=request.user, study_pk=study_pk)
    form = _filter_form(request, study)
    events = selectors.audit_events(study, form.filters())
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "study": study,
        "form": form,
        "page": page,
        "rows": [
            {
                "event": event,
                "label": selectors.action_label(event.action),
                "round": selectors.round_of(event),
                "detail": selectors.detail_text(event),
            }
            for event in page
        ],
        "query": query.urlencode(),
    }
    return render(request, "panels/audit_log.html", context)


@login_required
@require_safe
def audit_log_csv(request: HttpRequest, study_pk: int) -> HttpResponse:
    study = selectors.study_for_audit(user=request.user, study_pk=study_pk)
    form = _filter_form(request, study)
    content = selectors.audit_csv(selectors.audit_events(study, form.filters()).iterator())
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-log-study-{study.pk}.csv"'
    return response
