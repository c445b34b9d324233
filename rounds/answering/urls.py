"""The expert's pages, under /e/<token>/: the token is the expert's personal link."""

from django.urls import path

from . import views_expert as views

app_name = "expert"

urlpatterns = [
    path("<str:token>/", views.start, name="start"),
    path("<str:token>/consent/", views.consent, name="consent"),
    path("<str:token>/rounds/<int:round_pk>/", views.round_page, name="round"),
    path("<str:token>/rounds/<int:round_pk>/thanks/", views.thanks, name="thanks"),
    path(
        "<str:token>/rounds/<int:round_pk>/items/<int:item_pk>/save/",
        views.autosave_rating,
        name="autosave_rating",
    ),
    path(
        "<str:token>/rounds/<int:round_pk>/questions/<int:question_pk>/answers/<int:position>/save/",
        views.autosave_open,
        name="autosave_open",
    ),
    path(
        "<str:token>/rounds/<int:round_pk>/questions/<int:question_pk>/box/",
        views.open_box,
        name="open_box",
    ),
    path(
        "<str:token>/rounds/<int:round_pk>/domains/<int:domain_pk>/suggestion/save/",
        views.autosave_suggestion,
        name="autosave_suggestion",
    ),
]
