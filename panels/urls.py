from django.urls import path

from . import views, views_import, views_portability

app_name = "panels"

urlpatterns = [
    path("", views.study_list, name="study_list"),
    path("new/", views.study_create, name="study_create"),
    path("import/", views_portability.study_import, name="study_import"),
    path("<int:study_pk>/", views.study_detail, name="study_detail"),
    path("<int:study_pk>/edit/", views.study_edit, name="study_edit"),
    path("<int:study_pk>/delete/", views.study_delete, name="study_delete"),
    path("<int:study_pk>/export.json", views_portability.study_export, name="study_export"),
    path("<int:study_pk>/collaborators/", views.collaborator_list, name="collaborator_list"),
    path(
        "<int:study_pk>/collaborators/<int:member_pk>/remove/",
        views.collaborator_remove,
        name="collaborator_remove",
    ),
    path("<int:study_pk>/panels/new/", views.panel_create, name="panel_create"),
    path("<int:study_pk>/panels/<int:panel_pk>/", views.panel_detail, name="panel_detail"),
    path("<int:study_pk>/panels/<int:panel_pk>/edit/", views.panel_edit, name="panel_edit"),
    path("<int:study_pk>/panels/<int:panel_pk>/delete/", views.panel_delete, name="panel_delete"),
    path(
        "<int:study_pk>/panels/<int:panel_pk>/experts/new/",
        views.expert_create,
        name="expert_create",
    ),
    path("<int:study_pk>/experts/<int:expert_pk>/edit/", views.expert_edit, name="expert_edit"),
    path(
        "<int:study_pk>/experts/<int:expert_pk>/delete/", views.expert_delete, name="expert_delete"
    ),
    # Expert import and export (panels/imports.py, panels/views_import.py) — added below.
    path(
        "<int:study_pk>/panels/<int:panel_pk>/import/",
        views_import.expert_import_upload,
        name="expert_import",
    ),
    path(
        "<int:study_pk>/panels/<int:panel_pk>/import/confirm/",
        views_import.expert_import_confirm,
        name="expert_import_confirm",
    ),
    path(
        "<int:study_pk>/panels/<int:panel_pk>/import/template.xlsx",
        views_import.expert_import_template,
        name="expert_import_template",
    ),
    path(
        "<int:study_pk>/panels/<int:panel_pk>/import/template.csv",
        views_import.expert_import_template_csv,
        name="expert_import_template_csv",
    ),
    path(
        "<int:study_pk>/panels/<int:panel_pk>/export.xlsx",
        views_import.expert_export,
        name="expert_export",
    ),
    path(
        "<int:study_pk>/panels/<int:panel_pk>/export.csv",
        views_import.expert_export_csv,
        name="expert_export_csv",
    ),
]
