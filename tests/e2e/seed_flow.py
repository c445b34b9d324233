"""What the seed-study browser test needs besides the clicks: the seed's data arranged as the
test uses it, the figures `analysis.stats` gives from the Rating rows, and readers for the
downloaded PDF and workbook.

The data is the demo study's (demo/): the same 21 + 7 people, domains, round-1
questions and answers, statements, round-2/3 ratings and confirmation ratings, so the study
the browser builds from nothing is the seed study.
"""

import io
import re
import subprocess
from collections import Counter
from decimal import Decimal
from pathlib import Path

import openpyxl

from analysis.stats import ItemSummary, summarize_counts
from demo import content
from demo.answers import ANSWER_POOLS, RESPONDENTS, answers_for
from demo.confirmation import confirmation_value as demo_confirmation_value
from demo.ratings import OUT_OF_SCOPE, STATEMENTS, round_three_values, round_two_values
from rounds.models import Round, Submission

IMPORT_HEADER = [
    "name",
    "e-mail",
    "phone",
    "LINE ID",
    "organisation",
    "position",
    "qualification",
]
ACTIVE = [statement for statement in STATEMENTS if not statement.merged_into]
MERGED = [statement for statement in STATEMENTS if statement.merged_into]
RESPONDENT_CODES = [respondent.code for respondent in RESPONDENTS]
# Kept answers outside the group's middle half need a reason too once the round asks for them.
KEPT_REASON = "ยืนยันคำตอบเดิม เพราะบริบทของโรงเรียนในพื้นที่ของข้าพเจ้าแตกต่างจากภาพรวมของกลุ่ม"


def expert_workbook(path: Path, panel: content.DemoPanel) -> Path:
    """The panel's people as a researcher would type them into the import template."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(IMPORT_HEADER)
    for number, person in enumerate(panel.people, start=1):
        code = f"{panel.code_prefix}{number:02d}"
        sheet.append(
            [
                person.name,
                f"{code.lower()}@example.org",
                f"{panel.phone_prefix}{number:02d}",
                person.line_id,
                person.organisation,
                person.position,
                person.qualification,
            ]
        )
    book.save(path)
    return path


def round_one_questions() -> list[tuple[str | None, str]]:
    """(domain title or None, question text) in the questionnaire's order."""
    questions = [(domain.title, text) for domain in content.DOMAINS for text in domain.questions]
    return [*questions, (None, content.CLOSING_QUESTION)]


def round_one_answers(code: str) -> list[list[str]]:
    """A respondent's answers, per question in order (the demo's `answers_for`)."""
    index = RESPONDENT_CODES.index(code)
    return [answers_for(index, question) for question in range(len(ANSWER_POOLS))]


def pool_text(source: tuple[int, int]) -> tuple[int, str]:
    """(question index, answer text) of a statement's source in the answer pools."""
    question, answer = source
    return question, ANSWER_POOLS[question][answer]


def out_of_scope() -> list[tuple[tuple[int, str], str]]:
    return [(pool_text(source), reason) for source, reason in OUT_OF_SCOPE]


def round_two_ratings() -> dict[str, dict[str, int]]:
    """statement key -> expert code -> round-2 rating."""
    return {
        statement.key: dict(zip(RESPONDENT_CODES, round_two_values(statement, index), strict=True))
        for index, statement in enumerate(ACTIVE)
    }


def round_three_ratings() -> tuple[dict[str, dict[str, int]], dict[tuple[str, str], str]]:
    """statement key -> expert code -> round-3 rating; and (key, code) -> the mover's reason."""
    ratings, reasons = {}, {}
    for index, statement in enumerate(ACTIVE):
        before = round_two_values(statement, index)
        after, movers = round_three_values(statement, before, index)
        ratings[statement.key] = dict(zip(RESPONDENT_CODES, after, strict=True))
        for respondent, reason in movers.items():
            reasons[(statement.key, RESPONDENT_CODES[respondent])] = reason
    return ratings, reasons


def confirmation_value(person: int, component: int, criterion: int) -> int:
    return demo_confirmation_value(person, component, criterion)


def outside(value: int, summary: ItemSummary) -> bool:
    return not (Decimal(str(summary.q1)) <= value <= Decimal(str(summary.q3)))


# --------------------------------------------------------------------------- expected figures


def expected_results(delphi_round: Round) -> dict[tuple[str, str], ItemSummary]:
    """(statement text, criterion) -> analysis.stats on the round's submitted Rating rows."""
    study = delphi_round.study
    counts: dict[tuple[str, str], Counter] = {}
    for item in delphi_round.items.select_related("statement"):
        for criterion in delphi_round.criterion_codes:
            counts[(item.statement.text, criterion)] = Counter()
    for text, criterion, value in delphi_round.items.filter(
        ratings__submission__status=Submission.Status.SUBMITTED
    ).values_list("statement__text", "ratings__criterion", "ratings__value"):
        counts[(text, criterion)][value] += 1
    cutoffs = (
        study.band_cutoff_1,
        study.band_cutoff_2,
        study.band_cutoff_3,
        study.band_cutoff_4,
    )
    return {
        key: summarize_counts(
            [tally[point] for point in range(1, study.scale_points + 1)],
            points=study.scale_points,
            cutoffs=cutoffs,
            threshold=study.consensus_iqr_threshold,
        )
        for key, tally in counts.items()
    }


def figures(summary: ItemSummary) -> tuple:
    return (summary.n, summary.median, summary.q1, summary.q3, summary.iqr, summary.consensus)


# --------------------------------------------------------------------------- reading reports


def workbook_items(data: bytes, sheet: str) -> dict[tuple[str, str], tuple]:
    """(statement, criterion label or "") -> (n, median, Q1, Q3, IQR, consensus) of a sheet.

    The value cells are read (figures are written as numbers; only the Computation sheet
    holds formulas), through the header names so a new column cannot shift the reading.
    """
    rows = list(openpyxl.load_workbook(io.BytesIO(data), read_only=True)[sheet].values)
    header = list(rows[0])
    column = {name: header.index(name) for name in header if name}
    criterion = column.get("Criterion")
    table = {}
    for row in rows[1:]:
        key = (row[column["Statement"]], row[criterion] if criterion is not None else "")
        table[key] = (
            row[column["n"]],
            row[column["Median"]],
            row[column["Q1"]],
            row[column["Q3"]],
            row[column["IQR"]],
            row[column["Consensus"]] == "Yes",
        )
    return table


def pdf_text(data: bytes, path: Path) -> str:
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def section(text: str, start: str, end: str) -> str:
    """The text between the last heading `start` and the next `end` (the contents page
    names both first)."""
    begin = text.rindex(start)
    return text[begin : text.index(end, begin)]


TWO_DECIMALS = r"\d+\.\d\d"


def model_figures(text: str) -> list[tuple[float, float]]:
    """(median, IQR) of every statement of the final model, in the report's order."""
    body = section(text, "5. The resulting model", "6. Confirmation by the second panel")
    pairs = re.findall(rf"({TWO_DECIMALS})\s+({TWO_DECIMALS})\s+(?:High|Highest)", body)
    return [(float(median), float(iqr)) for median, iqr in pairs]


def confirmation_cells(text: str) -> list[tuple[float, float, bool]]:
    """(median, IQR, consensus) of every component and criterion, row by row.

    A cell is "median / IQR" on one line and "band ✓" (✓ when the panel agreed) under it.
    """
    lines = section(text, "6. Confirmation by the second panel", "Appendix A.").splitlines()
    cells = []
    for number, line in enumerate(lines):
        found = re.findall(rf"({TWO_DECIMALS}) / ({TWO_DECIMALS})", line)
        if not found:
            continue
        bands = re.split(r"\s{2,}", lines[number + 1].strip())[-len(found) :]
        cells += [
            (float(median), float(iqr), band.endswith("✓"))
            for (median, iqr), band in zip(found, bands, strict=True)
        ]
    return cells
