from django.contrib import admin
from django.contrib.auth.views import LoginView
from django.urls import include, path

from . import health, views
from .forms import SignInForm

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path(
        "accounts/login/",
        LoginView.as_view(authentication_form=SignInForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("studies/", include("panels.urls")),
    path("studies/", include("transfer.urls")),
    path("studies/<int:study_pk>/", include("rounds.urls")),
    path("studies/<int:study_pk>/", include("analysis.urls")),
    path("studies/<int:study_pk>/", include("reports.urls")),
    path("e/", include("rounds.answering.urls")),
    path("admin/", admin.site.urls),
]
