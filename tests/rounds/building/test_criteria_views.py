"""The researcher's criteria page of a confirmation round, and building its items from the
final model on the build page."""

import re

import pytest
from django.urls import reverse

from panels.models import StudyMember
from rounds.models import Round
from tests.panels.factories import StudyMemberFactory
from tests.rounds.factories import RoundFactory, closed_rating_round, confirmation_round

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(alice_client, bob_client):
    alice_client.cookies["django_language"] = "en"
    bob_client.cookies["django_language"] = "en"


def _url(delphi_round, name="rounds:criteria"):
    return reverse(name, kwargs={"study_pk": delphi_round.study_id, "round_pk": delphi_round.pk})


def _post(delphi_round, rows, statistic="median"):
    data = {
        "criteria-TOTAL_FORMS": str(len(rows)),
        "criteria-INITIAL_FORMS": "0",
        "statistic": statistic,
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"criteria-{index}-{key}"] = value
    return data


def test_the_page_lists_the_default_criteria_for_editing(alice_client, study):
    delphi_round, _none = confirmation_round(study, statements=0, status=Round.Status.DRAFT)

    page = alice_client.get(_url(delphi_round)).content.decode()

    assert 'id="criteria-form"' in page
    for label in ("ความเหมาะสม", "ความเป็นประโยชน์", "ความเป็นไปได้"):
        assert f'value="{label}"' in page


def test_criteria_are_renamed_added_removed_and_the_statistic_chosen(alice_client, study):
    delphi_round, _none = confirmation_round(study, statements=0, status=Round.Status.DRAFT)
    rows = [
        {"code": "appropriateness", "label": "Fits the schools"},
        {"code": "usefulness", "label": "Usefulness", "remove": "on"},
        {"code": "feasibility", "label": "Feasibility"},
        {"code": "", "label": "Cost"},
        {"code": "", "label": ""},
    ]

    response = alice_client.post(_url(delphi_round), _post(delphi_round, rows, "mean"))

    assert response.status_code == 302
    delphi_round.refresh_from_db()
    assert delphi_round.criteria == [
        {"code": "appropriateness", "label": "Fits the schools"},
        {"code": "feasibility", "label": "Feasibility"},
        {"code": "criterion-1", "label": "Cost"},
    ]
    assert delphi_round.confirmation_statistic == "mean"


def test_removing_every_criterion_is_refused_and_keeps_the_page(alice_client, study):
    delphi_round, _none = confirmation_round(study, statements=0, status=Round.Status.DRAFT)
    rows = [{"code": "appropriateness", "label": "Appropriateness", "remove": "on"}]

    response = alice_client.post(_url(delphi_round), _post(delphi_round, rows))

    assert response.status_code == 200
    assert "Keep at least one criterion." in response.content.decode()
    delphi_round.refresh_from_db()
    assert delphi_round.criteria == []


def test_two_criteria_with_one_name_are_refused(alice_client, study):
    delphi_round, _none = confirmation_round(study, statements=0, status=Round.Status.DRAFT)
    rows = [{"code": "", "label": "Cost"}, {"code": "", "label": "cost"}]

    response = alice_client.post(_url(delphi_round), _post(delphi_round, rows))

    assert "Two criteria have the same name" in response.content.decode()
    delphi_round.refresh_from_db()
    assert delphi_round.criteria == []


def test_criteria_of_an_open_round_are_shown_read_only_and_cannot_change(alice_client, study):
    delphi_round, _none = confirmation_round(study, statements=0)
    rows = [{"code": "", "label": "Cost"}]

    page = alice_client.get(_url(delphi_round)).content.decode()
    response = alice_client.post(_url(delphi_round), _post(delphi_round, rows), follow=True)

    assert 'id="criteria-locked"' in page and 'id="criteria-form"' not in page
    assert "ความเป็นไปได้" in page
    assert "The criteria can change only while the round is a draft" in response.content.decode()
    delphi_round.refresh_from_db()
    assert delphi_round.criteria == []


def test_a_viewer_cannot_change_the_criteria(bob, bob_client, study):
    StudyMemberFactory(study=study, user=bob, role=StudyMember.Role.VIEWER)
    delphi_round, _none = confirmation_round(study, statements=0, status=Round.Status.DRAFT)

    response = bob_client.post(_url(delphi_round), _post(delphi_round, [{"label": "Cost"}]))

    assert response.status_code == 403
    delphi_round.refresh_from_db()
    assert delphi_round.criteria == []


def test_another_researcher_gets_404(bob_client, study):
    delphi_round, _none = confirmation_round(study, statements=0, status=Round.Status.DRAFT)

    assert bob_client.get(_url(delphi_round)).status_code == 404


def test_a_rating_round_has_no_criteria_page(alice_client, study):
    delphi_round = RoundFactory(study=study, kind=Round.Kind.RATING)

    assert alice_client.get(_url(delphi_round)).status_code == 404


def test_the_build_page_links_to_the_criteria_and_offers_the_final_model(alice_client, study):
    source, _items = closed_rating_round(study, consensus=[True, False], number=3)
    delphi_round, _none = confirmation_round(study, statements=0, status=Round.Status.DRAFT)

    page = alice_client.get(_url(delphi_round, "rounds:build")).content.decode()

    assert _url(delphi_round) in page
    chosen = re.search(r'<input[^>]*value="([^"]*)"[^>]*checked', page)
    assert chosen and chosen.group(1) == f"{source.pk}:model"


def test_building_from_the_final_model_keeps_only_settled_statements(alice_client, study):
    source, items = closed_rating_round(study, consensus=[True, False, True], number=3)
    delphi_round, _none = confirmation_round(study, statements=0, status=Round.Status.DRAFT)

    response = alice_client.post(
        _url(delphi_round, "rounds:build"), {"action": "build", "source": f"{source.pk}:model"}
    )

    assert response.status_code == 302
    statements = list(delphi_round.items.order_by("order").values_list("statement_id", flat=True))
    assert statements == [items[0].statement_id, items[2].statement_id]
    delphi_round.refresh_from_db()
    assert delphi_round.previous_round_id == source.pk


def test_preview_of_a_confirmation_round_shows_every_criterion(alice_client, study):
    delphi_round, items = confirmation_round(study, status=Round.Status.DRAFT)

    response = alice_client.get(_url(delphi_round, "rounds:preview"))

    page = response.content.decode()
    assert response.status_code == 200
    for code in ("appropriateness", "usefulness", "feasibility"):
        assert all(f'name="rating_{item.pk}_{code}"' in page for item in items), code
    assert 'id="preview-banner"' in page
