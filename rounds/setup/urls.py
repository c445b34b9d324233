"""Domains, rounds and open questions; spliced into rounds/urls.py under the `rounds:` names."""

from django.urls import path

from . import views

urlpatterns = [
    path("domains/new/", views.domain_create, name="domain_create"),
    path("domains/<int:domain_pk>/edit/", views.domain_edit, name="domain_edit"),
    path("domains/<int:domain_pk>/delete/", views.domain_delete, name="domain_delete"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:round_pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:round_pk>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:round_pk>/delete/", views.round_delete, name="round_delete"),
    path("rounds/<int:round_pk>/questions/new/", views.question_create, name="question_create"),
    path(
        "rounds/<int:round_pk>/questions/<int:question_pk>/edit/",
        views.question_edit,
        name="question_edit",
    ),
    path(
        "rounds/<int:round_pk>/questions/<int:question_pk>/delete/",
        views.question_delete,
        name="question_delete",
    ),
]
