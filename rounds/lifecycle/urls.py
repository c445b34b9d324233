"""Participation, researcher side: open/close, tracking, invitations, reminders, deadlines,
letters and personal links; spliced into rounds/urls.py under the `rounds:` names."""

from django.urls import path

from . import views

urlpatterns = [
    path("rounds/<int:round_pk>/open/", views.round_open, name="round_open"),
    path("rounds/<int:round_pk>/close/", views.round_close, name="round_close"),
    path("rounds/<int:round_pk>/tracking/", views.tracking, name="tracking"),
    path(
        "rounds/<int:round_pk>/invitations/send/",
        views.invitations_send,
        name="invitations_send",
    ),
    path(
        "rounds/<int:round_pk>/reminders/send/",
        views.reminders_send,
        name="reminders_send",
    ),
    path("rounds/<int:round_pk>/deadline/", views.deadline_extend, name="deadline_extend"),
    path("rounds/<int:round_pk>/letters.pdf", views.letters_all, name="letters"),
    path(
        "rounds/<int:round_pk>/experts/<int:expert_pk>/letter.pdf",
        views.letter,
        name="letter",
    ),
    path(
        "rounds/<int:round_pk>/experts/<int:expert_pk>/revoke-link/",
        views.link_revoke,
        name="link_revoke",
    ),
    path(
        "rounds/<int:round_pk>/experts/<int:expert_pk>/new-link/",
        views.link_reissue,
        name="link_reissue",
    ),
]
