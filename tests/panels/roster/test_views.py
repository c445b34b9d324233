"""Import page (upload → errors or preview → confirm), templates and exports of a panel."""

import codecs
import csv
import io
import re

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from panels.models import AuditEvent, Expert, StudyMember
from tests.panels.factories import ExpertFactory, PanelFactory, StudyMemberFactory

pytestmark = pytest.mark.django_db

EXPORT_HEADER = [
    "code",
    "name",
    "e-mail",
    "phone",
    "LINE ID",
    "organisation",
    "position",
    "qualification",
]


@pytest.fixture
def panel(study):
    return PanelFactory(study=study, code_prefix="E")


@pytest.fixture
def researcher(alice_client):
    """Alice reading the site in English, so that messages can be compared as written."""
    alice_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return alice_client


@pytest.fixture
def viewer(study, bob, bob_client):
    StudyMemberFactory(study=study, user=bob, role=StudyMember.Role.VIEWER)
    bob_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return bob_client


def url(name, panel) -> str:
    return reverse(f"panels:{name}", kwargs={"study_pk": panel.study_id, "panel_pk": panel.pk})


def csv_upload(text: str, name="experts.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"))


def upload(client, panel, text: str, name="experts.csv"):
    return client.post(url("expert_import", panel), {"file": csv_upload(text, name)})


def session_key(panel) -> str:
    return f"expert_import:{panel.pk}"


def xlsx_rows(content: bytes, sheet=None) -> list[list]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    return [list(row) for row in worksheet.iter_rows(values_only=True)]


GOOD = "name,email,phone\nสมชาย ใจดี,somchai@example.org,0812345678\nสมหญิง,somying@example.org,\n"


# --------------------------------------------------------------------------- upload


def test_import_page_offers_the_upload_form_and_templates(researcher, panel):
    response = researcher.get(url("expert_import", panel))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'accept=".csv,.xlsx"' in page
    assert 'enctype="multipart/form-data"' in page
    assert url("expert_import_template", panel) in page
    assert url("expert_import_template_csv", panel) in page


def test_file_with_a_bad_row_lists_the_problem_and_imports_nothing(researcher, panel):
    text = "name,email\nสมชาย,somchai@example.org\nสมหญิง,somying-at-example.org\n"

    response = upload(researcher, panel, text)

    page = response.content.decode()
    assert response.status_code == 200
    message = "“somying-at-example.org” is not a valid e-mail address."
    assert response.context["errors"] == [(3, "E-mail", message)]
    table = page[page.index('id="import-errors"') :]
    assert re.search(r"<td[^>]*>3</td>\s*<td>E-mail</td>\s*<td>" + re.escape(message), table)
    assert "Nothing was imported. Fix this problem in your file and upload it again." in page
    assert not Expert.objects.exists()
    assert session_key(panel) not in researcher.session


def test_summary_counts_every_problem(researcher, panel):
    response = upload(researcher, panel, "name,birthday\n,1970\nA,1971\n")

    page = response.content.decode()
    assert "Nothing was imported. Fix these 2 problems in your file and upload it again." in page
    assert "Unknown column “birthday”." in page


def test_wrong_file_type_is_explained(researcher, panel):
    response = researcher.post(
        url("expert_import", panel),
        {"file": SimpleUploadedFile("experts.pdf", b"%PDF-1.7\n")},
    )

    assert response.status_code == 200
    assert "Wrong file type" in response.content.decode()


def test_empty_file_is_explained(researcher, panel):
    response = upload(researcher, panel, "")

    assert response.status_code == 200
    assert "The file is empty" in response.content.decode()


def test_file_over_five_megabytes_is_refused(researcher, panel):
    big = SimpleUploadedFile("big.csv", b"name\n" + b"a" * settings.DELPHI_MAX_UPLOAD_BYTES)

    response = researcher.post(url("expert_import", panel), {"file": big})

    assert response.status_code == 200
    assert "The file is too large" in response.content.decode()
    assert not Expert.objects.exists()


def test_post_without_a_file_asks_for_one(researcher, panel):
    response = researcher.post(url("expert_import", panel), {})

    assert response.status_code == 200
    assert response.context["form"].has_error("file", code="required")


# ------------------------------------------------------------------ preview, confirm


def test_valid_file_is_previewed_with_the_codes_to_come_and_not_yet_imported(researcher, panel):
    ExpertFactory(panel=panel, code="E01")
    ExpertFactory(panel=panel, code="E02")

    response = upload(researcher, panel, GOOD)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="import-preview"' in page
    assert "<strong>E03</strong>" in page
    assert "<strong>E04</strong>" in page
    assert "Import 2 experts" in page
    assert Expert.objects.count() == 2


def test_confirm_creates_the_experts_with_codes_after_the_existing_ones(researcher, panel):
    ExpertFactory(panel=panel, code="E01")
    ExpertFactory(panel=panel, code="E02")
    preview = upload(researcher, panel, GOOD)

    response = researcher.post(
        url("expert_import_confirm", panel), {"token": preview.context["token"]}, follow=True
    )

    assert response.redirect_chain == [(panel.get_absolute_url(), 302)]
    assert "2 experts were imported." in response.content.decode()
    imported = Expert.objects.filter(panel=panel, code__in=["E03", "E04"]).order_by("code")
    assert [(e.code, e.name, e.phone) for e in imported] == [
        ("E03", "สมชาย ใจดี", "0812345678"),
        ("E04", "สมหญิง", ""),
    ]
    assert AuditEvent.objects.get(action="expert.import").detail["count"] == 2
    assert session_key(panel) not in researcher.session


def test_bad_upload_after_fixing_the_file_goes_through(researcher, panel):
    upload(researcher, panel, "name,email\nA,a@\n")
    preview = upload(researcher, panel, "name,email\nA,a@example.org\n")

    researcher.post(url("expert_import_confirm", panel), {"token": preview.context["token"]})

    assert list(Expert.objects.values_list("code", "email")) == [("E01", "a@example.org")]


def test_expired_session_asks_for_the_file_again(researcher, panel):
    preview = upload(researcher, panel, GOOD)
    session = researcher.session
    del session[session_key(panel)]
    session.save()

    response = researcher.post(
        url("expert_import_confirm", panel), {"token": preview.context["token"]}, follow=True
    )

    assert response.redirect_chain == [(url("expert_import", panel), 302)]
    page = response.content.decode()
    assert "The checked list is no longer available" in page
    assert 'accept=".csv,.xlsx"' in page
    assert not Expert.objects.exists()


def test_older_preview_cannot_import_the_newer_upload(researcher, panel):
    first = upload(researcher, panel, "name\nA\n")
    upload(researcher, panel, "name\nB\n")

    researcher.post(url("expert_import_confirm", panel), {"token": first.context["token"]})

    assert not Expert.objects.exists()


def test_conflict_added_after_the_preview_is_shown_and_nothing_is_written(researcher, panel):
    preview = upload(researcher, panel, GOOD)
    ExpertFactory(panel=panel, code="E01", name="สมหญิง", email="other@example.org")

    response = researcher.post(
        url("expert_import_confirm", panel), {"token": preview.context["token"]}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="import-errors"' in page
    assert "Expert E01 in this panel already has this name." in page
    assert Expert.objects.count() == 1


def test_editor_may_import(study, panel, bob, bob_client):
    StudyMemberFactory(study=study, user=bob, role=StudyMember.Role.EDITOR)
    preview = upload(bob_client, panel, GOOD)

    bob_client.post(url("expert_import_confirm", panel), {"token": preview.context["token"]})

    assert Expert.objects.filter(panel=panel).count() == 2


# ---------------------------------------------------------------------- permissions


def test_viewer_may_not_import(viewer, panel):
    assert viewer.get(url("expert_import", panel)).status_code == 403
    assert upload(viewer, panel, GOOD).status_code == 403
    assert viewer.post(url("expert_import_confirm", panel)).status_code == 403
    assert not Expert.objects.exists()


@pytest.mark.parametrize("name", ["expert_export", "expert_export_csv", "expert_import_template"])
def test_viewer_may_export_and_download_templates(viewer, panel, name):
    response = viewer.get(url(name, panel))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


IMPORT_EXPORT_URLS = [
    "expert_import",
    "expert_import_confirm",
    "expert_import_template",
    "expert_import_template_csv",
    "expert_export",
    "expert_export_csv",
]


def test_other_researcher_gets_404_on_every_import_and_export_url(bob_client, panel):
    ExpertFactory(panel=panel)
    answers = {}

    for name in IMPORT_EXPORT_URLS:
        for method in ("get", "post"):
            answers[name, method] = getattr(bob_client, method)(url(name, panel)).status_code

    # The confirm URL refuses GET from anyone, so its 405 reveals nothing about the study.
    expected = dict.fromkeys(answers, 404) | {("expert_import_confirm", "get"): 405}
    assert answers == expected


def test_panel_of_another_study_is_not_found(researcher, panel):
    foreign = PanelFactory()
    foreign_url = reverse(
        "panels:expert_export", kwargs={"study_pk": panel.study_id, "panel_pk": foreign.pk}
    )

    assert researcher.get(foreign_url).status_code == 404


def test_downloads_answer_only_get(researcher, panel):
    assert researcher.post(url("expert_export", panel)).status_code == 405


# -------------------------------------------------------------------------- exports


def test_xlsx_export_holds_the_panels_experts(researcher, panel):
    ExpertFactory(
        panel=panel,
        code="E01",
        name="สมชาย ใจดี",
        email="somchai@example.org",
        phone="0812345678",
        line_id="somchai.j",
        organisation="มหาวิทยาลัยขอนแก่น",
        position="รองศาสตราจารย์",
        qualification="ปร.ด.",
    )
    ExpertFactory(panel=panel, code="E02", name="สมหญิง", email="")
    ExpertFactory(name="Someone on another panel")

    response = researcher.get(url("expert_export", panel))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="experts-E.xlsx"' in response["Content-Disposition"]
    assert xlsx_rows(response.content) == [
        EXPORT_HEADER,
        [
            "E01",
            "สมชาย ใจดี",
            "somchai@example.org",
            "0812345678",
            "somchai.j",
            "มหาวิทยาลัยขอนแก่น",
            "รองศาสตราจารย์",
            "ปร.ด.",
        ],
        ["E02", "สมหญิง", None, None, None, None, None, None],
    ]


def test_xlsx_export_header_is_bold_and_frozen(researcher, panel):
    ExpertFactory(panel=panel)

    response = researcher.get(url("expert_export", panel))

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"


def test_export_neutralises_formulas(researcher, panel):
    ExpertFactory(panel=panel, code="E01", name='=HYPERLINK("http://x")', phone="+66812345678")

    xlsx = researcher.get(url("expert_export", panel))
    text = researcher.get(url("expert_export_csv", panel)).content.decode("utf-8-sig")

    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert sheet["B2"].data_type == "s"
    assert sheet["B2"].value == '\'=HYPERLINK("http://x")'
    assert sheet["D2"].value == "'+66812345678"
    row = list(csv.reader(io.StringIO(text)))[1]
    assert (row[1], row[3]) == ('\'=HYPERLINK("http://x")', "'+66812345678")


def test_csv_export_is_utf8_with_bom_for_excel(researcher, panel):
    ExpertFactory(panel=panel, code="E01", name="สมชาย ใจดี", email="s@example.org")

    response = researcher.get(url("expert_export_csv", panel))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="experts-E.csv"' in response["Content-Disposition"]
    assert response.content.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [EXPORT_HEADER, ["E01", "สมชาย ใจดี", "s@example.org", "", "", "", "", ""]]


def test_export_imports_into_another_panel_unchanged(researcher, study, panel):
    ExpertFactory(panel=panel, code="E01", name="=Dr. A", email="a@example.org", phone="0812")
    other = PanelFactory(study=study, code_prefix="F")
    export = researcher.get(url("expert_export", panel))

    preview = researcher.post(
        url("expert_import", other), {"file": SimpleUploadedFile("e.xlsx", export.content)}
    )
    researcher.post(url("expert_import_confirm", other), {"token": preview.context["token"]})

    copied = other.experts.get()
    assert (copied.code, copied.name, copied.email, copied.phone) == (
        "E01",
        "=Dr. A",
        "a@example.org",
        "0812",
    )


def test_export_query_count_does_not_grow_with_the_experts(
    researcher, panel, django_assert_max_num_queries
):
    ExpertFactory.create_batch(2, panel=panel)
    with django_assert_max_num_queries(5):  # session, user, study with role, panel, experts
        researcher.get(url("expert_export", panel))
    ExpertFactory.create_batch(20, panel=panel)

    with django_assert_max_num_queries(5):
        response = researcher.get(url("expert_export", panel))

    assert len(xlsx_rows(response.content)) == 23


# ------------------------------------------------------------------------ templates


def test_xlsx_template_has_the_headers_and_bilingual_instructions(researcher, panel):
    response = researcher.get(url("expert_import_template", panel))

    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Experts", "Instructions"]
    assert xlsx_rows(response.content) == [EXPORT_HEADER]
    instructions = " ".join(
        str(value) for row in xlsx_rows(response.content, "Instructions") for value in row if value
    )
    assert "one expert per row" in instructions
    assert "หนึ่งคนต่อหนึ่งแถว" in instructions


def test_csv_template_is_only_the_header(researcher, panel):
    response = researcher.get(url("expert_import_template_csv", panel))

    assert response.content.startswith(codecs.BOM_UTF8)
    assert list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")))) == [EXPORT_HEADER]


def test_template_headers_are_accepted_by_the_importer(researcher, panel):
    template = researcher.get(url("expert_import_template_csv", panel)).content
    text = template.decode("utf-8-sig") + "E07,A,a@example.org,,,,,\n"

    response = upload(researcher, panel, text)

    assert 'id="import-preview"' in response.content.decode()
