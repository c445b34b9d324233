"""What comes next after each state of a round, and where a study stands."""

import pytest
from django.urls import reverse
from django.utils import translation

from rounds.models import Round
from rounds.next_steps import round_next_steps, study_next_steps
from tests.panels.factories import ExpertFactory, PanelFactory
from tests.rounds.factories import (
    OpenQuestionFactory,
    RoundFactory,
    answered_round,
    closed_rating_round,
    rating_round,
    statement_from,
)

pytestmark = pytest.mark.django_db


def _keys(steps) -> list[str]:
    return [step.key for step in steps.steps]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_closed_round_one_leads_to_the_analysis_then_to_round_two(study):
    answered = answered_round(study, experts=2, questions=1)

    steps = round_next_steps(answered.delphi_round)
    assert _keys(steps) == ["coding", "build_rating"]
    assert steps.primary.label == "Analyse the answers"
    assert steps.primary.url == reverse("rounds:coding", args=[study.pk, answered.delphi_round.pk])

    statement_from(answered.answers)
    steps = round_next_steps(answered.delphi_round)
    assert _keys(steps) == ["build_rating", "coding"]
    assert steps.primary.label == "Build round 2"
    # No round 2 yet: the link creates it, a rating round of the same panel after round 1.
    url = steps.primary.url
    assert url.startswith(reverse("rounds:round_create", args=[study.pk]))
    assert "kind=rating" in url
    assert f"previous_round={answered.delphi_round.pk}" in url
    assert f"panel={answered.delphi_round.panel_id}" in url


def test_a_draft_round_two_is_built_rather_than_created_again(study):
    answered = answered_round(study, experts=2, questions=1)
    statement_from(answered.answers)
    round_two = RoundFactory(
        study=study, panel=answered.delphi_round.panel, kind=Round.Kind.RATING, number=2
    )

    steps = round_next_steps(answered.delphi_round)

    assert steps.primary.url == reverse("rounds:build", args=[study.pk, round_two.pk])


def test_a_closed_rating_round_leads_to_results_then_the_next_round(study):
    panel = PanelFactory(study=study)
    delphi_round, _items = closed_rating_round(study, panel, consensus=[True, False])

    assert _keys(round_next_steps(delphi_round)) == [
        "results",
        "build_rating",
        "build_confirmation",
    ]
    assert _keys(round_next_steps(delphi_round, on_results=True)) == [
        "build_rating",
        "build_confirmation",
    ]


def test_when_every_statement_is_settled_confirmation_comes_first(study):
    panel = PanelFactory(study=study)
    delphi_round, _items = closed_rating_round(study, panel, consensus=[True, True])

    steps = round_next_steps(delphi_round, on_results=True)

    assert _keys(steps) == ["build_confirmation", "build_rating"]
    assert "kind=confirmation" in steps.primary.url


def test_drafts_and_open_rounds(study):
    panel = PanelFactory(study=study)
    draft = RoundFactory(study=study, panel=panel, kind=Round.Kind.OPEN)
    assert _keys(round_next_steps(draft)) == ["add_question"]
    OpenQuestionFactory(delphi_round=draft)
    assert _keys(round_next_steps(draft)) == ["open", "preview"]

    rating, _items = rating_round(study, panel, statements=0, number=2, status=Round.Status.DRAFT)
    assert _keys(round_next_steps(rating)) == ["build"]

    draft.status = Round.Status.OPEN
    steps = round_next_steps(draft)
    assert _keys(steps) == ["tracking", "close"]
    assert steps.where == f"{draft.display_title} (Open questions): Open"


def test_viewers_see_only_the_steps_that_read(study):
    panel = PanelFactory(study=study)
    delphi_round, _items = closed_rating_round(study, panel, consensus=[True, False])

    steps = round_next_steps(delphi_round).for_user(False)

    assert _keys(steps) == ["results"]


def test_the_study_says_where_it_stands_from_set_up_to_round_two(study):
    assert _keys(study_next_steps(study)) == ["panel"]
    panel = PanelFactory(study=study)
    assert _keys(study_next_steps(study)) == ["experts"]
    ExpertFactory(panel=panel)
    steps = study_next_steps(study)
    assert _keys(steps) == ["create_round"]
    assert "kind=open" in steps.primary.url

    answered = answered_round(study, experts=2, questions=1, panel=panel)
    steps = study_next_steps(study)
    assert steps.delphi_round == answered.delphi_round
    assert steps.primary.key == "coding"
    assert "Closed" in steps.where

    statement_from(answered.answers)
    round_two, _items = rating_round(study, panel, statements=2, status=Round.Status.DRAFT)
    steps = study_next_steps(study)
    assert steps.delphi_round == round_two
    assert steps.primary.key == "open"

    round_two.status = Round.Status.OPEN
    round_two.save(update_fields=["status"])
    assert study_next_steps(study).primary.key == "tracking"


def test_the_round_form_takes_its_kind_panel_and_previous_round_from_the_link(alice_client, study):
    panel = PanelFactory(study=study)
    round_one = RoundFactory(study=study, panel=panel, status=Round.Status.CLOSED)
    other = PanelFactory()  # another study's panel is ignored
    url = reverse("rounds:round_create", args=[study.pk])

    response = alice_client.get(f"{url}?kind=rating&panel={panel.pk}&previous_round={round_one.pk}")
    form = response.context["form"]
    assert (form["kind"].value(), form["panel"].value(), form["previous_round"].value()) == (
        "rating",
        panel.pk,
        round_one.pk,
    )

    form = alice_client.get(f"{url}?kind=bogus&panel={other.pk}").context["form"]
    assert form["panel"].value() is None
    assert form["kind"].value() != "bogus"
