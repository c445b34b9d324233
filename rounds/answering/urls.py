"""The expert's pages, under /e/<token>/: the token is the expert's personal link."""

from django.urls import path

from .views import autosave, confirmation, pages, questionnaire

app_name = "expert"

urlpatterns = [
    path("<str:token>/", pages.start, name="start"),
    path("<str:token>/consent/", pages.consent, name="consent"),
    path("<str:token>/rounds/<int:round_pk>/", questionnaire.round_page, name="round"),
    path("<str:token>/rounds/<int:round_pk>/thanks/", pages.thanks, name="thanks"),
    path(
        "<str:token>/rounds/<int:round_pk>/items/<int:item_pk>/save/",
        autosave.autosave_rating,
        name="autosave_rating",
    ),
    path(
        "<str:token>/rounds/<int:round_pk>/questions/<int:question_pk>/answers/<int:position>/save/",
        autosave.autosave_open,
        name="autosave_open",
    ),
    path(
        "<str:token>/rounds/<int:round_pk>/questions/<int:question_pk>/box/",
        autosave.open_box,
        name="open_box",
    ),
    path(
        "<str:token>/rounds/<int:round_pk>/domains/<int:domain_pk>/suggestion/save/",
        confirmation.autosave_suggestion,
        name="autosave_suggestion",
    ),
]
