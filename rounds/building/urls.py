"""Building the next round, a confirmation round's criteria, the preview and reopening, added
to the `rounds:` namespace by rounds.urls (the names and paths are those of the researcher's
pages of a study)."""

from django.urls import path

from . import views

urlpatterns = [
    path("rounds/<int:round_pk>/build/", views.build, name="build"),
    path("rounds/<int:round_pk>/build/add/", views.build_add, name="build_add"),
    path("rounds/<int:round_pk>/build/item/", views.build_item, name="build_item"),
    path("rounds/<int:round_pk>/preview/", views.preview, name="preview"),
    path("rounds/<int:round_pk>/reopen/", views.round_reopen, name="round_reopen"),
    path("rounds/<int:round_pk>/criteria/", views.criteria, name="criteria"),
]
