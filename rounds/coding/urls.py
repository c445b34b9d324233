"""The content-analysis pages of a closed open round, added to the `rounds:` namespace by
rounds.urls (the names and paths are those of the researcher's pages of a study)."""

from django.urls import path

from . import views

CODING = "rounds/<int:round_pk>/coding/"
CODING_STATEMENT = CODING + "statements/<int:statement_pk>/"

urlpatterns = [
    path(CODING, views.coding_workspace, name="coding"),
    path(CODING + "coding.xlsx", views.coding_export, name="coding_export"),
    path(CODING + "statements/new/", views.statement_create, name="coding_statement_create"),
    path(CODING + "sources/add/", views.sources_add, name="coding_sources_add"),
    path(CODING_STATEMENT + "edit/", views.statement_edit, name="coding_statement_edit"),
    path(CODING_STATEMENT + "merge/", views.statement_merge, name="coding_statement_merge"),
    path(CODING_STATEMENT + "split/", views.statement_split, name="coding_statement_split"),
    path(
        CODING_STATEMENT + "out-of-scope/",
        views.statement_out_of_scope,
        name="coding_statement_out_of_scope",
    ),
    path(CODING_STATEMENT + "restore/", views.statement_restore, name="coding_statement_restore"),
    path(CODING_STATEMENT + "move/", views.statement_move, name="coding_statement_move"),
    path(
        CODING_STATEMENT + "sources/<int:answer_pk>/remove/",
        views.source_remove,
        name="coding_source_remove",
    ),
    path(
        CODING + "answers/<int:answer_pk>/out-of-scope/",
        views.answer_out_of_scope,
        name="coding_answer_out_of_scope",
    ),
    path(
        CODING + "answers/<int:answer_pk>/restore/",
        views.answer_restore,
        name="coding_answer_restore",
    ),
]
