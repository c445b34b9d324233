from decimal import Decimal

import pytest
from django.urls import reverse

from panels.models import AuditEvent, Expert, Panel, Study, StudyMember
from rounds.models import Round
from tests.panels.factories import ExpertFactory, PanelFactory, StudyFactory, StudyMemberFactory
from tests.rounds.factories import RoundFactory

pytestmark = pytest.mark.django_db

STUDY_FORM = {
    "title": "รูปแบบเครือข่ายความร่วมมือ",
    "title_en": "A cooperation-network model",
    "description": "",
    "language": "th",
    "scale_labels_text": "น้อยที่สุด\nน้อย\nปานกลาง\nมาก\nมากที่สุด",
    "band_cutoff_1": "1.49",
    "band_cutoff_2": "2.49",
    "band_cutoff_3": "3.49",
    "band_cutoff_4": "4.49",
    "consensus_iqr_threshold": "1.50",
}


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("panels:study_list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_new_study_has_the_seed_defaults(alice_client, alice):
    response = alice_client.post(reverse("panels:study_create"), STUDY_FORM)

    study = Study.objects.get()
    assert response.status_code == 302
    assert response.url == study.get_absolute_url()
    assert study.owner == alice
    assert study.band_cutoffs == tuple(Decimal(v) for v in ("1.49", "2.49", "3.49", "4.49"))
    assert study.consensus_iqr_threshold == Decimal("1.50")
    assert study.scale_labels[4] == "มากที่สุด"
    assert AuditEvent.objects.filter(study=study, action="study.create").exists()


def test_study_form_rejects_bands_out_of_order_and_keeps_the_input(alice_client):
    data = STUDY_FORM | {"band_cutoff_2": "1.00"}

    response = alice_client.post(reverse("panels:study_create"), data)

    assert response.status_code == 200
    assert not Study.objects.exists()
    assert "รูปแบบเครือข่ายความร่วมมือ" in response.content.decode()
    assert response.context["form"].has_error("__all__", code="cutoffs")


def test_study_form_needs_five_scale_labels(alice_client):
    response = alice_client.post(
        reverse("panels:study_create"), STUDY_FORM | {"scale_labels_text": "low\nhigh"}
    )

    assert response.context["form"].has_error("scale_labels_text", code="labels")


def test_dashboard_lists_own_and_shared_studies_only(alice_client, alice, bob):
    own = StudyFactory(owner=alice, title="Own study")
    shared = StudyFactory(owner=bob, title="Shared with Alice")
    StudyMemberFactory(study=shared, user=alice, role=StudyMember.Role.VIEWER)
    StudyFactory(owner=bob, title="Bob's private study")

    response = alice_client.get(reverse("panels:study_list"))

    assert list(response.context["studies"].order_by("pk")) == [own, shared]
    assert "Bob&#x27;s private study" not in response.content.decode()


def test_dashboard_query_count_does_not_grow_with_studies(
    alice_client, alice, django_assert_max_num_queries
):
    for _ in range(2):
        ExpertFactory(panel=PanelFactory(study=StudyFactory(owner=alice)))
    with django_assert_max_num_queries(4) as first:  # session, user, studies (+counts), savepoint
        alice_client.get(reverse("panels:study_list"))
    for _ in range(5):
        ExpertFactory(panel=PanelFactory(study=StudyFactory(owner=alice)))

    with django_assert_max_num_queries(len(first.captured_queries)):
        alice_client.get(reverse("panels:study_list"))


def test_study_page_shows_everything_at_a_glance(alice_client, study):
    panel = PanelFactory(study=study, name="ผู้เชี่ยวชาญ")
    ExpertFactory.create_batch(3, panel=panel)
    RoundFactory(study=study, panel=panel, title="รอบที่ 1", status=Round.Status.OPEN)

    response = alice_client.get(study.get_absolute_url())

    page = response.content.decode()
    assert "ผู้เชี่ยวชาญ" in page
    assert "รอบที่ 1" in page
    assert response.context["panels"][0].expert_count == 3


def test_study_page_query_count_does_not_grow_with_rounds_and_panels(
    alice_client, study, django_assert_max_num_queries
):
    panel = PanelFactory(study=study)
    ExpertFactory.create_batch(2, panel=panel)
    RoundFactory(study=study, panel=panel)
    # The next step (rounds.next_steps) reads the experts, the rounds and the current round.
    with django_assert_max_num_queries(13) as first:
        alice_client.get(study.get_absolute_url())
    for _ in range(4):
        other = PanelFactory(study=study)
        ExpertFactory.create_batch(2, panel=other)
        RoundFactory(study=study, panel=other)

    with django_assert_max_num_queries(len(first.captured_queries)):
        alice_client.get(study.get_absolute_url())


def test_editor_can_edit_but_viewer_cannot(client, study, bob):
    member = StudyMemberFactory(study=study, user=bob, role=StudyMember.Role.VIEWER)
    client.force_login(bob)
    url = reverse("panels:study_edit", kwargs={"study_pk": study.pk})

    assert client.get(study.get_absolute_url()).status_code == 200
    assert client.post(url, STUDY_FORM).status_code == 403

    member.role = StudyMember.Role.EDITOR
    member.save()
    response = client.post(url, STUDY_FORM | {"status": Study.Status.SETUP})

    assert response.status_code == 302
    study.refresh_from_db()
    assert study.title == STUDY_FORM["title"]


def test_owner_adds_and_removes_a_collaborator(alice_client, study, bob):
    url = reverse("panels:collaborator_list", kwargs={"study_pk": study.pk})

    alice_client.post(url, {"username": bob.email.upper(), "role": "editor"})

    member = StudyMember.objects.get(study=study, user=bob)
    assert member.role == "editor"
    alice_client.post(
        reverse("panels:collaborator_remove", kwargs={"study_pk": study.pk, "member_pk": member.pk})
    )
    assert not StudyMember.objects.filter(study=study).exists()


def test_adding_an_unknown_collaborator_says_so(alice_client, study):
    url = reverse("panels:collaborator_list", kwargs={"study_pk": study.pk})

    response = alice_client.post(url, {"username": "nobody", "role": "viewer"})

    assert response.context["form"].has_error("username", code="unknown")


def test_panel_and_expert_with_automatic_code(alice_client, study):
    alice_client.post(
        reverse("panels:panel_create", kwargs={"study_pk": study.pk}),
        {"name": "ผู้เชี่ยวชาญ", "purpose": "", "code_prefix": "e", "order": 0},
    )
    panel = Panel.objects.get(study=study)
    ExpertFactory(panel=panel, code="E07")
    url = reverse("panels:expert_create", kwargs={"study_pk": study.pk, "panel_pk": panel.pk})

    response = alice_client.post(url, {"name": "ดร.สมชาย ใจดี", "email": "somchai@example.org"})

    assert response.status_code == 302
    assert panel.code_prefix == "E"
    assert Expert.objects.get(name="ดร.สมชาย ใจดี").code == "E08"


def test_expert_with_a_taken_email_is_refused_with_a_message(alice_client, study):
    panel = PanelFactory(study=study)
    ExpertFactory(panel=panel, email="same@example.org")
    url = reverse("panels:expert_create", kwargs={"study_pk": study.pk, "panel_pk": panel.pk})

    response = alice_client.post(url, {"name": "Another", "email": "SAME@example.org"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert panel.experts.count() == 1


def test_delete_asks_first_then_deletes(alice_client, study):
    expert = ExpertFactory(panel=PanelFactory(study=study))
    url = reverse("panels:expert_delete", kwargs={"study_pk": study.pk, "expert_pk": expert.pk})

    assert alice_client.get(url).status_code == 200
    assert Expert.objects.filter(pk=expert.pk).exists()
    alice_client.post(url)

    assert not Expert.objects.filter(pk=expert.pk).exists()


def test_panel_used_by_a_round_cannot_be_deleted(alice_client, study):
    panel = PanelFactory(study=study)
    RoundFactory(study=study, panel=panel)
    url = reverse("panels:panel_delete", kwargs={"study_pk": study.pk, "panel_pk": panel.pk})
    alice_client.cookies["django_language"] = "en"

    response = alice_client.post(url, follow=True)

    assert Panel.objects.filter(pk=panel.pk).exists()
    assert "cannot be deleted" in response.content.decode()


def test_only_the_owner_sees_the_delete_study_button(client, study, bob):
    StudyMemberFactory(study=study, user=bob, role=StudyMember.Role.EDITOR)
    client.force_login(bob)
    delete_url = reverse("transfer:study_delete", kwargs={"study_pk": study.pk})

    assert delete_url not in client.get(study.get_absolute_url()).content.decode()


def test_editor_cannot_delete_the_study(client, study, bob):
    StudyMemberFactory(study=study, user=bob, role=StudyMember.Role.EDITOR)
    client.force_login(bob)

    response = client.post(reverse("transfer:study_delete", kwargs={"study_pk": study.pk}))

    assert response.status_code == 403
    assert Study.objects.filter(pk=study.pk).exists()


# --------------------------------------------------------------------------- the derived status


def _phase_on_pages(client, study) -> tuple[str, str]:
    detail = client.get(study.get_absolute_url()).content.decode()
    listing = client.get(reverse("panels:study_list")).content.decode()
    shown = detail.split('id="study-phase"', 1)[1].split("</span>", 1)[0].split(">", 1)[1]
    listed = listing.split(f'data-phase="{study.phase}">', 1)[1].split("</span>", 1)[0]
    return shown, listed


def test_the_study_status_follows_its_rounds(alice_client, study):
    """Set up while nothing was sent, running once a round went out (and after three closed
    rounds), finished only when the researcher says so and no round is open."""
    alice_client.cookies.load({"django_language": "en"})
    assert _phase_on_pages(alice_client, study) == ("Being set up", "Being set up")
    draft = RoundFactory(study=study, number=1, status=Round.Status.DRAFT)
    assert _phase_on_pages(alice_client, study) == ("Being set up", "Being set up")

    draft.status = Round.Status.CLOSED
    draft.save()
    for number in (2, 3):
        RoundFactory(study=study, panel=draft.panel, number=number, status=Round.Status.CLOSED)
    assert _phase_on_pages(alice_client, study) == ("Running", "Running")

    response = alice_client.post(
        reverse("panels:study_edit", kwargs={"study_pk": study.pk}),
        STUDY_FORM | {"status": Study.Status.FINISHED},
    )
    assert response.status_code == 302
    study.refresh_from_db()
    assert _phase_on_pages(alice_client, study) == ("Finished", "Finished")

    RoundFactory(study=study, panel=draft.panel, number=4, status=Round.Status.OPEN)
    assert study.phase == Study.Status.RUNNING


def test_a_closed_confirmation_round_finishes_the_study(alice_client, alice, study):
    """The qualified persons' certification ends the study; a new round makes it run again."""
    alice_client.cookies.load({"django_language": "en"})
    first = RoundFactory(study=study, number=1, status=Round.Status.CLOSED)
    for number in (2, 3):
        RoundFactory(study=study, panel=first.panel, number=number, status=Round.Status.CLOSED)
    certification = RoundFactory(
        study=study, number=4, kind=Round.Kind.CONFIRMATION, status=Round.Status.CLOSED
    )
    assert _phase_on_pages(alice_client, study) == ("Finished", "Finished")

    RoundFactory(study=study, panel=certification.panel, number=5, status=Round.Status.DRAFT)
    assert _phase_on_pages(alice_client, study) == ("Running", "Running")


def test_the_study_list_reads_every_status_in_one_query(
    alice_client, alice, django_assert_max_num_queries
):
    for _ in range(3):
        RoundFactory(study=StudyFactory(owner=alice), status=Round.Status.OPEN)

    from panels.selectors import study_list_with_counts

    with django_assert_max_num_queries(1):
        phases = [study.phase for study in study_list_with_counts(alice)]
    assert phases == [Study.Status.RUNNING] * 3
