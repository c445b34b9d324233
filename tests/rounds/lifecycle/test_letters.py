"""Printed invitation letters: a Thai A4 PDF per expert with the link as text and QR code."""

import datetime
import shutil
import subprocess

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from delphi_site import pdf as site_pdf
from panels.models import StudyMember
from rounds.lifecycle import letters
from rounds.links import expert_for_token, expert_link_revoke, expert_link_url
from tests.panels.factories import StudyMemberFactory, UserFactory
from tests.rounds.factories import open_round_with_experts

pytestmark = pytest.mark.django_db

BANGKOK = datetime.timezone(datetime.timedelta(hours=7))
NOW = datetime.datetime(2019, 3, 8, 9, 0, tzinfo=BANGKOK)
DEADLINE = datetime.datetime(2019, 3, 25, 23, 59, tzinfo=BANGKOK)
BASE_URL = "https://delphi.example.org/"


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _pages_text(html: str) -> list[str]:
    """The text of each page: from the PDF itself with poppler's pdftotext when installed,
    else from WeasyPrint's layout of the same document."""
    document = site_pdf.render_document(html)
    if shutil.which("pdftotext"):
        pdf = document.write_pdf()
        output = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        pages = output.split("\f")
        return [" ".join(page.split()) for page in pages if page.strip()]

    def texts(box):
        if hasattr(box, "text"):
            yield box.text
        for child in getattr(box, "children", ()):
            yield from texts(child)

    return [" ".join(" ".join(texts(page._page_box)).split()) for page in document.pages]


def _round(study, count=1):
    study.description = "เพื่อพัฒนารูปแบบเครือข่าย"
    study.save()
    return open_round_with_experts(study, count, closes_at=DEADLINE)


def test_letter_pdf_is_a_pdf(study):
    delphi_round, (expert,) = _round(study)

    pdf = letters.letters_pdf(delphi_round, base_url=BASE_URL, expert=expert)

    assert pdf.startswith(b"%PDF")


def test_letter_carries_thai_title_name_deadline_and_printed_link(study):
    delphi_round, (expert,) = _round(study)
    found = letters.letters_for_round(delphi_round, base_url=BASE_URL, expert=expert)

    (page,) = _pages_text(letters.letters_html(delphi_round, found))

    assert study.title in page
    assert expert.name in page
    assert "25 มีนาคม 2562" in page, "Thai letters date the deadline in the Buddhist era"
    assert expert_link_url(expert, base_url=BASE_URL) in page.replace(" ", "")


def test_qr_code_encodes_the_experts_link(study):
    delphi_round, (expert,) = _round(study)
    url = expert_link_url(expert, base_url=BASE_URL)

    (letter,) = letters.letters_for_round(delphi_round, base_url=BASE_URL, expert=expert)
    html = letters.letters_html(delphi_round, [letter])

    assert letter.url == url
    assert expert_for_token(url.rstrip("/").rsplit("/", 1)[1]) == expert
    assert str(letters.qr_svg(url)) in html
    assert html.count("<svg") == 1


def test_letters_of_a_round_have_one_page_per_expert(study):
    delphi_round, experts = _round(study, 3)
    found = letters.letters_for_round(delphi_round, base_url=BASE_URL)

    pages = _pages_text(letters.letters_html(delphi_round, found))

    assert len(pages) == 3
    # Letters follow the expert codes as strings (E1000 before E998 once the factory's
    # sequence passes 999), so each name is looked for in its own page, whatever the order.
    for expert in experts:
        assert sum(f"เรียน {expert.name} " in page for page in pages) == 1


def test_expert_with_a_revoked_link_gets_no_letter(study):
    delphi_round, (kept, revoked) = _round(study, 2)
    expert_link_revoke(expert=revoked)

    found = letters.letters_for_round(delphi_round, base_url=BASE_URL)

    assert [letter.expert for letter in found] == [kept]


def test_rendering_reads_only_the_vendored_fonts(study, monkeypatch):
    fetched = []
    original = site_pdf.LocalOnlyFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(site_pdf.LocalOnlyFetcher, "fetch", spy)
    delphi_round, _experts = _round(study)

    letters.letters_pdf(delphi_round, base_url=BASE_URL)

    assert fetched, "the Thai font must be embedded"
    font_dir = site_pdf.font_dir().as_uri()
    assert all(url.startswith(font_dir) for url in fetched)


@pytest.mark.parametrize(
    "url",
    ["https://fonts.example.com/sarabun.ttf", "http://169.254.169.254/", "file:///etc/passwd"],
)
def test_fetcher_refuses_other_hosts_and_other_files(url):
    fetcher = site_pdf.LocalOnlyFetcher(site_pdf.font_dir())

    with pytest.raises(ValueError, match="Refused"):
        fetcher.fetch(url)


def test_remote_image_in_a_letter_is_not_fetched(monkeypatch):
    opened = []
    monkeypatch.setattr(
        "urllib.request.OpenerDirector.open", lambda *args, **kwargs: opened.append(args)
    )

    pdf = site_pdf.render_pdf('<p>x<img src="https://tracker.example.com/pixel.png"></p>')

    assert pdf.startswith(b"%PDF")
    assert opened == []


def _letter_url(delphi_round, expert):
    return reverse(
        "rounds:letter",
        kwargs={
            "study_pk": delphi_round.study_id,
            "round_pk": delphi_round.pk,
            "expert_pk": expert.pk,
        },
    )


def test_researcher_downloads_one_experts_letter(alice_client, study):
    delphi_round, (expert,) = _round(study)

    response = alice_client.get(_letter_url(delphi_round, expert))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert expert.code in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")


def test_researcher_downloads_all_letters_of_a_round(alice_client, study):
    delphi_round, _experts = _round(study, 2)

    response = alice_client.get(
        reverse("rounds:letters", kwargs={"study_pk": study.pk, "round_pk": delphi_round.pk})
    )

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_viewer_cannot_download_letters_with_links(client, study):
    delphi_round, (expert,) = _round(study)
    viewer = UserFactory()
    StudyMemberFactory(study=study, user=viewer, role=StudyMember.Role.VIEWER)
    client.force_login(viewer)

    assert client.get(_letter_url(delphi_round, expert)).status_code == 403


def test_another_researcher_gets_not_found(bob_client, study):
    delphi_round, (expert,) = _round(study)

    assert bob_client.get(_letter_url(delphi_round, expert)).status_code == 404


def test_letter_for_a_revoked_link_is_refused_with_a_message(alice_client, study):
    delphi_round, (expert,) = _round(study)
    expert_link_revoke(expert=expert)

    response = alice_client.get(_letter_url(delphi_round, expert))

    assert response.status_code == 302
    assert response.url.endswith("/tracking/")
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]
