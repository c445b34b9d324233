"""The study's audit log page: filters, pages, CSV export, and who may read it."""

import codecs
import csv
import datetime
import io

import pytest
import time_machine
from django.urls import reverse

from panels.models import AuditEvent, StudyMember
from tests.panels.factories import StudyMemberFactory, UserFactory

pytestmark = pytest.mark.django_db

BANGKOK = datetime.timezone(datetime.timedelta(hours=7))


def _url(study, name="audit_log") -> str:
    return reverse(f"panels:{name}", kwargs={"study_pk": study.pk})


@pytest.fixture
def events(study, alice):
    made = []
    for day, action, actor, detail in [
        (1, "round.open", alice, {"number": 1}),
        (2, "answer.late", None, {"expert": "E01", "round": 1, "content": {"answers": []}}),
        (3, "round.close", alice, {"number": 1, "results": 0}),
        (4, "round.open", alice, {"number": 2}),
        (5, "study.edit", alice, {"note": '=HYPERLINK("http://evil")'}),
    ]:
        with time_machine.travel(datetime.datetime(2026, 12, day, 10, tzinfo=BANGKOK)):
            made.append(
                AuditEvent.objects.create(study=study, action=action, actor=actor, detail=detail)
            )
    return made


def _actions(response) -> list[str]:
    return [row["event"].action for row in response.context["rows"]]


def test_the_owner_reads_the_log_newest_first(alice_client, study, events):
    response = alice_client.get(_url(study))

    assert response.status_code == 200
    assert _actions(response) == [
        "study.edit",
        "round.open",
        "round.close",
        "answer.late",
        "round.open",
    ]
    page = response.content.decode()
    assert "2569" in page, "Thai dates in the Buddhist era"


def test_the_study_page_links_to_the_log(alice_client, study):
    page = alice_client.get(study.get_absolute_url()).content.decode()

    assert _url(study) in page


def test_filters_by_action_who_dates_and_round(alice_client, study, events):
    def actions(**query):
        return _actions(alice_client.get(_url(study), query))

    assert actions(action="answer.late") == ["answer.late"]
    assert actions(actor="expert") == ["answer.late"]
    assert actions(since="2026-12-02", until="2026-12-03") == ["round.close", "answer.late"]
    assert actions(round_number="1") == ["round.close", "answer.late", "round.open"]
    assert actions(round_number="x") == _actions(alice_client.get(_url(study)))


def test_date_filters_read_the_buddhist_era_in_thai(alice_client, study, events):
    """Thai readers type 02/12/2569 for 2 December 2026, as every other date is shown."""
    response = alice_client.get(_url(study), {"since": "02/12/2569", "until": "03/12/2569"})

    assert _actions(response) == ["round.close", "answer.late"]
    page = response.content.decode()
    assert 'value="02/12/2569"' in page, "the filter shows back what was typed"
    assert 'type="date"' not in page, "no browser picker with Gregorian years"


def test_a_common_era_year_typed_in_thai_is_refused_clearly(alice_client, study, events):
    response = alice_client.get(_url(study), {"since": "02/12/2026"})

    assert len(_actions(response)) == len(events), "the faulty filter is ignored"
    assert "2569" in str(response.context["form"].errors["since"])


def test_the_log_is_paginated(alice_client, study):
    AuditEvent.objects.bulk_create(
        AuditEvent(study=study, action="study.edit", detail={"n": n}) for n in range(120)
    )

    first = alice_client.get(_url(study))
    third = alice_client.get(_url(study), {"page": 3})

    assert len(first.context["rows"]) == 50
    assert len(third.context["rows"]) == 20
    assert "page=2" in first.content.decode()


def test_the_csv_export_is_filtered_and_formula_safe(alice_client, study, events):
    response = alice_client.get(_url(study, "audit_log_csv"), {"round_number": "1"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[2] for row in rows[1:]] == ["round.close", "answer.late", "round.open"]

    everything = alice_client.get(_url(study, "audit_log_csv")).content.decode("utf-8-sig")
    edit = next(row for row in csv.reader(io.StringIO(everything)) if row[2] == "study.edit")
    assert edit[4].startswith("'note: =HYPERLINK") or edit[4].startswith("note: =HYPERLINK")
    assert not any(
        cell.startswith("=") for row in csv.reader(io.StringIO(everything)) for cell in row
    )


def test_an_editor_reads_the_log_a_viewer_never(client, study, events):
    editor, viewer = UserFactory(username="ed"), UserFactory(username="vi")
    StudyMemberFactory(study=study, user=editor, role=StudyMember.Role.EDITOR)
    StudyMemberFactory(study=study, user=viewer, role=StudyMember.Role.VIEWER)

    client.force_login(editor)
    assert client.get(_url(study)).status_code == 200
    client.force_login(viewer)
    assert client.get(_url(study)).status_code == 403
    assert client.get(_url(study, "audit_log_csv")).status_code == 403
    assert _url(study) not in client.get(study.get_absolute_url()).content.decode()


def test_another_researcher_finds_nothing(bob_client, study, events):
    assert bob_client.get(_url(study)).status_code == 404
    assert bob_client.get(_url(study, "audit_log_csv")).status_code == 404
