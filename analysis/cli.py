"""Command line for researchers: ``python -m analysis summarize ratings.csv|ratings.xlsx``.

The file holds one row per expert and one column per statement; the first row gives the
statement labels. A first column of expert codes is allowed: it is recognised because it
holds something that is not a number (or force it with ``--ids yes|no``). Blank cells and 0
mean "no answer". Errors print one clear line to stderr and exit with status 2.
"""

import argparse
import csv
import json
import math
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from analysis.stats import (
    DEFAULT_POINTS,
    DEFAULT_THRESHOLD,
    METHODS,
    RatingsSummary,
    round_half_up,
    summarize_ratings,
)

EXIT_OK = 0
EXIT_USAGE = 2
SUFFIXES = (".csv", ".xlsx")


class CliError(Exception):
    """A problem with the user's input, reported as one line and exit status 2."""


# --------------------------------------------------------------------------- reading


def read_rows(path: Path) -> list[list[Any]]:
    """Cells of the first sheet (xlsx) or the file (csv), trailing blank rows removed."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise CliError(f"unsupported file type {path.suffix or '(none)'!r}: use .csv or .xlsx")
    if not path.is_file():
        raise CliError(f"file not found: {path}")
    rows = _read_csv(path) if suffix == ".csv" else _read_xlsx(path)
    while rows and all(_is_blank(cell) for cell in rows[-1]):
        rows.pop()
    return rows


def _read_csv(path: Path) -> list[list[Any]]:
    try:
        # utf-8-sig: Excel's "CSV UTF-8" starts with a byte-order mark.
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CliError(f"{path.name} is not UTF-8 text; save it as 'CSV UTF-8'") from exc
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel  # a single column has no delimiter to sniff
    return [list(row) for row in csv.reader(text.splitlines(), dialect)]


def _read_xlsx(path: Path) -> list[list[Any]]:
    from openpyxl import load_workbook  # lazy: only xlsx users pay for the import

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, InvalidFileException...
        raise CliError(f"cannot read {path.name} as an Excel workbook: {exc}") from exc
    try:
        return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def _is_blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _as_number(cell: Any) -> float | None:
    """The cell as a float, NaN for a blank, None when it is not a number."""
    if _is_blank(cell):
        return math.nan
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        return float(cell)
    try:
        return float(str(cell).strip())
    except ValueError:
        return None


def _column_name(index: int) -> str:
    """Spreadsheet column letters for a 0-based index: 0 -> A, 26 -> AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


# --------------------------------------------------------------------------- parsing


def parse_ratings(
    rows: list[list[Any]], *, points: int, ids: str = "auto"
) -> tuple[list[str], np.ndarray]:
    """Statement labels and the experts x statements matrix (NaN = no answer)."""
    if len(rows) < 2:
        raise CliError("the file needs a header row of statement labels and at least one expert")
    header, body = rows[0], [row for row in rows[1:] if not all(_is_blank(c) for c in row)]
    width = len(header)
    while width and _is_blank(header[width - 1]) and all(_blank_at(r, width - 1) for r in body):
        width -= 1
    first = _has_id_column(body) if ids == "auto" else ids == "yes"
    start = 1 if first else 0
    if width <= start:
        raise CliError("no statement columns found")
    labels = [_label(header, j) for j in range(start, width)]
    matrix = np.array([_parse_row(row, i + 2, start, width, points) for i, row in enumerate(body)])
    return labels, matrix.reshape(len(body), width - start)


def _blank_at(row: list[Any], j: int) -> bool:
    return j >= len(row) or _is_blank(row[j])


def _has_id_column(body: list[list[Any]]) -> bool:
    return any(row and _as_number(row[0]) is None for row in body)


def _label(header: list[Any], j: int) -> str:
    return str(header[j]).strip() if j < len(header) and not _is_blank(header[j]) else f"S{j}"


def _parse_row(row: list[Any], line: int, start: int, width: int, points: int) -> list[float]:
    extra = [c for c in row[width:] if not _is_blank(c)]
    if extra:
        raise CliError(f"row {line} has values beyond the last labelled column")
    values = []
    for j in range(start, width):
        cell = row[j] if j < len(row) else None
        values.append(_parse_cell(cell, f"row {line}, column {_column_name(j)}", points))
    return values


def _parse_cell(cell: Any, where: str, points: int) -> float:
    value = _as_number(cell)
    if value is None:
        raise CliError(f"{where}: {cell!r} is not a number (use 1..{points}, blank or 0)")
    if not math.isnan(value) and (not value.is_integer() or not 0 <= value <= points):
        raise CliError(f"{where}: {cell!r} is outside 1..{points} (blank or 0 = no answer)")
    return value


# --------------------------------------------------------------------------- output


def _fmt(value: float) -> str:
    """Two decimals, half-up, as on every page and report (an f-string rounds 2.675 down)."""
    if math.isnan(value):
        return "-"
    return f"{float(round_half_up(value)):.2f}"


def _display_width(text: str) -> int:
    # Thai tone marks and vowels above/below are combining: they take no column.
    return sum(
        0 if unicodedata.combining(ch) or unicodedata.category(ch) == "Mn" else 1 for ch in text
    )


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _display_width(text), 0)


def render_text(labels: list[str], summary: RatingsSummary, *, trace: bool = False) -> str:
    """The per-statement table, one line per statement (and formulas with ``trace``)."""
    width = max(len("statement"), *(_display_width(label) for label in labels))
    head = f"{'statement':<{width}}  {'n':>4}  {'median':>6}  {'Q1':>5}  {'Q3':>5}  {'IQR':>5}"
    lines = [f"{head}  {'band':<8}  consensus"]
    for j, label in enumerate(labels):
        quartiles = "  ".join(
            f"{_fmt(float(getattr(summary, name)[j])):>{size}}"
            for name, size in (("median", 6), ("q1", 5), ("q3", 5), ("iqr", 5))
        )
        band = summary.band[j] or "-"
        verdict = "yes" if summary.consensus[j] else "no"
        lines.append(f"{_pad(label, width)}  {summary.n[j]:>4}  {quartiles}  {band:<8}  {verdict}")
        if trace:
            lines.extend(f"{'':<{width}}    {t.formula}" for t in summary.item(j).trace)
    return "\n".join(lines)


def render_json(
    labels: list[str], summary: RatingsSummary, *, source: str, trace: bool = False
) -> str:
    """The same table as JSON (NaN as null), Thai labels kept readable."""
    statements = []
    for j, label in enumerate(labels):
        entry: dict[str, Any] = {"label": label, "n": int(summary.n[j])}
        for name in ("median", "q1", "q3", "iqr"):
            value = float(getattr(summary, name)[j])
            entry[name] = None if math.isnan(value) else value
        entry["band"] = summary.band[j]
        entry["consensus"] = bool(summary.consensus[j])
        entry["counts"] = [int(c) for c in summary.counts[j]]
        if trace:
            entry["trace"] = summary.item(j).as_dict()["trace"]
        statements.append(entry)
    document = {
        "file": source,
        "method": summary.method,
        "points": summary.points,
        "threshold": summary.threshold,
        "cutoffs": list(summary.cutoffs),
        "statements": statements,
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


# --------------------------------------------------------------------------- entry point


def _points(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 2:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 2, got {text!r}")
    return value


def _threshold(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"must be a number >= 0, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis", description="Delphi statistics for a ratings file."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    summarize = commands.add_parser(
        "summarize",
        help="median, Q1, Q3, IQR, band and consensus per statement",
        description="Rows = experts, columns = statements, first row = statement labels.",
    )
    summarize.add_argument("file", type=Path, help="ratings.csv or ratings.xlsx")
    summarize.add_argument("--json", action="store_true", help="print JSON instead of a table")
    summarize.add_argument("--points", type=_points, default=DEFAULT_POINTS, help="scale points")
    summarize.add_argument(
        "--threshold", type=_threshold, default=DEFAULT_THRESHOLD, help="consensus: IQR <= this"
    )
    summarize.add_argument("--method", choices=METHODS, default="grouped")
    summarize.add_argument(
        "--ids",
        choices=("auto", "yes", "no"),
        default="auto",
        help="is the first column expert codes? (auto: yes if it holds text)",
    )
    summarize.add_argument("--trace", action="store_true", help="show every formula")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        rows = read_rows(args.file)
        labels, matrix = parse_ratings(rows, points=args.points, ids=args.ids)
        summary = summarize_ratings(
            matrix, points=args.points, threshold=args.threshold, method=args.method
        )
    except (CliError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        print(render_json(labels, summary, source=args.file.name, trace=args.trace))
    else:
        print(render_text(labels, summary, trace=args.trace))
    return EXIT_OK
