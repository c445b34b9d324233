import datetime

import pytest
from django.urls import reverse

from panels.models import AuditEvent
from rounds.models import Domain, OpenQuestion, Round
from tests.panels.factories import PanelFactory
from tests.rounds.factories import DomainFactory, OpenQuestionFactory, RoundFactory

pytestmark = pytest.mark.django_db


def _url(name: str, **kwargs) -> str:
    return reverse(f"rounds:{name}", kwargs=kwargs)


def test_domain_is_added_to_the_study(alice_client, study):
    response = alice_client.post(
        _url("domain_create", study_pk=study.pk),
        {"title": "กระบวนการสร้างเครือข่าย", "description": "", "order": 1},
    )

    assert response.status_code == 302
    assert Domain.objects.get(study=study).title == "กระบวนการสร้างเครือข่าย"


def test_round_needs_a_panel_first(alice_client, study):
    response = alice_client.get(_url("round_create", study_pk=study.pk))

    assert response.status_code == 302
    assert response.url == reverse("panels:panel_create", kwargs={"study_pk": study.pk})


def test_new_round_gets_the_next_number_and_starts_as_draft(alice_client, study):
    panel = PanelFactory(study=study)
    RoundFactory(study=study, panel=panel, number=1)
    url = _url("round_create", study_pk=study.pk)
    assert alice_client.get(url).context["form"]["number"].initial == 2

    response = alice_client.post(
        url,
        {
            "number": 2,
            "kind": "rating",
            "panel": panel.pk,
            "title": "รอบที่ 2",
            "opens_at": "2019-03-08T09:00",
            "closes_at": "2019-03-25T23:59",
        },
    )

    created = Round.objects.get(study=study, number=2)
    assert response.status_code == 302
    assert created.status == Round.Status.DRAFT
    assert created.closes_at.astimezone(datetime.UTC) == datetime.datetime(
        2019, 3, 25, 16, 59, tzinfo=datetime.UTC
    ), "deadlines are entered in Bangkok time"


def test_round_deadline_before_opening_is_refused(alice_client, study):
    panel = PanelFactory(study=study)

    response = alice_client.post(
        _url("round_create", study_pk=study.pk),
        {
            "number": 1,
            "kind": "open",
            "panel": panel.pk,
            "opens_at": "2019-03-25T09:00",
            "closes_at": "2019-03-08T09:00",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].has_error("closes_at", code="dates")
    assert not Round.objects.exists()


def test_panel_of_another_study_cannot_be_chosen(alice_client, study):
    foreign_panel = PanelFactory()
    PanelFactory(study=study)

    response = alice_client.post(
        _url("round_create", study_pk=study.pk),
        {"number": 1, "kind": "open", "panel": foreign_panel.pk},
    )

    assert response.context["form"].has_error("panel")


def test_questions_are_written_while_the_round_is_a_draft(alice_client, study):
    delphi_round = RoundFactory(study=study)
    domain = DomainFactory(study=study)

    alice_client.post(
        _url("question_create", study_pk=study.pk, round_pk=delphi_round.pk),
        {"domain": domain.pk, "text": "ควรสร้างความตระหนักอย่างไร", "order": 1},
    )

    assert OpenQuestion.objects.get(delphi_round=delphi_round).domain == domain


def test_questions_of_an_opened_round_cannot_change(alice_client, study):
    delphi_round = RoundFactory(study=study, status=Round.Status.OPEN)
    question = OpenQuestionFactory(delphi_round=delphi_round, text="Original")

    response = alice_client.post(
        _url("question_edit", study_pk=study.pk, round_pk=delphi_round.pk, question_pk=question.pk),
        {"text": "Changed", "order": 1},
    )

    assert response.status_code == 403
    question.refresh_from_db()
    assert question.text == "Original"


def test_only_a_draft_round_can_be_deleted(alice_client, study):
    opened = RoundFactory(study=study, status=Round.Status.OPEN)
    draft = RoundFactory(study=study)

    alice_client.post(_url("round_delete", study_pk=study.pk, round_pk=opened.pk))
    alice_client.post(_url("round_delete", study_pk=study.pk, round_pk=draft.pk))

    assert list(Round.objects.all()) == [opened]


def test_domain_with_questions_is_not_deleted(alice_client, study):
    domain = DomainFactory(study=study)
    OpenQuestionFactory(delphi_round=RoundFactory(study=study), domain=domain)

    alice_client.post(_url("domain_delete", study_pk=study.pk, domain_pk=domain.pk))

    assert Domain.objects.filter(pk=domain.pk).exists()


def test_round_page_lists_questions_with_their_domain(alice_client, study):
    delphi_round = RoundFactory(study=study)
    domain = DomainFactory(study=study, title="องค์ประกอบของเครือข่าย")
    OpenQuestionFactory(delphi_round=delphi_round, domain=domain, text="คำถามแรก")

    response = alice_client.get(delphi_round.get_absolute_url())

    page = response.content.decode()
    assert "องค์ประกอบของเครือข่าย" in page
    assert "คำถามแรก" in page


def test_an_opened_round_keeps_its_panel_kind_and_previous_round(alice_client, study):
    panel, other_panel = PanelFactory(study=study), PanelFactory(study=study)
    earlier = RoundFactory(study=study, panel=panel, kind="rating")
    delphi_round = RoundFactory(
        study=study, panel=panel, kind="rating", status=Round.Status.OPEN, previous_round=earlier
    )

    alice_client.post(
        _url("round_edit", study_pk=study.pk, round_pk=delphi_round.pk),
        {
            "number": delphi_round.number,
            "kind": "open",
            "panel": other_panel.pk,
            "previous_round": "",
            "title": "renamed",
        },
    )

    delphi_round.refresh_from_db()
    assert delphi_round.title == "renamed"
    assert (delphi_round.kind, delphi_round.panel, delphi_round.previous_round) == (
        "rating",
        panel,
        earlier,
    )


def test_a_closed_rounds_edit_form_cannot_move_its_deadline(alice_client, study):
    opens_at = datetime.datetime(2019, 3, 8, 2, 0, tzinfo=datetime.UTC)
    closes_at = datetime.datetime(2019, 3, 25, 16, 59, tzinfo=datetime.UTC)
    delphi_round = RoundFactory(
        study=study, status=Round.Status.CLOSED, opens_at=opens_at, closes_at=closes_at
    )
    url = _url("round_edit", study_pk=study.pk, round_pk=delphi_round.pk)

    alice_client.post(
        url,
        {
            "number": delphi_round.number,
            "kind": delphi_round.kind,
            "panel": delphi_round.panel_id,
            "title": "",
            "opens_at": "",
            "closes_at": "2001-01-01T09:00",
        },
    )

    delphi_round.refresh_from_db()
    assert (delphi_round.opens_at, delphi_round.closes_at) == (opens_at, closes_at)
    assert not AuditEvent.objects.filter(action="round.deadline").exists()
    assert alice_client.get(url).context["form"].fields["closes_at"].disabled


def test_an_open_rounds_edit_form_cannot_change_its_number_or_panel(alice_client, study):
    panel, other_panel = PanelFactory(study=study), PanelFactory(study=study)
    delphi_round = RoundFactory(study=study, panel=panel, number=1, status=Round.Status.OPEN)

    alice_client.post(
        _url("round_edit", study_pk=study.pk, round_pk=delphi_round.pk),
        {"number": 7, "kind": delphi_round.kind, "panel": other_panel.pk, "title": "renamed"},
    )

    delphi_round.refresh_from_db()
    assert (delphi_round.number, delphi_round.panel) == (1, panel)


def test_editing_a_question_is_audited(alice_client, alice, study):
    delphi_round = RoundFactory(study=study, number=1)
    question = OpenQuestionFactory(delphi_round=delphi_round, text="Original")

    response = alice_client.post(
        _url("question_edit", study_pk=study.pk, round_pk=delphi_round.pk, question_pk=question.pk),
        {"text": "Changed", "order": 1},
    )

    assert response.status_code == 302
    event = AuditEvent.objects.get(study=study, action="question.edit")
    assert (event.actor, event.detail["round"]) == (alice, 1)


def test_empty_lists_are_not_numbered_items(alice_client, study):
    # "1. ยังไม่มีด้าน…": the empty message was the first <li> of a numbered list.
    delphi_round = RoundFactory(study=study)
    pages = [
        (alice_client.get(reverse("panels:study_detail", args=[study.pk])), "no-domains"),
        (alice_client.get(delphi_round.get_absolute_url()), "no-questions"),
    ]

    for response, empty in pages:
        page = response.content.decode()
        assert f'id="{empty}"' in page
        assert "list-group-numbered" not in page
