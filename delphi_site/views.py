from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import accounts
from .forms import SignupForm


def home(request: HttpRequest) -> HttpResponse:
    """Researchers start at their studies; everyone else starts at the sign-in page."""
    if request.user.is_authenticated:
        return redirect("panels:study_list")
    return redirect("login")


def signup(request: HttpRequest) -> HttpResponse:
    """Self sign-up for researchers, only where the site allows it (DJANGO_ALLOW_SIGNUP).

    Where it is closed the page does not exist at all (404), so nothing hints that it could.
    """
    if not settings.DELPHI_ALLOW_SIGNUP:
        raise Http404("Sign-up is closed")
    if request.user.is_authenticated:
        return redirect("panels:study_list")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = accounts.account_create(
            username=data["username"],
            email=data["email"],
            password=data["password1"],
            first_name=data["first_name"],
            last_name=data["last_name"],
        )
        # Named explicitly: the first backend is axes', which only guards sign-in attempts.
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Your account is ready. Create your first study."))
        return redirect("panels:study_list")
    return render(request, "registration/signup.html", {"form": form})
