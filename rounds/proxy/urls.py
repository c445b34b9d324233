"""Proxy entry's URLs, part of the `rounds` namespace (included by rounds/urls.py under
studies/<study_pk>/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("rounds/<int:round_pk>/proxy/", views.proxy_list, name="proxy_list"),
    path(
        "rounds/<int:round_pk>/proxy/<int:expert_pk>/",
        views.proxy_entry,
        name="proxy_entry",
    ),
    path("rounds/<int:round_pk>/proxy/history/", views.proxy_log, name="proxy_log"),
]
