"""Confirmation rounds: the expert's questionnaire on every criterion, autosave and
completeness. The criteria and the model built from frozen results are in
tests/rounds/building/test_criteria.py."""

import pytest
from django.urls import reverse

from analysis import stats
from rounds.models import DomainSuggestion, ItemResult, Rating, Submission
from rounds.results import round_results_freeze
from tests.rounds.factories import DomainFactory, confirmation_round, consented_expert

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


def _url(name, token, **kwargs):
    return reverse(f"expert:{name}", kwargs={"token": token, **kwargs})


def test_the_expert_page_shows_every_item_on_every_criterion(client, study):
    delphi_round, items = confirmation_round(study, statements=2)
    _expert, token = consented_expert(delphi_round.panel)
    response = client.get(_url("round", token, round_pk=delphi_round.pk))
    assert response.status_code == 200
    html = response.content.decode()
    for item in items:
        for code in ("appropriateness", "usefulness", "feasibility"):
            assert f'name="rating_{item.pk}_{code}"' in html
    assert f'name="suggestion_{items[0].statement.domain_id}"' in html
    assert "0 of 6 answered" in html


def test_autosave_stores_one_item_on_one_criterion(client, study, django_assert_max_num_queries):
    delphi_round, items = confirmation_round(study, statements=2)
    _expert, token = consented_expert(delphi_round.panel)
    url = _url("autosave_rating", token, round_pk=delphi_round.pk, item_pk=items[0].pk)
    # link, item, the round held, submission, rating; SAVEPOINT and RELEASE of its transaction
    with django_assert_max_num_queries(7):
        response = client.post(
            url + "?criterion=usefulness", {f"rating_{items[0].pk}_usefulness": "4"}
        )
    assert response.status_code == 200
    rating = Rating.objects.get()
    assert (rating.item, rating.criterion, rating.value) == (items[0], "usefulness", 4)


def test_autosave_refuses_a_criterion_the_round_does_not_ask(client, study):
    delphi_round, items = confirmation_round(study, statements=1)
    _expert, token = consented_expert(delphi_round.panel)
    url = _url("autosave_rating", token, round_pk=delphi_round.pk, item_pk=items[0].pk)
    response = client.post(url + "?criterion=cost", {f"rating_{items[0].pk}_cost": "4"})
    assert "does not rate statements on this criterion" in response.content.decode()
    assert not Rating.objects.exists()


def test_suggestion_autosave_keeps_and_clears_the_text(client, study):
    delphi_round, items = confirmation_round(study, statements=1)
    _expert, token = consented_expert(delphi_round.panel)
    domain_pk = items[0].statement.domain_id
    url = _url("autosave_suggestion", token, round_pk=delphi_round.pk, domain_pk=domain_pk)
    client.post(url, {f"suggestion_{domain_pk}": " Add a budget line. "})
    assert DomainSuggestion.objects.get().text == "Add a budget line."
    client.post(url, {f"suggestion_{domain_pk}": ""})
    assert not DomainSuggestion.objects.exists()


def test_suggestion_for_a_domain_outside_the_round_is_refused(client, study):
    delphi_round, _items = confirmation_round(study, statements=1)
    _expert, token = consented_expert(delphi_round.panel)
    other = DomainFactory(study=study)
    url = _url("autosave_suggestion", token, round_pk=delphi_round.pk, domain_pk=other.pk)
    response = client.post(url, {f"suggestion_{other.pk}": "x"})
    assert response.status_code == 404
    assert not DomainSuggestion.objects.exists()


def _post_all(client, token, delphi_round, items, *, skip=None, action="submit"):
    data = {"action": action}
    for item in items:
        for code in delphi_round.criterion_codes:
            if (item.pk, code) != skip:
                data[f"rating_{item.pk}_{code}"] = "5"
    data[f"suggestion_{items[0].statement.domain_id}"] = "Clear roles."
    return client.post(_url("round", token, round_pk=delphi_round.pk), data)


def test_submit_needs_every_item_on_every_criterion(client, study):
    delphi_round, items = confirmation_round(study, statements=2)
    _expert, token = consented_expert(delphi_round.panel)
    response = _post_all(client, token, delphi_round, items, skip=(items[1].pk, "feasibility"))
    assert response.status_code == 200
    assert "1 of 6 are not answered" in response.content.decode()
    assert Rating.objects.count() == 5
    assert Submission.objects.get().status == Submission.Status.DRAFT
    response = _post_all(client, token, delphi_round, items)
    assert response.status_code == 302
    assert Submission.objects.get().status == Submission.Status.SUBMITTED
    assert DomainSuggestion.objects.get().text == "Clear roles."


@pytest.mark.parametrize("statements", [5, 20])
def test_the_questionnaire_page_costs_the_same_whatever_items_x_criteria(
    client, study, statements, django_assert_max_num_queries
):
    delphi_round, items = confirmation_round(study, statements=statements, domains=3)
    _expert, token = consented_expert(delphi_round.panel)
    _post_all(client, token, delphi_round, items, action="save")
    with django_assert_max_num_queries(12):
        response = client.get(_url("round", token, round_pk=delphi_round.pk))
    assert f"{statements * 3} of {statements * 3} answered" in response.content.decode()


def test_freezing_gives_one_result_per_item_and_criterion_equal_to_stats(client, study):
    delphi_round, items = confirmation_round(study, statements=2)
    values = {"appropriateness": [5, 5, 4], "usefulness": [4, 4, 3], "feasibility": [5, 3, 5]}
    for n in range(3):
        expert, _token = consented_expert(delphi_round.panel)
        submission = Submission.objects.create(
            delphi_round=delphi_round, expert=expert, status=Submission.Status.SUBMITTED
        )
        Rating.objects.bulk_create(
            Rating(submission=submission, item=item, criterion=code, value=answers[n])
            for item in items
            for code, answers in values.items()
        )
    assert round_results_freeze(delphi_round=delphi_round) == 2 * 3
    for code, answers in values.items():
        expected = stats.summarize_ratings([[value] for value in answers]).item(0)
        result = ItemResult.objects.get(item=items[0], criterion=code)
        assert (float(result.median), float(result.iqr), result.band, result.consensus) == (
            expected.median,
            expected.iqr,
            expected.band,
            expected.consensus,
        )
        mean, _sd = stats.mean_sd(list(expected.counts))
        assert result.extra["mean"] == pytest.approx(mean)
    assert not ItemResult.objects.filter(criterion="rating").exists()
