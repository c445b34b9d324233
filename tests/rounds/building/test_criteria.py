"""A confirmation round's criteria (locked once open) and the model it is built from: what
reached high or highest with consensus in a rating round's frozen results."""

import pytest
from django.core.exceptions import ValidationError

from rounds.building.criteria import round_criteria_set
from rounds.building.services import round_build_final_model
from rounds.lifecycle.services import round_open
from rounds.models import ItemResult, Round
from tests.rounds.factories import (
    DomainFactory,
    closed_rating_round,
    confirmation_round,
    consented_expert,
    frozen_result,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


def test_a_confirmation_round_rates_on_the_three_defaults_in_the_study_language(study):
    delphi_round, _none = confirmation_round(study, statements=0, status=Round.Status.DRAFT)
    assert [c["code"] for c in delphi_round.rating_criteria] == [
        "appropriateness",
        "usefulness",
        "feasibility",
    ]
    study.language = "th"
    assert delphi_round.rating_criteria[0]["label"] == "ความเหมาะสม"
    study.language = "en"
    assert delphi_round.rating_criteria[2]["label"] == "Feasibility"


def test_criteria_can_be_renamed_added_and_removed_while_draft(study, alice):
    delphi_round, _none = confirmation_round(study, statements=0, status=Round.Status.DRAFT)
    stored = round_criteria_set(
        delphi_round=delphi_round,
        criteria=[
            {"code": "appropriateness", "label": "  Fits the context "},
            {"code": "", "label": "Cost"},
        ],
        statistic="mean",
        actor=alice,
    )
    delphi_round.refresh_from_db()
    assert stored == delphi_round.criteria
    assert delphi_round.criteria == [
        {"code": "appropriateness", "label": "Fits the context"},
        {"code": "criterion-1", "label": "Cost"},
    ]
    assert delphi_round.confirmation_statistic == "mean"


@pytest.mark.parametrize(
    ("criteria", "code"),
    [
        ([], "no_criteria"),
        ([{"label": " "}], "label_required"),
        ([{"label": "A"}, {"label": "a"}], "duplicate"),
        ([{"code": "Bad Code", "label": "A"}], "bad_code"),
    ],
)
def test_bad_criteria_are_refused(study, alice, criteria, code):
    delphi_round, _none = confirmation_round(study, statements=0, status=Round.Status.DRAFT)
    with pytest.raises(ValidationError) as error:
        round_criteria_set(delphi_round=delphi_round, criteria=criteria, actor=alice)
    assert error.value.code == code


def test_criteria_are_locked_once_the_round_is_open(study, alice):
    delphi_round, _none = confirmation_round(study, statements=0)
    with pytest.raises(ValidationError) as error:
        round_criteria_set(delphi_round=delphi_round, criteria=[{"label": "X"}], actor=alice)
    assert error.value.code == "locked"
    delphi_round.refresh_from_db()
    assert delphi_round.criteria == []


def test_the_final_model_is_what_reached_high_or_highest_with_consensus(study, alice):
    domains = [DomainFactory(study=study, order=1), DomainFactory(study=study, order=2)]
    source, items = closed_rating_round(
        study, consensus=[True, False, True, True], number=3, domains=domains
    )
    # The third statement has consensus but only a moderate median: not part of the model.
    items[2].results.update(band="moderate")
    confirmation, _none = confirmation_round(study, statements=0, status=Round.Status.DRAFT)
    count = round_build_final_model(delphi_round=confirmation, source_round=source, actor=alice)
    assert count == 2
    confirmation.refresh_from_db()
    assert [item.statement for item in confirmation.items.order_by("order")] == [
        items[0].statement,
        items[3].statement,
    ]
    assert confirmation.previous_round == source
    assert not confirmation.show_median and not confirmation.require_reason_outside_iqr
    assert [c["code"] for c in confirmation.criteria] == [
        "appropriateness",
        "usefulness",
        "feasibility",
    ]


def test_the_final_model_may_be_only_the_highest_band_and_refuses_an_empty_model(study, alice):
    source, _items = closed_rating_round(study, consensus=[True], number=3)
    confirmation, _none = confirmation_round(study, statements=0, status=Round.Status.DRAFT)
    with pytest.raises(ValidationError) as error:
        round_build_final_model(
            delphi_round=confirmation, source_round=source, actor=alice, bands=["highest"]
        )
    assert error.value.code == "model_empty"
    assert not confirmation.items.exists()


def test_the_final_model_comes_only_from_a_closed_rating_round(study, alice):
    source, _items = closed_rating_round(study, consensus=[True], number=3)
    source.status = Round.Status.OPEN
    source.save()
    confirmation, _none = confirmation_round(study, statements=0, status=Round.Status.DRAFT)
    with pytest.raises(ValidationError) as error:
        round_build_final_model(delphi_round=confirmation, source_round=source, actor=alice)
    assert error.value.code == "source_not_closed"


def test_opening_fixes_the_criteria(study, alice):
    delphi_round, _items = confirmation_round(study, statements=1, status=Round.Status.DRAFT)
    consented_expert(delphi_round.panel)
    round_open(delphi_round=delphi_round, actor=alice)
    with pytest.raises(ValidationError):
        round_criteria_set(delphi_round=delphi_round, criteria=[{"label": "Y"}], actor=alice)


def test_frozen_result_helper_is_for_the_rating_criterion(study):
    # The model is read from the ordinary criterion's results only.
    _source, items = closed_rating_round(study, consensus=[True], number=3)
    ItemResult.objects.filter(item=items[0]).update(criterion="other")
    frozen_result(items[0], consensus=True)
    assert ItemResult.objects.filter(item=items[0]).count() == 2
