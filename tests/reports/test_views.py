"""Downloading the reports (reports.views): who may, what comes back, in which language."""

import codecs
import io

import openpyxl
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from panels.models import AuditEvent, StudyMember
from reports.services import ROSTER_DOWNLOAD
from reports.views import CSV, PDF, XLSX
from rounds.models import Round
from tests.panels.factories import StudyMemberFactory
from tests.reports.factories import sized_round, small_round
from tests.rounds.factories import OpenQuestionFactory, RoundFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(study):
    return small_round(study)


def round_url(name: str, delphi_round, **query) -> str:
    url = reverse(f"reports:{name}", args=[delphi_round.study_id, delphi_round.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def study_url(name: str, study, **query) -> str:
    url = reverse(f"reports:{name}", args=[study.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def sheet_text(content: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return "\n".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def as_member(client, user, study, role):
    StudyMemberFactory(study=study, user=user, role=role)
    client.force_login(user)
    return client


# --------------------------------------------------------------------------- what comes back


def test_owner_downloads_the_round_workbook_as_an_attachment(alice_client, small):
    response = alice_client.get(round_url("round_xlsx", small.delphi_round))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="round-2-results-th.xlsx"'
    assert response["Cache-Control"] == "no-store"
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:2] == ["Summary", "Items"]


def test_owner_downloads_the_raw_ratings_csv(alice_client, small):
    response = alice_client.get(round_url("round_csv", small.delphi_round))

    assert response.status_code == 200
    assert response["Content-Type"] == CSV
    assert response["Content-Disposition"] == 'attachment; filename="round-2-ratings.csv"'
    assert response.content.startswith(codecs.BOM_UTF8 + b"expert,S01,S02,S03")


def test_owner_downloads_the_round_pdf(alice_client, small):
    response = alice_client.get(round_url("round_pdf", small.delphi_round, lang="en"))

    assert response.status_code == 200
    assert response["Content-Type"] == PDF
    assert response["Content-Disposition"] == 'attachment; filename="round-2-results-en.pdf"'
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"%PDF")


def test_owner_downloads_the_study_workbook_and_final_report(alice_client, small):
    study = small.delphi_round.study

    workbook = alice_client.get(study_url("study_xlsx", study))
    final = alice_client.get(study_url("study_pdf", study))

    assert workbook["Content-Type"] == XLSX
    assert workbook["Content-Disposition"] == (
        f'attachment; filename="study-{study.pk}-results-th.xlsx"'
    )
    assert "Items R2" in openpyxl.load_workbook(io.BytesIO(workbook.content)).sheetnames
    assert final["Content-Type"] == PDF
    assert final["Content-Disposition"] == (
        f'attachment; filename="study-{study.pk}-final-report-th.pdf"'
    )
    assert final.content.startswith(b"%PDF")


# --------------------------------------------------------------------------- language


def test_report_language_comes_from_the_query_not_from_the_interface(alice_client, small):
    alice_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"

    response = alice_client.get(round_url("round_xlsx", small.delphi_round, lang="en"))

    book = openpyxl.load_workbook(io.BytesIO(response.content))
    headers = [cell.value for cell in book["Items"][1]]
    assert "Median" in headers
    assert book["Items"]["I2"].value == "Highest"
    assert response["Content-Disposition"].endswith('-en.xlsx"')


def test_report_language_defaults_to_the_studys_language(alice_client, small):
    alice_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = alice_client.get(round_url("round_xlsx", small.delphi_round))

    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book["Items"]["I2"].value == "มากที่สุด"


def test_unknown_report_language_goes_back_with_a_message(alice_client, small):
    alice_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = alice_client.get(round_url("round_xlsx", small.delphi_round, lang="fr"), follow=True)

    assert response.redirect_chain[-1][0] == small.delphi_round.get_absolute_url()
    assert "choose Thai or English" in response.content.decode()


# --------------------------------------------------------------------------- who may


def test_viewer_downloads_anonymised_reports(client, bob, small):
    viewer = as_member(client, bob, small.delphi_round.study, StudyMember.Role.VIEWER)

    response = viewer.get(round_url("round_xlsx", small.delphi_round))

    assert response.status_code == 200
    text = sheet_text(response.content)
    assert "E01" in text
    assert all(expert.name not in text for expert in small.experts)


@pytest.mark.parametrize("name", ["round_xlsx", "round_pdf", "round_csv"])
def test_viewer_asking_for_the_roster_is_refused(client, bob, small, name):
    viewer = as_member(client, bob, small.delphi_round.study, StudyMember.Role.VIEWER)

    response = viewer.get(round_url(name, small.delphi_round, roster=1))

    assert response.status_code == 403


def test_viewer_asking_for_the_studys_roster_is_refused(client, bob, small):
    viewer = as_member(client, bob, small.delphi_round.study, StudyMember.Role.VIEWER)

    response = viewer.get(study_url("study_xlsx", small.delphi_round.study, roster=1))

    assert response.status_code == 403


def test_editor_gets_the_roster_and_the_download_is_logged(client, bob, small):
    editor = as_member(client, bob, small.delphi_round.study, StudyMember.Role.EDITOR)

    response = editor.get(round_url("round_xlsx", small.delphi_round, roster=1))

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-th-roster.xlsx"')
    assert "Secretname1 Surname" in sheet_text(response.content)
    event = AuditEvent.objects.get(action=ROSTER_DOWNLOAD)
    assert (event.actor, event.detail["report"]) == (bob, "round-2-results-th-roster.xlsx")


@pytest.mark.parametrize("name", ["round_xlsx", "round_pdf", "round_csv"])
def test_stranger_gets_404_for_a_round_report(bob_client, small, name):
    response = bob_client.get(round_url(name, small.delphi_round))

    assert response.status_code == 404


@pytest.mark.parametrize("name", ["study_xlsx", "study_pdf"])
def test_stranger_gets_404_for_a_study_report(bob_client, small, name):
    response = bob_client.get(study_url(name, small.delphi_round.study))

    assert response.status_code == 404


def test_signed_out_visitor_is_sent_to_sign_in(client, small):
    response = client.get(round_url("round_xlsx", small.delphi_round))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --------------------------------------------------------------------------- not yet


def test_results_of_an_open_question_round_are_not_offered_as_a_workbook(alice_client, study):
    delphi_round = RoundFactory(study=study, kind=Round.Kind.OPEN, status=Round.Status.CLOSED)

    response = alice_client.get(round_url("round_csv", delphi_round))

    assert response.status_code == 302
    assert response["Location"] == delphi_round.get_absolute_url()


def test_report_of_a_round_still_open_is_not_offered(alice_client, study):
    delphi_round = RoundFactory(study=study, kind=Round.Kind.RATING, status=Round.Status.OPEN)

    response = alice_client.get(round_url("round_pdf", delphi_round), follow=True)

    assert response.redirect_chain[-1][0] == delphi_round.get_absolute_url()
    assert list(response.context["messages"])


# --------------------------------------------------------------------------- query budget


def test_workbook_download_costs_the_same_queries_for_10_or_40_statements(
    alice_client, study, django_assert_num_queries
):
    small = sized_round(study, statements=10, number=2)
    large = sized_round(study, statements=40, number=3)
    with CaptureQueriesContext(connection) as few:
        alice_client.get(round_url("round_xlsx", small))

    # session, user, study (with the reader's role), round (with panel and previous round);
    # frozen results (with items, statements and domains; no previous round to read); round
    # facts: invitations, channels (the closing time is the round's own); ratings table:
    # submissions, ratings; protocol deviations.
    with django_assert_num_queries(10):
        response = alice_client.get(round_url("round_xlsx", large))

    assert response.status_code == 200
    assert len(few) == 10


# --------------------------------------------------------------------------- the buttons


def test_closed_rating_round_page_offers_pdf_excel_and_csv(alice_client, small):
    alice_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = alice_client.get(small.delphi_round.get_absolute_url()).content.decode()

    for name in ("round_pdf", "round_xlsx", "round_csv"):
        assert round_url(name, small.delphi_round) in page
    assert 'name="roster"' in page


def test_closed_open_round_page_offers_only_the_pdf(alice_client, study):
    delphi_round = RoundFactory(study=study, kind=Round.Kind.OPEN, status=Round.Status.CLOSED)
    OpenQuestionFactory(delphi_round=delphi_round)

    page = alice_client.get(delphi_round.get_absolute_url()).content.decode()

    assert round_url("round_pdf", delphi_round) in page
    assert round_url("round_xlsx", delphi_round) not in page


def test_round_still_open_offers_no_report(alice_client, study):
    delphi_round = RoundFactory(study=study, kind=Round.Kind.RATING, status=Round.Status.OPEN)

    page = alice_client.get(delphi_round.get_absolute_url()).content.decode()

    assert round_url("round_pdf", delphi_round) not in page


def test_study_page_offers_the_final_report_and_the_workbook(alice_client, small):
    page = alice_client.get(small.delphi_round.study.get_absolute_url()).content.decode()

    assert study_url("study_pdf", small.delphi_round.study) in page
    assert study_url("study_xlsx", small.delphi_round.study) in page


def test_viewer_is_not_offered_the_roster(client, bob, small):
    viewer = as_member(client, bob, small.delphi_round.study, StudyMember.Role.VIEWER)

    page = viewer.get(small.delphi_round.get_absolute_url()).content.decode()

    assert round_url("round_xlsx", small.delphi_round) in page
    assert 'name="roster"' not in page
