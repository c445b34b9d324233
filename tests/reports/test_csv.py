"""The raw-ratings CSV (reports.csv) for SPSS and R users."""

import codecs
import csv
import io
import json
from decimal import Decimal

import pytest

from analysis import cli
from reports.csv import round_ratings_csv
from rounds.models import ItemResult
from tests.reports.factories import small_round
from tests.reports.helpers import loaded

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(study):
    return small_round(study)


@pytest.fixture
def content(small) -> bytes:
    return round_ratings_csv(delphi_round=loaded(small.delphi_round))


def parse(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_csv_starts_with_the_utf8_byte_order_mark(content):
    assert content.startswith(codecs.BOM_UTF8)


def test_csv_has_a_row_per_submitting_expert_and_a_column_per_statement(content):
    rows = parse(content)

    # 0 = cannot judge, empty = no answer; E06 only saved a draft, which is not an answer.
    assert rows == [
        ["expert", "S01", "S02", "S03"],
        ["E01", "5", "4", "0"],
        ["E02", "4", "4", "3"],
        ["E03", "5", "", "4"],
        ["E04", "3", "5", "4"],
        ["E05", "5", "4", "5"],
    ]


def test_csv_names_no_expert(small, content):
    text = content.decode("utf-8-sig")

    for expert in [*small.experts, small.drafter]:
        assert expert.name not in text
        assert expert.email not in text


def test_csv_fed_to_the_analysis_command_gives_back_the_frozen_results(
    small, content, tmp_path, capsys
):
    path = tmp_path / "ratings.csv"
    path.write_bytes(content)

    status = cli.main(["summarize", str(path), "--json"])

    assert status == cli.EXIT_OK
    summary = json.loads(capsys.readouterr().out)
    frozen = ItemResult.objects.filter(item__delphi_round=small.delphi_round).order_by(
        "item__order"
    )
    items = summary["statements"]
    assert [item["label"] for item in items] == ["S01", "S02", "S03"]
    for item, result in zip(items, frozen, strict=True):
        assert item["n"] == result.n
        assert Decimal(str(item["median"])) == result.median
        assert Decimal(str(item["iqr"])) == result.iqr
