"""The audit log. Included into `panels/urls.py`: names stay in the `panels` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:study_pk>/audit/", views.audit_log, name="audit_log"),
    path("<int:study_pk>/audit.csv", views.audit_log_csv, name="audit_log_csv"),
]
