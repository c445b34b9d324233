"""Mounted under `studies/` next to panels' URLs, so the paths stay those of the study pages."""

from django.urls import path

from . import views

app_name = "transfer"

urlpatterns = [
    path("import/", views.study_import, name="study_import"),
    path("<int:study_pk>/export.json", views.study_export, name="study_export"),
    path("<int:study_pk>/delete/", views.study_delete, name="study_delete"),
]
