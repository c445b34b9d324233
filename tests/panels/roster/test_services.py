"""Importing checked expert rows all or nothing (panels.roster.services)."""

import pytest
from django.utils import translation

from panels.models import AuditEvent, Expert
from panels.roster import parsing
from panels.roster.services import ImportRejected, expert_import, planned_codes
from tests.panels.factories import ExpertFactory, PanelFactory


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# ------------------------------------------------------------------- import service


@pytest.fixture
def panel(study):
    return PanelFactory(study=study, code_prefix="E")


def row(number, name, **fields):
    return {"row": number, "name": name} | {
        field: fields.get(field, "") for field in parsing.FIELDS if field != "name"
    }


@pytest.mark.django_db
def test_import_numbers_experts_after_the_existing_ones_and_keeps_given_codes(panel, alice):
    ExpertFactory(panel=panel, code="E01")
    ExpertFactory(panel=panel, code="E02")
    rows = [row(2, "A"), row(3, "B", code="X9"), row(4, "C", email="c@example.org")]

    created = expert_import(panel=panel, rows=rows, actor=alice)

    assert [(e.code, e.name) for e in created] == [("E03", "A"), ("X9", "B"), ("E04", "C")]
    assert Expert.objects.get(code="E04", panel=panel).email == "c@example.org"
    event = AuditEvent.objects.get(action="expert.import")
    assert (event.actor, event.detail["count"]) == (alice, 3)


@pytest.mark.django_db
def test_free_codes_skip_codes_that_the_file_brings(panel):
    ExpertFactory(panel=panel, code="E01")
    rows = [row(2, "A"), row(3, "B", code="E02")]

    assert planned_codes(panel, rows) == ["E03", "E02"]


@pytest.mark.django_db
def test_import_writes_nothing_when_the_panel_changed_since_the_preview(panel, alice):
    rows = [row(2, "A", email="a@example.org"), row(3, "B", email="b@example.org")]
    ExpertFactory(panel=panel, code="E01", name="Someone", email="B@example.org")

    with pytest.raises(ImportRejected) as raised:
        expert_import(panel=panel, rows=rows, actor=alice)

    assert raised.value.row_errors == [
        (3, "E-mail", "Expert E01 in this panel already has this e-mail address.")
    ]
    assert raised.value.messages == [
        "Row 3, E-mail: Expert E01 in this panel already has this e-mail address."
    ]
    assert Expert.objects.filter(panel=panel).count() == 1
    assert not AuditEvent.objects.filter(action="expert.import").exists()
