"""Expert import and export of a panel. Included into `panels/urls.py`, so the names stay
in the `panels` namespace (`panels:expert_import`, `panels:expert_export`, ...)."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "<int:study_pk>/panels/<int:panel_pk>/import/",
        views.expert_import_upload,
        name="expert_import",
    ),
    path(
        "<int:study_pk>/panels/<int:panel_pk>/import/confirm/",
        views.expert_import_confirm,
        name="expert_import_confirm",
    ),
    path(
        "<int:study_pk>/panels/<int:panel_pk>/import/template.xlsx",
        views.expert_import_template,
        name="expert_import_template",
    ),
    path(
        "<int:study_pk>/panels/<int:panel_pk>/import/template.csv",
        views.expert_import_template_csv,
        name="expert_import_template_csv",
    ),
    path(
        "<int:study_pk>/panels/<int:panel_pk>/export.xlsx",
        views.expert_export,
        name="expert_export",
    ),
    path(
        "<int:study_pk>/panels/<int:panel_pk>/export.csv",
        views.expert_export_csv,
        name="expert_export_csv",
    ),
]
