from django.urls import path

from . import views
from .audit import urls as audit_urls
from .roster import urls as roster_urls

app_name = "panels"

urlpatterns = [
    path("", views.study_list, name="study_list"),
    path("new/", views.study_create, name="study_create"),
    path("<int:study_pk>/", views.study_detail, name="study_detail"),
    path("<int:study_pk>/edit/", views.study_edit, name="study_edit"),
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
]

# Expert import and export of a panel (panels/roster/).
urlpatterns += roster_urls.urlpatterns

# The study's audit log (panels/audit/).
urlpatterns += audit_urls.urlpatterns
