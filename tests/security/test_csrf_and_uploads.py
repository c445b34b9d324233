"""Forged requests and hostile files change nothing: a POST without the CSRF token is refused
on the researcher's and on the expert's side, and the expert import turns away a file that is
too large or not what its name says, with a message."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from panels.models import AuditEvent, Expert, Panel
from rounds.models import Rating, Submission
from tests.panels.factories import PanelFactory
from tests.rounds.factories import consented_expert, rating_round

pytestmark = pytest.mark.django_db


def _csrf_client(user=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def _token_from(client: Client, url: str) -> str:
    """The CSRF token a real page hands out, so the control request is a genuine one."""
    response = client.get(url)
    assert response.status_code == 200
    return response.cookies[settings.CSRF_COOKIE_NAME].value


def test_researcher_post_without_csrf_token_is_refused(alice, study):
    panel = PanelFactory(study=study)
    client = _csrf_client(alice)
    url = reverse("panels:panel_delete", kwargs={"study_pk": study.pk, "panel_pk": panel.pk})
    events = AuditEvent.objects.count()

    forged = client.post(url)

    assert forged.status_code == 403
    assert Panel.objects.filter(pk=panel.pk).exists()
    assert AuditEvent.objects.count() == events
    # The same request with the page's token goes through: the refusal was the token's doing.
    token = _token_from(client, url)
    client.post(url, {"csrfmiddlewaretoken": token})
    assert not Panel.objects.filter(pk=panel.pk).exists()


def test_expert_autosave_without_csrf_token_is_refused(study):
    panel = PanelFactory(study=study)
    delphi_round, items = rating_round(study, panel, statements=1)
    expert, link = consented_expert(panel)
    client = _csrf_client()
    url = reverse(
        "expert:autosave_rating",
        kwargs={"token": link, "round_pk": delphi_round.pk, "item_pk": items[0].pk},
    )
    data = {f"rating_{items[0].pk}": "5"}

    forged = client.post(url, data)

    assert forged.status_code == 403
    assert not Rating.objects.exists()
    assert not Submission.objects.exists()
    page = reverse("expert:round", kwargs={"token": link, "round_pk": delphi_round.pk})
    client.post(url, data | {"csrfmiddlewaretoken": _token_from(client, page)})
    assert Rating.objects.get(submission__expert=expert).value == 5


@pytest.fixture
def import_page(alice, study):
    client = Client()
    client.force_login(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    panel = PanelFactory(study=study, code_prefix="E")
    url = reverse("panels:expert_import", kwargs={"study_pk": study.pk, "panel_pk": panel.pk})
    return client, panel, url


def _nothing_pending(client, panel) -> None:
    """No expert was written and no preview waits to be confirmed."""
    assert not Expert.objects.filter(panel=panel).exists()
    confirm = reverse(
        "panels:expert_import_confirm", kwargs={"study_pk": panel.study_id, "panel_pk": panel.pk}
    )
    client.post(confirm)
    assert not Expert.objects.filter(panel=panel).exists()


def test_import_refuses_a_file_over_the_size_limit(import_page):
    client, panel, url = import_page
    row = "name,email\n" + "สมชาย,somchai@example.org\n"
    body = row * (settings.DELPHI_MAX_UPLOAD_BYTES // len(row.encode()) + 1)
    assert len(body.encode()) > settings.DELPHI_MAX_UPLOAD_BYTES

    response = client.post(url, {"file": SimpleUploadedFile("experts.csv", body.encode())})

    assert response.status_code == 200
    assert "The file is too large" in response.content.decode()
    _nothing_pending(client, panel)


def test_import_refuses_a_pdf_renamed_xlsx(import_page):
    client, panel, url = import_page
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

    response = client.post(url, {"file": SimpleUploadedFile("experts.xlsx", pdf)})

    assert response.status_code == 200
    assert "Wrong file type" in response.content.decode()
    _nothing_pending(client, panel)
