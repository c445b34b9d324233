from django.urls import path

from . import views_proxy
from .lifecycle import urls as lifecycle_urls
from .setup import urls as setup_urls

app_name = "rounds"

urlpatterns = [
    # Domains, rounds and open questions (rounds/setup/).
    *setup_urls.urlpatterns,
    # Participation, researcher side (rounds/lifecycle/).
    *lifecycle_urls.urlpatterns,
    # Proxy entry: answers received on paper, by phone, … (views_proxy.py).
    path("rounds/<int:round_pk>/proxy/", views_proxy.proxy_list, name="proxy_list"),
    path(
        "rounds/<int:round_pk>/proxy/<int:expert_pk>/",
        views_proxy.proxy_entry,
        name="proxy_entry",
    ),
    path("rounds/<int:round_pk>/proxy/history/", views_proxy.proxy_log, name="proxy_log"),
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
