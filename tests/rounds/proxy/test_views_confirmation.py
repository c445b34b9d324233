"""Proxy entry of a confirmation round (ratings per criterion, suggestions per domain), and
the qualified person's thank-you page listing their ratings per criterion."""

import pytest
from django.urls import reverse

from panels.models import AuditEvent
from rounds.models import Channel, DomainSuggestion, Rating, Round, Submission
from tests.rounds.factories import confirmation_round, consented_expert

pytestmark = pytest.mark.django_db

CODES = ("appropriateness", "usefulness", "feasibility")


@pytest.fixture(autouse=True)
def english(alice_client, client):
    alice_client.cookies["django_language"] = "en"
    client.cookies["django_language"] = "en"


def _entry_url(delphi_round, expert):
    return reverse(
        "rounds:proxy_entry",
        kwargs={
            "study_pk": delphi_round.study_id,
            "round_pk": delphi_round.pk,
            "expert_pk": expert.pk,
        },
    )


def _everything(items, value="5", **extra):
    data = {"channel": Channel.PAPER, **extra}
    for item in items:
        for code in CODES:
            data[f"rating_{item.pk}_{code}"] = value
    return data


def test_the_entry_page_has_a_radio_row_per_criterion_and_a_suggestion_box(alice_client, study):
    delphi_round, items = confirmation_round(study, statements=2)
    expert, _token = consented_expert(delphi_round.panel)

    page = alice_client.get(_entry_url(delphi_round, expert)).content.decode()

    for item in items:
        for code in CODES:
            assert f'name="rating_{item.pk}_{code}"' in page
    assert "ความเป็นประโยชน์" in page
    assert f'name="suggestion_{items[0].statement.domain_id}"' in page


def test_entering_every_criterion_and_a_suggestion_saves_and_submits(alice_client, alice, study):
    delphi_round, items = confirmation_round(study, statements=2)
    expert, _token = consented_expert(delphi_round.panel)
    domain_pk = items[0].statement.domain_id
    data = _everything(items, mark_submitted="on", **{f"suggestion_{domain_pk}": "Add a budget."})

    response = alice_client.post(_entry_url(delphi_round, expert), data)

    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.status == Submission.Status.SUBMITTED
    assert (submission.channel, submission.entered_by) == (Channel.PAPER, alice)
    assert sorted(Rating.objects.values_list("criterion", flat=True)) == sorted(CODES * 2)
    assert DomainSuggestion.objects.get().text == "Add a budget."
    assert AuditEvent.objects.filter(action="answer.proxy", detail__domain=domain_pk).exists()


def test_a_paper_form_with_a_blank_criterion_is_saved_as_it_came(alice_client, study):
    # As in rating rounds, a paper questionnaire may leave a box blank and still be submitted.
    delphi_round, items = confirmation_round(study, statements=1)
    expert, _token = consented_expert(delphi_round.panel)
    data = _everything(items, mark_submitted="on")
    del data[f"rating_{items[0].pk}_feasibility"]

    alice_client.post(_entry_url(delphi_round, expert), data)

    assert sorted(Rating.objects.values_list("criterion", flat=True)) == [
        "appropriateness",
        "usefulness",
    ]
    assert Submission.objects.get().status == Submission.Status.SUBMITTED


def test_a_correction_changes_only_that_criterion(alice_client, study):
    delphi_round, items = confirmation_round(study, statements=1)
    expert, _token = consented_expert(delphi_round.panel)
    alice_client.post(_entry_url(delphi_round, expert), _everything(items, "4"))
    data = _everything(items, "4")
    data[f"rating_{items[0].pk}_usefulness"] = "2"

    alice_client.post(_entry_url(delphi_round, expert), data)

    values = dict(Rating.objects.values_list("criterion", "value"))
    assert values == {"appropriateness": 4, "usefulness": 2, "feasibility": 4}
    corrections = AuditEvent.objects.filter(action="answer.proxy", detail__criterion="usefulness")
    assert corrections.count() == 2


def test_a_closed_round_takes_no_proxy_entry(alice_client, study):
    delphi_round, items = confirmation_round(study, statements=1, status=Round.Status.CLOSED)
    expert, _token = consented_expert(delphi_round.panel)

    response = alice_client.post(_entry_url(delphi_round, expert), _everything(items))

    assert response.status_code == 302
    assert not Rating.objects.exists()


def test_the_thank_you_page_lists_each_rating_per_criterion(client, study):
    delphi_round, items = confirmation_round(study, statements=1)
    expert, token = consented_expert(delphi_round.panel)
    submission = Submission.objects.create(
        delphi_round=delphi_round, expert=expert, status=Submission.Status.SUBMITTED
    )
    values = {"appropriateness": 5, "usefulness": 4, "feasibility": 3}
    Rating.objects.bulk_create(
        Rating(submission=submission, item=items[0], criterion=code, value=value)
        for code, value in values.items()
    )
    DomainSuggestion.objects.create(
        submission=submission, domain=items[0].statement.domain, text="Train the leaders."
    )

    page = client.get(
        reverse("expert:thanks", kwargs={"token": token, "round_pk": delphi_round.pk})
    ).content.decode()

    labels = study.scale_labels
    for label, value in (("ความเหมาะสม", 5), ("ความเป็นประโยชน์", 4), ("ความเป็นไปได้", 3)):
        assert f"{label}:</span> {value} · {labels[value - 1]}" in page
    assert "Train the leaders." in page


def test_the_proxy_history_names_the_criterion_and_the_domain(alice_client, study):
    delphi_round, items = confirmation_round(study, statements=1)
    expert, _token = consented_expert(delphi_round.panel)
    domain = items[0].statement.domain
    data = _everything(items, **{f"suggestion_{domain.pk}": "Add a budget."})
    alice_client.post(_entry_url(delphi_round, expert), data)

    page = alice_client.get(
        reverse(
            "rounds:proxy_log",
            kwargs={"study_pk": delphi_round.study_id, "round_pk": delphi_round.pk},
        )
    ).content.decode()

    assert f"{items[0].statement.text} · ความเป็นไปได้" in page
    assert f"Suggestions on “{domain.title}”" in page


def test_each_criterion_can_be_typed_as_a_number(alice_client, study):
    delphi_round, items = confirmation_round(study, statements=2)
    expert, _token = consented_expert(delphi_round.panel)
    data = {"channel": Channel.PAPER}
    for item in items:
        for number, code in enumerate(CODES, start=3):
            data[f"typed_{item.pk}_{code}"] = str(number)

    page = alice_client.get(_entry_url(delphi_round, expert)).content.decode()
    assert page.count('inputmode="numeric"') == len(items) * len(CODES)
    response = alice_client.post(_entry_url(delphi_round, expert), data)

    assert response.status_code == 302
    stored = {(r.item_id, r.criterion): r.value for r in Rating.objects.all()}
    assert stored == {
        (item.pk, code): number for item in items for number, code in enumerate(CODES, start=3)
    }


def test_a_typed_zero_is_refused_where_there_is_no_cannot_judge(alice_client, study):
    delphi_round, items = confirmation_round(study, statements=1)
    expert, _token = consented_expert(delphi_round.panel)
    field = f"typed_{items[0].pk}_{CODES[0]}"

    response = alice_client.post(
        _entry_url(delphi_round, expert), {"channel": Channel.PAPER, field: "0"}
    )

    assert response.context["form"].has_error(field, "off_scale")
    assert not Rating.objects.exists()
