"""``python -m analysis summarize``: CSV and XLSX input, table and JSON output, errors."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from analysis import cli
from analysis.cli import main

ROOT = Path(__file__).resolve().parents[2]

# Statement S1 is the N = 18 worked example [0,1,3,8,6]: Md 4.13, Q1 3.56, Q3 4.75,
# IQR 1.19, 'high', consensus. "ข้อ 2" is 1,1,5,5 plus blanks: Md 1.50, IQR 4.00, 'low', no.
S1 = [2] + [3] * 3 + [4] * 8 + [5] * 6
S2 = [1, 1, 5, 5] + [None] * 14


def write_csv(path: Path, rows) -> Path:
    path.write_text(
        "\n".join(",".join("" if c is None else str(c) for c in row) for row in rows) + "\n",
        encoding="utf-8",
    )
    return path


def panel_rows(with_ids: bool = True):
    header = (["expert"] if with_ids else []) + ["S1", "ข้อ 2"]
    body = [
        ([f"E{i + 1:02d}"] if with_ids else []) + [a, b]
        for i, (a, b) in enumerate(zip(S1, S2, strict=True))
    ]
    return [header, *body]


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_csv_table_with_expert_codes(tmp_path, capsys):
    path = write_csv(tmp_path / "ratings.csv", panel_rows())
    code, out, err = run(["summarize", str(path)], capsys)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["statement", "n", "median", "Q1", "Q3", "IQR", "band", "consensus"]
    assert lines[1].split() == ["S1", "18", "4.13", "3.56", "4.75", "1.19", "high", "yes"]
    assert lines[2].split() == ["ข้อ", "2", "4", "1.50", "1.00", "5.00", "4.00", "low", "no"]


def test_csv_without_expert_codes_json(tmp_path, capsys):
    path = write_csv(tmp_path / "ratings.csv", panel_rows(with_ids=False))
    code, out, _ = run(["summarize", str(path), "--json"], capsys)
    assert code == 0
    document = json.loads(out)
    assert document["method"] == "grouped"
    assert document["points"] == 5
    first, second = document["statements"]
    assert first == {
        "label": "S1",
        "n": 18,
        "median": 4.13,
        "q1": 3.56,
        "q3": 4.75,
        "iqr": 1.19,
        "band": "high",
        "consensus": True,
        "counts": [0, 1, 3, 8, 6],
    }
    assert (second["label"], second["n"], second["band"]) == ("ข้อ 2", 4, "low")
    assert "ข้อ 2" in out  # Thai kept readable, not \u-escaped


def test_xlsx_input(tmp_path, capsys):
    workbook = Workbook()
    sheet = workbook.active
    for row in panel_rows():
        sheet.append(row)
    path = tmp_path / "ratings.xlsx"
    workbook.save(path)
    code, out, _ = run(["summarize", str(path), "--json"], capsys)
    assert code == 0
    statements = json.loads(out)["statements"]
    assert [s["median"] for s in statements] == [4.13, 1.5]
    assert [s["consensus"] for s in statements] == [True, False]


def test_threshold_points_and_trace(tmp_path, capsys):
    path = write_csv(tmp_path / "r.csv", [["a", "b"], [7, 6], [6, 0]])
    code, out, _ = run(["summarize", str(path), "--points", "7", "--threshold", "0.4"], capsys)
    assert code == 0
    # a: answers 6, 7 -> Q1 p 0.5 class 6 -> 6.0; Md p 1 -> 6.5; Q3 p 1.5 class 7 -> 7.0
    # IQR 1.00 > 0.4: no. b: a single 6 -> 5.75, 6.00, 6.25, IQR 0.50 > 0.4: no.
    assert out.splitlines()[1].split() == [
        "a",
        "2",
        "6.50",
        "6.00",
        "7.00",
        "1.00",
        "highest",
        "no",
    ]
    code, out, _ = run(["summarize", str(path), "--points", "7", "--trace"], capsys)
    assert "median: p = 1, class 6 (L = 5.5, F = 0, f = 1)" in out


def test_numeric_first_column_can_be_forced_to_ids(tmp_path, capsys):
    path = write_csv(tmp_path / "r.csv", [["id", "S1"], [101, 4], [102, 5]])
    code, out, _ = run(["summarize", str(path), "--ids", "yes", "--json"], capsys)
    assert code == 0
    assert [s["label"] for s in json.loads(out)["statements"]] == ["S1"]


@pytest.mark.parametrize(
    ("name", "rows", "message"),
    [
        ("r.txt", [["S1"], [1]], "unsupported file type '.txt'"),
        (
            "r.csv",
            [["x", "S1", "S2"], ["E1", 4, "many"]],
            "row 2, column C: 'many' is not a number",
        ),
        ("r.csv", [["S1", "S2"], [4, 5], [6, 1]], "row 3, column A: '6' is outside 1..5"),
        ("r.csv", [["S1", "S2"], [4, 2.5]], "row 2, column B: '2.5' is outside 1..5"),
        ("r.csv", [["S1"]], "at least one expert"),
        ("r.csv", [["S1"], [4, 5]], "beyond the last labelled column"),
    ],
)
def test_input_errors_exit_2(tmp_path, capsys, name, rows, message):
    path = write_csv(tmp_path / name, rows)
    code, out, err = run(["summarize", str(path)], capsys)
    assert code == 2
    assert out == ""
    assert message in err
    assert err.startswith("error: ")


def test_missing_file(tmp_path, capsys):
    code, _, err = run(["summarize", str(tmp_path / "nope.xlsx")], capsys)
    assert code == 2
    assert "file not found" in err


def test_broken_xlsx(tmp_path, capsys):
    path = tmp_path / "r.xlsx"
    path.write_text("not a workbook")
    code, _, err = run(["summarize", str(path)], capsys)
    assert code == 2
    assert "cannot read r.xlsx" in err


def test_non_utf8_csv(tmp_path, capsys):
    path = tmp_path / "r.csv"
    path.write_bytes("ข้อ 1\n4\n".encode("cp874"))
    code, _, err = run(["summarize", str(path)], capsys)
    assert code == 2
    assert "UTF-8" in err


def test_bad_option_values_exit_2(tmp_path, capsys):
    path = write_csv(tmp_path / "r.csv", [["S1"], [4]])
    with pytest.raises(SystemExit) as exc:
        main(["summarize", str(path), "--points", "one"])
    assert exc.value.code == 2
    assert "--points" in capsys.readouterr().err


def test_python_dash_m(tmp_path):
    path = write_csv(tmp_path / "r.csv", panel_rows())
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "summarize", str(path), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["statements"][0]["median"] == 4.13


def test_printed_figures_round_halves_up_as_the_pages_do():
    # 2.675 is stored as 2.67499999…; printed with an f-string it would read 2.67.
    assert cli._fmt(2.675) == "2.68"
    assert cli._fmt(4.125) == "4.13"
    assert cli._fmt(float("nan")) == "-"
