"""The export button, the import page, the commands, and deleting a study by typing its title."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from panels.models import AuditEvent, Study, StudyMember
from tests.panels.factories import PanelFactory, StudyMemberFactory
from tests.rounds.factories import RatingFactory, SubmissionFactory, rating_round
from transfer import exporting, tables

pytestmark = pytest.mark.django_db

ENGLISH = {"django_language": "en"}


@pytest.fixture
def answered_study(study):
    delphi_round, items = rating_round(study, PanelFactory(study=study), statements=2)
    RatingFactory(submission=SubmissionFactory(delphi_round=delphi_round), item=items[0])
    return study


def _export_url(study) -> str:
    return reverse("transfer:study_export", kwargs={"study_pk": study.pk})


def _upload(content: bytes, name: str = "study.json") -> dict:
    return {"file": SimpleUploadedFile(name, content, content_type="application/json")}


# --------------------------------------------------------------------------- export


def test_owner_downloads_the_study_and_the_download_is_logged(alice_client, answered_study):
    response = alice_client.get(_export_url(answered_study))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    document = json.loads(response.content)
    assert document["format"] == tables.FORMAT
    assert len(document["tables"]["ratings"]["rows"]) == 1
    assert AuditEvent.objects.filter(study=answered_study, action="study.export").exists()


def test_an_editor_may_export(client, bob, answered_study):
    StudyMemberFactory(study=answered_study, user=bob, role=StudyMember.Role.EDITOR)
    client.force_login(bob)

    assert client.get(_export_url(answered_study)).status_code == 200


def test_a_viewer_may_not_export_the_roster(client, bob, answered_study):
    StudyMemberFactory(study=answered_study, user=bob, role=StudyMember.Role.VIEWER)
    client.force_login(bob)

    response = client.get(_export_url(answered_study))
    page = client.get(answered_study.get_absolute_url()).content.decode()

    assert response.status_code == 403
    assert _export_url(answered_study) not in page


def test_the_study_page_offers_the_export_to_its_owner(alice_client, study):
    page = alice_client.get(study.get_absolute_url()).content.decode()

    assert _export_url(study) in page


# --------------------------------------------------------------------------- import


def test_import_page_is_linked_from_the_study_list(alice_client):
    page = alice_client.get(reverse("panels:study_list")).content.decode()

    assert reverse("transfer:study_import") in page


def test_import_needs_a_signed_in_researcher(client):
    response = client.get(reverse("transfer:study_import"))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_imported_study_opens_owned_by_the_importer(bob_client, bob, answered_study):
    content = exporting.study_export_bytes(answered_study)

    response = bob_client.post(reverse("transfer:study_import"), _upload(content))

    copy = Study.objects.get(owner=bob)
    assert response.status_code == 302
    assert response["Location"] == copy.get_absolute_url()
    assert copy.title == answered_study.title


def test_importing_a_title_you_already_have_says_so(alice_client, answered_study):
    content = exporting.study_export_bytes(answered_study)
    alice_client.cookies.load(ENGLISH)

    response = alice_client.post(reverse("transfer:study_import"), _upload(content), follow=True)

    assert "You already had a study with this title" in response.content.decode()
    assert Study.objects.filter(title=answered_study.title).count() == 2


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"not json at all", "not JSON"),
        (b'{"format": "something-else"}', "not a study export"),
        (b'{"format": "delphi-site/study", "version": 99, "study": {}, "tables": {}}', "newer"),
    ],
)
def test_a_wrong_file_gets_a_clear_message_not_an_error_page(bob_client, bob, content, expected):
    bob_client.cookies.load(ENGLISH)

    response = bob_client.post(reverse("transfer:study_import"), _upload(content))

    assert response.status_code == 400
    assert expected in response.content.decode()
    assert "Nothing was imported" in response.content.decode()
    assert not Study.objects.filter(owner=bob).exists()


def test_a_file_over_the_limit_is_refused_before_reading(bob_client, bob, settings):
    settings.DELPHI_MAX_STUDY_IMPORT_BYTES = 100
    bob_client.cookies.load(ENGLISH)

    response = bob_client.post(reverse("transfer:study_import"), _upload(b" " * 101))

    assert "larger than" in response.content.decode()
    assert not Study.objects.filter(owner=bob).exists()


# --------------------------------------------------------------------------- commands


def test_commands_move_a_study(tmp_path, bob, answered_study):
    path = tmp_path / "study.json"
    out = io.StringIO()
    with translation.override("en"):
        call_command("export_study", answered_study.pk, "-o", str(path), stdout=io.StringIO())
        call_command("import_study", str(path), "--owner", "bob", stdout=out)

    copy = Study.objects.get(owner=bob)
    assert str(copy.pk) in out.getvalue()
    assert copy.rounds.get().items.count() == 2


def test_commands_stop_with_one_clear_line(tmp_path, bob):
    bad = tmp_path / "bad.json"
    bad.write_text("[]")

    with translation.override("en"):
        with pytest.raises(CommandError, match="not a study export"):
            call_command("import_study", str(bad), "--owner", "bob")
        with pytest.raises(CommandError, match="no user “nobody”"):
            call_command("import_study", str(bad), "--owner", "nobody")
        with pytest.raises(CommandError, match="no study 999"):
            call_command("export_study", 999, "-o", str(tmp_path / "x.json"))


# --------------------------------------------------------------------------- deleting


def _delete_url(study) -> str:
    return reverse("transfer:study_delete", kwargs={"study_pk": study.pk})


def test_delete_page_asks_for_the_title(alice_client, study):
    page = alice_client.get(_delete_url(study)).content.decode()

    assert 'name="title"' in page
    assert _export_url(study) in page


def test_a_wrong_title_deletes_nothing_and_says_why(alice_client, answered_study):
    alice_client.cookies.load(ENGLISH)

    response = alice_client.post(_delete_url(answered_study), {"title": "something else"})

    assert response.status_code == 200
    assert "not this study&#x27;s title" in response.content.decode()
    assert Study.objects.filter(pk=answered_study.pk).exists()


def test_an_empty_title_deletes_nothing(alice_client, study):
    alice_client.post(_delete_url(study), {})

    assert Study.objects.filter(pk=study.pk).exists()


def test_the_exact_title_deletes_the_study_answers_and_all(alice_client, answered_study):
    response = alice_client.post(_delete_url(answered_study), {"title": answered_study.title})

    assert response.status_code == 302
    assert response["Location"] == reverse("panels:study_list")
    assert not Study.objects.filter(pk=answered_study.pk).exists()
