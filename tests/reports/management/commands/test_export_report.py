"""`manage.py export_report`: reports written to files from a script, with clear errors."""

import codecs

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from rounds.models import Round
from tests.reports.factories import small_round
from tests.rounds.factories import RoundFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(study):
    return small_round(study)


@pytest.fixture(autouse=True)
def english():
    # Error messages are checked in English whatever the catalogue says.
    with translation.override("en"):
        yield


def export(*args) -> None:
    call_command("export_report", *[str(arg) for arg in args])


def test_writes_a_rounds_workbook(small, tmp_path):
    path = tmp_path / "round.xlsx"

    export(small.delphi_round.study_id, "--round", 2, "--format", "xlsx", "-o", path)

    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:2] == ["Summary", "Items"]
    assert "Roster" not in book.sheetnames


def test_writes_the_roster_in_english_when_asked(small, tmp_path):
    path = tmp_path / "round.xlsx"

    export(
        small.delphi_round.study_id,
        *("--round", 2, "--format", "xlsx", "--language", "en", "--roster", "-o", path),
    )

    book = openpyxl.load_workbook(path)
    assert book["Roster"]["C2"].value == "Secretname1 Surname"
    assert book["Items"]["I2"].value == "Highest"


def test_writes_the_raw_ratings_csv(small, tmp_path):
    path = tmp_path / "ratings.csv"

    export(small.delphi_round.study_id, "--round", 2, "--format", "csv", "-o", path)

    assert path.read_bytes().startswith(codecs.BOM_UTF8 + b"expert,S01,S02,S03\r\nE01,5,4,0")


def test_writes_the_round_pdf_and_the_final_report(small, tmp_path):
    study_id = small.delphi_round.study_id

    export(study_id, "--round", 2, "--format", "pdf", "-o", tmp_path / "round.pdf")
    export(study_id, "--format", "pdf", "-o", tmp_path / "final.pdf")

    assert (tmp_path / "round.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "final.pdf").read_bytes().startswith(b"%PDF")


def test_writes_the_study_workbook(small, tmp_path):
    path = tmp_path / "study.xlsx"

    export(small.delphi_round.study_id, "--format", "xlsx", "-o", path)

    assert "Ratings R2" in openpyxl.load_workbook(path).sheetnames


def test_says_where_it_wrote(small, tmp_path, capsys):
    path = tmp_path / "ratings.csv"

    export(small.delphi_round.study_id, "--round", 2, "--format", "csv", "-o", path)

    assert f"Wrote {path} (" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("--format", "csv"), "add --round"),
        (("--round", 2, "--format", "csv", "--roster"), "leave out --roster"),
        (("--round", 9, "--format", "pdf"), "has no round 9"),
    ],
)
def test_refuses_what_cannot_be_exported(small, tmp_path, arguments, message):
    with pytest.raises(CommandError, match=message):
        export(small.delphi_round.study_id, *arguments, "-o", tmp_path / "out")

    assert not (tmp_path / "out").exists()


def test_refuses_an_unknown_study(db, tmp_path):
    with pytest.raises(CommandError, match="There is no study 999"):
        export(999, "--format", "xlsx", "-o", tmp_path / "out.xlsx")


def test_refuses_a_round_that_is_not_closed(study, tmp_path):
    RoundFactory(study=study, number=3, kind=Round.Kind.RATING, status=Round.Status.OPEN)

    with pytest.raises(CommandError, match="Round 3 is not closed yet"):
        export(study.pk, "--round", 3, "--format", "xlsx", "-o", tmp_path / "out.xlsx")


def test_refuses_ratings_of_an_open_question_round(study, tmp_path):
    RoundFactory(study=study, number=1, kind=Round.Kind.OPEN, status=Round.Status.CLOSED)

    with pytest.raises(CommandError, match="Round 1 has no ratings to export as CSV"):
        export(study.pk, "--round", 1, "--format", "csv", "-o", tmp_path / "out.csv")


def test_refuses_a_folder_that_does_not_exist(small, tmp_path):
    path = tmp_path / "missing" / "out.xlsx"

    with pytest.raises(CommandError, match="does not exist"):
        export(small.delphi_round.study_id, "--format", "xlsx", "-o", path)


def test_refuses_an_unknown_format(small, tmp_path):
    with pytest.raises(CommandError, match="invalid choice: 'docx'"):
        export(small.delphi_round.study_id, "--format", "docx", "-o", tmp_path / "out")
