from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path(
        "rounds/<int:round_pk>/report.pdf",
        views.round_report,
        {"fmt": "pdf"},
        name="round_pdf",
    ),
    path(
        "rounds/<int:round_pk>/report.xlsx",
        views.round_report,
        {"fmt": "xlsx"},
        name="round_xlsx",
    ),
    path(
        "rounds/<int:round_pk>/ratings.csv",
        views.round_report,
        {"fmt": "csv"},
        name="round_csv",
    ),
    path("final-report.pdf", views.study_report, {"fmt": "pdf"}, name="study_pdf"),
    path("report.xlsx", views.study_report, {"fmt": "xlsx"}, name="study_xlsx"),
]
