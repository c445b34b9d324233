from django.urls import path

from . import views, views_proxy, views_tracking
from .building import urls as building_urls
from .coding import urls as coding_urls

app_name = "rounds"

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
    # Participation, researcher side (views_tracking.py).
    path("rounds/<int:round_pk>/open/", views_tracking.round_open, name="round_open"),
    path("rounds/<int:round_pk>/close/", views_tracking.round_close, name="round_close"),
    path("rounds/<int:round_pk>/tracking/", views_tracking.tracking, name="tracking"),
    path(
        "rounds/<int:round_pk>/invitations/send/",
        views_tracking.invitations_send,
        name="invitations_send",
    ),
    path(
        "rounds/<int:round_pk>/reminders/send/",
        views_tracking.reminders_send,
        name="reminders_send",
    ),
    path("rounds/<int:round_pk>/deadline/", views_tracking.deadline_extend, name="deadline_extend"),
    path("rounds/<int:round_pk>/letters.pdf", views_tracking.letters_all, name="letters"),
    path(
        "rounds/<int:round_pk>/experts/<int:expert_pk>/letter.pdf",
        views_tracking.letter,
        name="letter",
    ),
    path(
        "rounds/<int:round_pk>/experts/<int:expert_pk>/revoke-link/",
        views_tracking.link_revoke,
        name="link_revoke",
    ),
    path(
        "rounds/<int:round_pk>/experts/<int:expert_pk>/new-link/",
        views_tracking.link_reissue,
        name="link_reissue",
    ),
    # Proxy entry: answers received on paper, by phone, … (views_proxy.py).
    path("rounds/<int:round_pk>/proxy/", views_proxy.proxy_list, name="proxy_list"),
    path(
        "rounds/<int:round_pk>/proxy/<int:expert_pk>/",
        views_proxy.proxy_entry,
        name="proxy_entry",
    ),
    path("rounds/<int:round_pk>/proxy/history/", views_proxy.proxy_log, name="proxy_log"),
]

# Content analysis of a closed open round (rounds.coding), building the next round, its
# criteria, preview and reopening (rounds.building).
urlpatterns += coding_urls.urlpatterns
urlpatterns += building_urls.urlpatterns
