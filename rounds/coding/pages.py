"""What every content-analysis page shares: the access check, and the two ways an action answers.

Every action works two ways. With HTMX (inside the workspace) a form opens in place and a
successful action answers with the refreshed workspace, swapped in without a page load. Without
JavaScript the same URLs show the form on its own page, and a successful POST redirects back to
the workspace with a message.
"""

import functools
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import reswap, retarget

from panels.models import Study
from rounds.models import Round
from rounds.selectors import round_for_user

from . import selectors
from .checks import is_codable


def query_of(request: HttpRequest) -> str:
    """The workspace's search, carried along by every form and redirect."""
    return (request.POST.get("q") or request.GET.get("q") or "").strip()


def workspace_url(delphi_round: Round, query: str = "") -> str:
    url = reverse(
        "rounds:coding", kwargs={"study_pk": delphi_round.study_id, "round_pk": delphi_round.pk}
    )
    return f"{url}?{urlencode({'q': query})}" if query else url


def action_url(name: str, delphi_round: Round, **kwargs) -> str:
    return reverse(
        f"rounds:{name}",
        kwargs={"study_pk": delphi_round.study_id, "round_pk": delphi_round.pk, **kwargs},
    )


def workspace_context(request: HttpRequest, study: Study, delphi_round: Round, **extra) -> dict:
    workspace = selectors.coding_workspace(delphi_round=delphi_round, query=query_of(request))
    return {"study": study, "round": delphi_round, "workspace": workspace, **extra}


def _refreshed(
    request: HttpRequest, study: Study, delphi_round: Round, *, notice: str = "", error: str = ""
) -> HttpResponse:
    """The whole workspace again, to be swapped in place of the one on the page."""
    context = workspace_context(request, study, delphi_round, notice=notice, error=error)
    response = render(request, "rounds/partials/_coding_workspace.html", context)
    retarget(response, "#coding-workspace")
    return reswap(response, "outerHTML")


def done(request: HttpRequest, study: Study, delphi_round: Round, message: str) -> HttpResponse:
    """A successful action: the refreshed workspace (HTMX), or back to it with a message."""
    if request.htmx:
        return _refreshed(request, study, delphi_round, notice=message)
    messages.success(request, message)
    return redirect(workspace_url(delphi_round, query_of(request)))


def refused(
    request: HttpRequest, study: Study, delphi_round: Round, error: ValidationError
) -> HttpResponse:
    """A refused action: the workspace with the reason (HTMX), or back to it with a message."""
    message = " ".join(error.messages)
    if request.htmx:
        return _refreshed(request, study, delphi_round, error=message)
    messages.error(request, message)
    return redirect(workspace_url(delphi_round, query_of(request)))


def form_page(
    request: HttpRequest,
    *,
    study: Study,
    delphi_round: Round,
    template: str,
    title: str,
    action: str,
    **extra,
) -> HttpResponse:
    """A workspace form: in place (HTMX) or as a page of its own (no JavaScript)."""
    context = {
        "study": study,
        "round": delphi_round,
        "title": title,
        "action": action,
        "query": query_of(request),
        "workspace_url": workspace_url(delphi_round, query_of(request)),
        **extra,
    }
    if request.htmx:
        # A form that failed validation replaces itself; one just opened fills its slot.
        return render(request, template, context | {"inline": True})
    return render(request, "rounds/coding_form.html", context | {"form_template": template})


def coding_action(view):
    """For changes: the study with write access, and a round whose answers can be coded.

    The wrapped view receives (request, study, delphi_round, **other URL arguments).
    """

    @login_required
    @functools.wraps(view)
    def wrapper(request: HttpRequest, study_pk: int, round_pk: int, **kwargs) -> HttpResponse:
        delphi_round = round_for_user(
            user=request.user, study_pk=study_pk, round_pk=round_pk, write=True
        )
        study = delphi_round.study
        if not is_codable(delphi_round):
            return refused(
                request,
                study,
                delphi_round,
                ValidationError(_("Content analysis starts when the round is closed.")),
            )
        return view(request, study, delphi_round, **kwargs)

    return wrapper
