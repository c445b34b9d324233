from django.urls import path

from . import views, views_tracking
from .proxy.urls import urlpatterns as proxy_urlpatterns

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
    # Proxy entry: answers received on paper, by phone, … (rounds/proxy/).
    *proxy_urlpatterns,
]

# Content analysis of a closed open round (engineer D; views_coding.py).
from . import views_coding  # noqa: E402

CODING = "rounds/<int:round_pk>/coding/"
CODING_STATEMENT = CODING + "statements/<int:statement_pk>/"
urlpatterns += [
    path(CODING, views_coding.coding_workspace, name="coding"),
    path(CODING + "coding.xlsx", views_coding.coding_export, name="coding_export"),
    path(
        CODING + "statements/new/",
        views_coding.statement_create,
        name="coding_statement_create",
    ),
    path(CODING + "sources/add/", views_coding.sources_add, name="coding_sources_add"),
    path(CODING_STATEMENT + "edit/", views_coding.statement_edit, name="coding_statement_edit"),
    path(CODING_STATEMENT + "merge/", views_coding.statement_merge, name="coding_statement_merge"),
    path(CODING_STATEMENT + "split/", views_coding.statement_split, name="coding_statement_split"),
    path(
        CODING_STATEMENT + "out-of-scope/",
        views_coding.statement_out_of_scope,
        name="coding_statement_out_of_scope",
    ),
    path(
        CODING_STATEMENT + "restore/",
        views_coding.statement_restore,
        name="coding_statement_restore",
    ),
    path(CODING_STATEMENT + "move/", views_coding.statement_move, name="coding_statement_move"),
    path(
        CODING_STATEMENT + "sources/<int:answer_pk>/remove/",
        views_coding.source_remove,
        name="coding_source_remove",
    ),
    path(
        CODING + "answers/<int:answer_pk>/out-of-scope/",
        views_coding.answer_out_of_scope,
        name="coding_answer_out_of_scope",
    ),
    path(
        CODING + "answers/<int:answer_pk>/restore/",
        views_coding.answer_restore,
        name="coding_answer_restore",
    ),
]

# Building the next round, its preview, and reopening a closed round (engineer E;
# views_building.py).
from . import views_building  # noqa: E402

urlpatterns += [
    path("rounds/<int:round_pk>/build/", views_building.build, name="build"),
    path("rounds/<int:round_pk>/build/add/", views_building.build_add, name="build_add"),
    path("rounds/<int:round_pk>/build/item/", views_building.build_item, name="build_item"),
    path("rounds/<int:round_pk>/preview/", views_building.preview, name="preview"),
    path("rounds/<int:round_pk>/reopen/", views_building.round_reopen, name="round_reopen"),
]

# A confirmation round's criteria and statistic (engineer K2; views_confirmation.py).
from . import views_confirmation  # noqa: E402

urlpatterns += [
    path("rounds/<int:round_pk>/criteria/", views_confirmation.criteria, name="criteria"),
]
