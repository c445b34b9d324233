"""Reading expert lists (panels.roster.parsing and panels.roster.reading)."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import translation

from panels.roster import exports, parsing
from panels.roster.parsing import ExistingExpert, RowError, parse_expert_file

HEADER = ["name", "e-mail", "phone"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def xlsx_file(rows, name="experts.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def csv_file(text: str, name="experts.csv", encoding="utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding))


def messages_of(result) -> list[tuple[int | None, str, str]]:
    return [tuple(error) for error in result.row_errors]


# ----------------------------------------------------------------- reading the formats


def test_xlsx_rows_are_read_and_trimmed():
    upload = xlsx_file([HEADER, ["  สมชาย ใจดี ", " somchai@example.org ", " 0812345678 "]])

    result = parse_expert_file(upload)

    assert result.is_valid
    assert result.rows == [
        {
            "row": 2,
            "code": "",
            "name": "สมชาย ใจดี",
            "email": "somchai@example.org",
            "phone": "0812345678",
            "line_id": "",
            "organisation": "",
            "position": "",
            "qualification": "",
        }
    ]


def test_thai_headers_map_to_every_field():
    header = ["รหัส", "ชื่อ-สกุล", "อีเมล", "โทรศัพท์", "ไลน์", "หน่วยงาน", "ตำแหน่ง", "คุณวุฒิ"]
    values = ["X01", "สมหญิง", "a@example.org", "021234567", "somying", "สพฐ.", "ครู", "ป.เอก"]

    result = parse_expert_file(xlsx_file([header, values]))

    assert result.file_errors == []
    assert [result.rows[0][name] for name in parsing.FIELDS] == values


def test_headers_ignore_case_spaces_and_spelling_variants():
    header = [" NAME ", "E-Mail", "Line", "Organization", "Position"]

    result = parse_expert_file(xlsx_file([header, ["A", "a@example.org", "a.line", "KKU", "Dr"]]))

    assert result.file_errors == []
    row = result.rows[0]
    assert (row["email"], row["line_id"], row["organisation"], row["position"]) == (
        "a@example.org",
        "a.line",
        "KKU",
        "Dr",
    )


@pytest.mark.parametrize("heading", ["Name", "Full name", "ชื่อ", "ชื่อ - สกุล", "ชื่อ-นามสกุล"])
def test_name_column_has_english_and_thai_names(heading):
    result = parse_expert_file(xlsx_file([[heading], ["สมชาย"]]))

    assert result.file_errors == []
    assert result.rows[0]["name"] == "สมชาย"


def test_csv_with_byte_order_mark_keeps_the_first_column_name():
    upload = SimpleUploadedFile(
        "experts.csv", "name,email\nสมชาย,s@example.org\n".encode("utf-8-sig")
    )

    result = parse_expert_file(upload)

    assert result.file_errors == []
    assert result.rows[0]["name"] == "สมชาย"


def test_csv_saved_by_thai_excel_in_code_page_874_is_read():
    upload = csv_file("ชื่อ-สกุล,หน่วยงาน\r\nสมชาย ใจดี,มหาวิทยาลัยขอนแก่น\r\n", encoding="cp874")

    result = parse_expert_file(upload)

    assert result.file_errors == []
    assert (result.rows[0]["name"], result.rows[0]["organisation"]) == (
        "สมชาย ใจดี",
        "มหาวิทยาลัยขอนแก่น",
    )


def test_csv_with_semicolons_is_read():
    result = parse_expert_file(csv_file("name;email\nA;a@example.org\n"))

    assert result.rows[0]["email"] == "a@example.org"


def test_phone_that_excel_made_a_number_comes_back_without_decimals():
    upload = xlsx_file([["name", "phone"], ["A", 812345678], ["B", 812345679.0]])

    result = parse_expert_file(upload)

    assert [row["phone"] for row in result.rows] == ["812345678", "812345679"]


def test_phone_written_as_float_in_csv_loses_the_decimals():
    result = parse_expert_file(csv_file("name,phone\nA,812345678.0\n"))

    assert result.rows[0]["phone"] == "812345678"


def test_phone_typed_as_text_keeps_its_leading_zero():
    result = parse_expert_file(xlsx_file([["name", "phone"], ["A", "0812345678"]]))

    assert result.rows[0]["phone"] == "0812345678"


@pytest.mark.parametrize("value", [None, float("nan"), "", "   "])
def test_empty_and_nan_cells_are_empty_text(value):
    assert parsing.cell_text(value).strip() == ""


def test_blank_rows_are_skipped_but_row_numbers_stay_those_of_excel():
    upload = xlsx_file([["name", "email"], ["A", "a@example.org"], [None, None], ["B", "bad"]])

    result = parse_expert_file(upload)

    assert [row["row"] for row in result.rows] == [2, 4]
    assert messages_of(result) == [(4, "E-mail", "“bad” is not a valid e-mail address.")]


def test_guard_against_formulas_from_our_own_export_is_removed_on_import():
    result = parse_expert_file(csv_file("name,phone\n'=Dr. A,'+66 81 234 5678\n"))

    assert (result.rows[0]["name"], result.rows[0]["phone"]) == ("=Dr. A", "+66 81 234 5678")


def test_filled_in_template_imports_even_when_saved_on_the_instructions_sheet():
    workbook = openpyxl.load_workbook(io.BytesIO(exports.template_xlsx()))
    workbook["Experts"].append(["", "สมชาย", "s@example.org", "0812345678"])
    workbook.active = workbook.sheetnames.index("Instructions")
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = parse_expert_file(SimpleUploadedFile("filled.xlsx", buffer.getvalue()))

    assert result.is_valid
    assert result.rows[0]["name"] == "สมชาย"


# ----------------------------------------------------------------------- file errors


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("experts.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
        ("experts.pdf", b"%PDF-1.7\n"),
        ("experts.txt", b"name\nA\n"),
        ("experts", b"name\nA\n"),
        ("experts.xlsx", b"name,email\nA,a@example.org\n"),  # a CSV renamed .xlsx
        ("experts.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),  # old .xls
        ("experts.csv", b"PK\x03\x04" + b"\x00" * 100),  # a workbook renamed .csv
        ("experts.csv", b"%PDF-1.7\n"),
    ],
)
def test_wrong_file_type_is_refused_by_extension_and_content(name, content):
    result = parse_expert_file(SimpleUploadedFile(name, content))

    assert not result.is_valid
    assert len(result.file_errors) == 1
    assert result.file_errors[0].startswith("Wrong file type")
    assert result.rows == []


def test_zip_that_is_not_a_workbook_is_a_wrong_file_type():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")

    result = parse_expert_file(SimpleUploadedFile("report.xlsx", buffer.getvalue()))

    assert result.file_errors[0].startswith("Wrong file type")


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("experts.csv", b""),
        SimpleUploadedFile("experts.csv", b"name,email\n"),
        SimpleUploadedFile("experts.csv", b"name,email\n,\n  ,  \n"),
        xlsx_file([["name", "email"]]),
        xlsx_file([]),
    ],
    ids=["zero-bytes", "header-only", "blank-rows", "xlsx-header-only", "xlsx-no-cells"],
)
def test_file_without_expert_rows_is_empty(upload):
    result = parse_expert_file(upload)

    assert result.file_errors == [
        "The file is empty: there are no experts below the column names in row 1."
    ]


def test_file_over_five_megabytes_is_refused_without_reading_it():
    upload = SimpleUploadedFile("big.csv", b"name\n" + b"a" * (6 * 1024 * 1024))

    result = parse_expert_file(upload)

    assert result.file_errors == ["The file is too large (6.0\xa0MB); the limit is 5.0\xa0MB."]
    assert upload.tell() == 0


@override_settings(DELPHI_MAX_UPLOAD_BYTES=20)
def test_file_at_the_upload_limit_is_accepted():
    upload = csv_file("name\nAbcdefghijklmn\n")  # exactly 20 bytes

    result = parse_expert_file(upload)

    assert upload.size == 20
    assert result.is_valid


def test_unknown_column_is_named():
    result = parse_expert_file(csv_file("name,email,birthday\nA,a@example.org,1970-01-01\n"))

    assert len(result.file_errors) == 1
    assert result.file_errors[0].startswith("Unknown column “birthday”.")


def test_data_under_an_empty_column_name_is_reported():
    result = parse_expert_file(xlsx_file([["name", None], ["A", "something"]]))

    assert result.file_errors == ["Column B has data but no column name in row 1."]


def test_two_columns_for_the_same_field_are_reported():
    result = parse_expert_file(csv_file("name,email,อีเมล\nA,a@example.org,b@example.org\n"))

    assert result.file_errors == ["The columns “email” and “อีเมล” both mean E-mail; keep one."]


def test_missing_name_column_is_one_file_error_not_one_per_row():
    result = parse_expert_file(csv_file("email\na@example.org\nb@example.org\n"))

    assert result.file_errors == [
        "The file has no name column: row 1 must contain “name” or “ชื่อ-สกุล”."
    ]
    assert result.row_errors == []


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(parsing, "MAX_ROWS", 2)

    result = parse_expert_file(csv_file("name\nA\nB\nC\n"))

    assert result.file_errors == ["The file has 3 rows; at most 2 experts can be imported at once."]


# ------------------------------------------------------------------------ row errors


def test_missing_name_is_reported_on_its_row():
    result = parse_expert_file(csv_file("name,email\nA,a@example.org\n,b@example.org\n"))

    assert messages_of(result) == [(3, "Name", "The name is missing.")]
    assert not result.is_valid


def test_invalid_email_is_reported():
    result = parse_expert_file(csv_file("name,email\nA,a@example\n"))

    assert messages_of(result) == [(2, "E-mail", "“a@example” is not a valid e-mail address.")]


def test_email_repeated_in_the_file_points_to_the_first_row():
    text = "name,email\nA,a@example.org\nB,b@example.org\nC,A@Example.org\n"

    result = parse_expert_file(csv_file(text))

    assert messages_of(result) == [(4, "E-mail", "The same e-mail address is on row 2.")]


def test_name_repeated_in_the_file_ignores_case_and_extra_spaces():
    text = "name\nSomchai  Jaidee\nSOMCHAI JAIDEE\n"

    result = parse_expert_file(csv_file(text))

    assert messages_of(result) == [(3, "Name", "The same name is on row 2.")]


def test_email_already_in_the_panel_is_reported_with_the_experts_code():
    existing = [ExistingExpert("E01", "Somchai", "Somchai@Example.org")]

    result = parse_expert_file(
        csv_file("name,email\nOther,somchai@example.org\n"), existing=existing
    )

    assert messages_of(result) == [
        (2, "E-mail", "Expert E01 in this panel already has this e-mail address.")
    ]


def test_name_already_in_the_panel_is_reported():
    existing = [ExistingExpert("E07", "สมชาย  ใจดี", "")]

    result = parse_expert_file(csv_file("name\nสมชาย ใจดี\n"), existing=existing)

    assert messages_of(result) == [(2, "Name", "Expert E07 in this panel already has this name.")]


def test_code_already_used_in_the_panel_is_reported():
    existing = [ExistingExpert("E01", "Somchai", "")]

    result = parse_expert_file(csv_file("code,name\ne01,Other\n"), existing=existing)

    assert messages_of(result) == [(2, "Code", "Code e01 is already used in this panel.")]


def test_code_repeated_in_the_file_is_reported():
    result = parse_expert_file(csv_file("code,name\nX1,A\nX1,B\n"))

    assert messages_of(result) == [(3, "Code", "Code X1 is also given on row 2.")]


def test_values_longer_than_the_database_allows_are_reported():
    result = parse_expert_file(csv_file(f"name,phone,code\nA,{'1' * 41},{'C' * 11}\n"))

    assert messages_of(result) == [
        (2, "Code", "Too long: at most 10 characters, this has 11."),
        (2, "Phone", "Too long: at most 40 characters, this has 41."),
    ]


def test_every_problem_of_a_file_is_reported_at_once():
    text = "name,email,notes\n,bad\nA,a@example.org\nA,a@example.org\n"

    result = parse_expert_file(csv_file(text))

    assert result.problem_count == 5  # unknown column, missing name, bad e-mail, 2 duplicates
    assert {error.row for error in result.row_errors} == {2, 4}


def test_row_error_is_a_row_column_message_triple():
    error = RowError(5, "Name", "The name is missing.")

    row, column, message = error

    assert (row, column, message) == (5, "Name", "The name is missing.")
