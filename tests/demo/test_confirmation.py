"""The demo study's round 4: the 7 qualified persons certify round 3's final model."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from analysis import selectors
from analysis.selectors.confirmation import confirmation_results
from demo.services import demo_study_load
from rounds.models import DomainSuggestion, ItemResult, Rating, Round, Submission

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def round_four(db):
    study = demo_study_load().study
    return Round.objects.select_related("study", "previous_round", "panel").get(
        study=study, number=4
    )


def test_the_seven_qualified_persons_submitted_round_four(round_four):
    submissions = Submission.objects.filter(delphi_round=round_four)

    assert round_four.status == Round.Status.CLOSED
    assert round_four.previous_round.number == 3
    assert sorted(s.expert.code for s in submissions) == [f"Q0{n}" for n in range(1, 8)]
    assert all(s.status == Submission.Status.SUBMITTED for s in submissions)


def test_every_component_is_rated_on_the_three_criteria_by_everyone(round_four):
    items = round_four.items.count()

    assert items == round_four.previous_round.items.count()
    assert Rating.objects.filter(submission__delphi_round=round_four).count() == 7 * items * 3
    assert sorted(
        set(
            ItemResult.objects.filter(item__delphi_round=round_four).values_list(
                "criterion", flat=True
            )
        )
    ) == ["appropriateness", "feasibility", "usefulness"]


def test_every_criterion_is_confirmed_high_or_highest_as_in_the_paper(round_four):
    with translation.override("en"):
        confirmation = confirmation_results(
            results=selectors.round_results(delphi_round=round_four)
        )

    assert confirmation.confirmed
    assert [v.code for v in confirmation.verdicts] == [
        "appropriateness",
        "usefulness",
        "feasibility",
    ]
    bands = {cell.result.band for row in confirmation.rows for cell in row.cells}
    assert bands <= {"high", "highest"}
    assert all(cell.result.consensus for row in confirmation.rows for cell in row.cells)


def test_a_few_suggestions_were_left(round_four):
    assert DomainSuggestion.objects.filter(submission__delphi_round=round_four).count() == 3


def test_loading_again_adds_nothing_to_round_four(round_four):
    before = Rating.objects.count(), ItemResult.objects.count(), DomainSuggestion.objects.count()

    demo_study_load()

    assert (
        Rating.objects.count(),
        ItemResult.objects.count(),
        DomainSuggestion.objects.count(),
    ) == before


def test_the_command_can_stop_before_the_confirmation():
    call_command(
        "load_demo_study", "--force", "--quiet", "--until-round", "3", stdout=io.StringIO()
    )

    fourth = Round.objects.get(number=4)
    assert fourth.status == Round.Status.DRAFT
    assert not fourth.items.exists()


def test_the_results_page_shows_the_verdict_per_criterion(client, round_four):
    client.force_login(round_four.study.owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get(
        reverse("analysis:round_results", args=[round_four.study_id, round_four.pk])
    ).content.decode()

    assert "The panel confirmed the model on every criterion." in page
    assert "ความเหมาะสม: confirmed — every component was rated high or highest" in page
    assert "7 of 7 invited experts answered" in page
