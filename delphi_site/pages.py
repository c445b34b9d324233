"""Page helpers every researcher-side view shares: the form page and the delete confirmation.

They live here, below every app, so that `rounds` and `panels` views use one of each without
importing each other's view modules.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _


def render_form(request: HttpRequest, *, study, form, title: str, cancel_url: str) -> HttpResponse:
    """The one page every create/edit form of the researcher side uses."""
    context = {"study": study, "form": form, "title": title, "cancel_url": cancel_url}
    return render(request, "panels/form_page.html", context)


def confirm_delete(
    request: HttpRequest,
    *,
    study,
    obj,
    delete: Callable[[], None],
    success_url: str,
    cancel_url: str,
) -> HttpResponse:
    """GET asks for confirmation; POST calls `delete` (a service), or explains why it cannot.

    `delete` raises ValidationError when the object cannot go (answers or rounds depend on it).
    """
    if request.method == "POST":
        try:
            delete()
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(cancel_url)
        messages.success(request, _("“%(object)s” was deleted.") % {"object": obj})
        return redirect(success_url)
    context = {"study": study, "object": obj, "cancel_url": cancel_url}
    return render(request, "panels/confirm_delete.html", context)
