"""The Excel reports (reports.excel): read back with openpyxl, they must say what was frozen."""

import ast
import io
import operator
from decimal import Decimal
from fractions import Fraction

import openpyxl
import pytest
from django.utils import translation

from analysis import stats
from analysis.selectors import round_results
from panels.models import Study
from reports.excel import round_workbook, study_workbook
from rounds.models import ItemResult, Rating, Round, RoundItem, Submission
from rounds.results import round_results_freeze
from tests.panels.factories import ExpertFactory, PanelFactory
from tests.reports.factories import COMMENT, INJECTION, REASON, THAI_STATEMENT, small_round
from tests.reports.helpers import loaded
from tests.rounds.factories import RoundFactory, StatementFactory

pytestmark = pytest.mark.django_db


def workbook(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def records(sheet) -> list[dict]:
    """The sheet's rows as dicts keyed by the header row."""
    rows = sheet.iter_rows(values_only=True)
    headers = next(rows)
    return [dict(zip(headers, row, strict=False)) for row in rows]


def english_workbook(delphi_round, **options):
    return workbook(round_workbook(delphi_round=loaded(delphi_round), language="en", **options))


@pytest.fixture
def small(study):
    return small_round(study)


@pytest.fixture
def book(small):
    return english_workbook(small.delphi_round)


def frozen(delphi_round) -> list[ItemResult]:
    return list(ItemResult.objects.filter(item__delphi_round=delphi_round).order_by("item__order"))


def as_decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


# --------------------------------------------------------------------------- Items


def test_items_sheet_equals_the_frozen_results(small, book):
    rows = records(book["Items"])

    expected = frozen(small.delphi_round)
    assert [row["No."] for row in rows] == ["S01", "S02", "S03"]
    for row, result in zip(rows, expected, strict=True):
        assert row["n"] == result.n
        assert as_decimal(row["Median"]) == result.median
        assert as_decimal(row["Q1"]) == result.q1
        assert as_decimal(row["Q3"]) == result.q3
        assert as_decimal(row["IQR"]) == result.iqr
        assert row["Band"] == stats.BAND_LABELS_EN[result.band]
        assert row["Consensus"] == ("Yes" if result.consensus else "No")
        assert row["Cannot judge"] == result.extra["cannot_judge"]


def test_items_are_numbers_with_two_decimals(book):
    sheet = book["Items"]
    headers = [cell.value for cell in sheet[1]]
    median = sheet.cell(row=2, column=headers.index("Median") + 1)

    assert isinstance(median.value, float)
    assert median.number_format == "0.00"
    assert sheet.freeze_panes == "D2"


def test_hand_checked_figures_of_the_small_round(book):
    # S01: answers 5, 4, 5, 3, 5 -> counts 0, 0, 1, 1, 3; N = 5; the draft's 1 is no answer.
    # Median: p = 2.5, class 5 (F = 2, f = 3): 4.5 + (2.5 - 2) / 3 = 4.6667 -> 4.67.
    s01 = records(book["Items"])[0]

    assert (s01["n"], s01["Median"], s01["Band"]) == (5, 4.67, "Highest")


def test_frequencies_are_the_frozen_counts(small, book):
    rows = records(book["Frequencies"])

    expected = frozen(small.delphi_round)
    for row, result in zip(rows, expected, strict=True):
        counts = [value for key, value in row.items() if key and key[0].isdigit()]
        assert counts == result.counts
        assert row["n"] == result.n
    assert rows[2]["Cannot judge"] == 1


# --------------------------------------------------------------------------- Ratings, comments


def test_ratings_sheet_has_one_row_per_expert_code_coded_like_the_csv(book):
    sheet = book["Ratings"]
    rows = list(sheet.iter_rows(values_only=True))

    assert rows[0] == ("Expert", "S01", "S02", "S03")
    # 0 = cannot judge; empty = no answer; E06's draft is not an answer.
    assert rows[1:] == [
        ("E01", 5, 4, 0),
        ("E02", 4, 4, 3),
        ("E03", 5, None, 4),
        ("E04", 3, 5, 4),
        ("E05", 5, 4, 5),
    ]
    assert sheet.freeze_panes == "B2"


def test_comments_sheet_lists_comments_and_reasons_by_code(book):
    rows = records(book["Comments"])

    assert [(row["Expert"], row["No."], row["Rating"]) for row in rows] == [
        ("E02", "S01", 4),
        ("E04", "S01", 3),
    ]
    assert rows[0]["Comment"] == "'" + COMMENT
    assert rows[1]["Reason"] == "'" + REASON


# --------------------------------------------------------------------------- Computation

_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul}


def evaluate(sheet, formula: str) -> Fraction:
    """Evaluate an Excel formula of + - * / over cell references, exactly, as Excel would."""
    assert formula.startswith("=")

    def value(node) -> Fraction:
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            return value(node.left) / value(node.right)
        if isinstance(node, ast.BinOp):
            return _OPERATORS[type(node.op)](value(node.left), value(node.right))
        if isinstance(node, ast.Name):
            cell = sheet[node.id].value
            if isinstance(cell, str) and cell.startswith("="):
                return evaluate(sheet, cell)
            return Fraction(str(cell))
        raise AssertionError(f"unexpected formula part {ast.dump(node)}")

    return value(ast.parse(formula[1:], mode="eval").body)


def test_computation_formulas_recompute_the_frozen_values(small, book):
    sheet = book["Computation"]
    rows = list(sheet.iter_rows(min_row=2))
    results = {f"S{n:02d}": result for n, result in enumerate(frozen(small.delphi_round), 1)}
    names = {"Q1": "q1", "Median": "median", "Q3": "q3", "IQR = Q3 - Q1": "iqr"}

    checked = 0
    for row in rows:
        label, quantity = row[0].value, row[1].value
        exact = evaluate(sheet, row[9].value)
        expected = getattr(results[label], names[quantity])
        assert stats.round_half_up(exact) == Fraction(expected), (label, quantity)
        assert float(exact) == pytest.approx(row[10].value)
        assert row[13].value == "Yes"
        checked += 1
    assert checked == 3 * 4


def test_computation_formula_refers_to_l_i_p_f_and_f_of_its_own_row(book):
    sheet = book["Computation"]
    headers = {cell.column_letter: cell.value for cell in sheet[1]}

    formula = sheet["J3"].value

    assert formula == "=F3+I3*(D3-G3)/H3"
    assert [headers[letter] for letter in "FIDGH"] == ["L", "i", "Position p", "F", "f"]
    # S01's median, by hand: p = 2.5, class 5, L = 4.5, F = 2, f = 3.
    assert [sheet[f"{letter}3"].value for letter in "BCDEFGHI"] == [
        "Median",
        5,
        2.5,
        5,
        4.5,
        2,
        3,
        1,
    ]


def test_computation_trace_is_the_one_of_analysis_stats(small, book):
    sheet = book["Computation"]
    result = frozen(small.delphi_round)[1]
    trace = stats.summarize_counts(result.counts).trace

    s02 = [row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] == "S02"][:3]

    for row, step in zip(s02, trace, strict=True):
        assert row[2:9] == (4, float(step.position), step.k, float(step.L), step.F, step.f, 1)


def test_a_frozen_value_that_disagrees_with_its_computation_is_shown_not_hidden(small):
    ItemResult.objects.filter(item__delphi_round=small.delphi_round, item__order=0).update(
        median=Decimal("4.50")
    )

    rows = records(english_workbook(small.delphi_round)["Computation"])

    median = next(row for row in rows if row["No."] == "S01" and row["Quantity"] == "Median")
    assert (median["Rounded"], median["Frozen result"], median["Matches"]) == (4.67, 4.5, "No")


# --------------------------------------------------------------------------- safety


def test_text_starting_like_a_formula_is_neutralised(book):
    formulas = [
        (sheet.title, cell.coordinate)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]

    assert records(book["Items"])[0]["Statement"] == "'" + INJECTION
    # The only formulas are the Computation sheet's own, in its formula column.
    assert formulas
    assert {(title, coordinate[0]) for title, coordinate in formulas} == {("Computation", "J")}


def all_text(book) -> str:
    return "\n".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def test_default_workbook_names_no_expert(small, book):
    text = all_text(book)

    for expert in [*small.experts, small.drafter]:
        for detail in (expert.name, expert.email, expert.organisation):
            assert not detail or detail not in text
    assert "Roster" not in book.sheetnames


def test_roster_sheet_names_the_experts_only_when_asked(small):
    book = english_workbook(small.delphi_round, include_roster=True)

    rows = records(book["Roster"])
    assert [row["Code"] for row in rows] == ["E01", "E02", "E03", "E04", "E05", "E06"]
    assert rows[0]["Name"] == "Secretname1 Surname"
    assert rows[0]["E-mail"] == "hidden1@example.org"
    assert rows[0]["Organisation"] == "Organisation1"


# --------------------------------------------------------------------------- language, layout


def test_report_language_does_not_follow_the_active_language(small):
    with translation.override("th"):
        book = english_workbook(small.delphi_round)

    headers = [cell.value for cell in book["Items"][1]]
    assert "Median" in headers
    assert records(book["Items"])[0]["Band"] == "Highest"


def test_thai_report_keeps_thai_text_and_thai_band_labels(small):
    book = workbook(round_workbook(delphi_round=loaded(small.delphi_round), language="th"))

    items = list(book["Items"].iter_rows(min_row=2, values_only=True))
    assert items[1][2] == THAI_STATEMENT
    assert stats.BAND_LABELS_TH["highest"] in items[0]


def test_summary_states_participation_and_the_method(small, book):
    pairs = dict(book["Summary"].iter_rows(values_only=True))

    assert pairs["Invited"] == 6
    assert pairs["Returned"] == 5
    assert pairs["Response rate (%)"] == 83
    assert pairs["Statements"] == 3
    assert pairs["Scale point 1"] == small.delphi_round.study.scale_labels[0]
    assert "1.50" in pairs["Consensus rule"]
    assert "Kendall's W" in pairs


def test_charts_are_native_bar_charts_over_the_data_sheets(book):
    charts = book["Charts"]._charts

    assert len(charts) == 2
    assert {chart.tagname for chart in charts} == {"barChart"}
    references = [series.val.numRef.f for chart in charts for series in chart.series]
    assert any(reference.startswith("'Frequencies'!") for reference in references)
    assert any(reference.startswith("'Items'!") for reference in references)


# --------------------------------------------------------------------------- other rounds


def test_confirmation_round_labels_each_criterion(study):
    panel = PanelFactory(study=study, code_prefix="Q")
    experts = [ExpertFactory(panel=panel, code=f"Q{n}") for n in (1, 2)]
    delphi_round = RoundFactory(
        study=study, panel=panel, number=4, kind=Round.Kind.CONFIRMATION, status="closed"
    )
    item = RoundItem.objects.create(
        delphi_round=delphi_round, statement=StatementFactory(study=study), order=0
    )
    for expert, values in zip(experts, ((5, 4), (4, 4)), strict=True):
        submission = Submission.objects.create(
            delphi_round=delphi_round, expert=expert, status=Submission.Status.SUBMITTED
        )
        for criterion, value in zip(("appropriate", "useful"), values, strict=True):
            Rating.objects.create(
                submission=submission, item=item, criterion=criterion, value=value
            )
    round_results_freeze(delphi_round=delphi_round)

    book = english_workbook(delphi_round)

    assert [cell.value for cell in book["Ratings"][1]] == [
        "Expert",
        "S01_appropriate",
        "S01_useful",
    ]
    items = records(book["Items"])
    assert [(row["No."], row["Criterion"]) for row in items] == [
        ("S01_appropriate", "appropriate"),
        ("S01_useful", "useful"),
    ]
    # One statement rated on two criteria is still one statement.
    assert dict(book["Summary"].iter_rows(values_only=True))["Statements"] == 1


def test_round_without_frozen_results_is_refused(study):
    delphi_round = RoundFactory(study=study, kind=Round.Kind.OPEN, status="closed")

    with pytest.raises(ValueError, match="not a closed rating"):
        round_workbook(delphi_round=loaded(delphi_round))


# --------------------------------------------------------------------------- the demo study


@pytest.fixture
def demo():
    from demo.services import demo_study_load

    return Study.objects.get(pk=demo_study_load().study.pk)


def test_demo_round_three_workbook_equals_its_frozen_results(demo):
    round_three = demo.rounds.get(number=3)

    book = workbook(round_workbook(delphi_round=loaded(round_three), language="th"))

    rows = list(book["Items"].iter_rows(min_row=2, values_only=True))
    results = frozen(round_three)
    assert len(rows) == len(results) == 22
    for row, result in zip(rows, results, strict=True):
        assert row[2] == result.item.statement.text
        assert [as_decimal(value) for value in row[4:8]] == [
            result.median,
            result.q1,
            result.q3,
            result.iqr,
        ]
    computation = list(book["Computation"].iter_rows(min_row=2, values_only=True))
    with translation.override("th"):
        yes = translation.gettext("Yes")
    assert len(computation) == 22 * 4
    assert {row[13] for row in computation} == {yes}


def test_demo_round_three_summary_agrees_with_the_results_page(demo):
    round_three = loaded(demo.rounds.get(number=3))
    page = round_results(delphi_round=round_three)

    book = workbook(round_workbook(delphi_round=round_three, language="en"))

    pairs = dict(book["Summary"].iter_rows(values_only=True))
    assert pairs["Kendall's W"] == pytest.approx(page.kendall[0][1].w)
    assert pairs["Response rate (%)"] == page.response.percent == 86
    assert pairs["Share with consensus (%)"] == page.consensus_share == 100
    assert pairs["Statements with consensus"] == page.with_consensus == 22


def test_demo_study_workbook_has_sheets_for_each_closed_rating_round(demo):
    book = workbook(study_workbook(study=demo, language="en"))

    closed_rated = demo.rounds.filter(
        status=Round.Status.CLOSED, kind__in=[Round.Kind.RATING, Round.Kind.CONFIRMATION]
    )
    suffixes = {name.rsplit(" ", 1)[1] for name in book.sheetnames if " R" in name}
    assert book.sheetnames[:2] == ["Summary", "Rounds"]
    assert suffixes == {f"R{delphi_round.number}" for delphi_round in closed_rated}
    assert {"Items R2", "Computation R3"} <= set(book.sheetnames)
    rounds = records(book["Rounds"])
    assert [(row["Round"], row["Invited"], row["Returned"]) for row in rounds][:3] == [
        (1, 21, 18),
        (2, 21, 18),
        (3, 21, 18),
    ]
    assert rounds[2]["Statements with consensus"] == 22


def test_criteria_are_named_as_the_researcher_named_them(study):
    panel = PanelFactory(study=study, code_prefix="Q")
    expert = ExpertFactory(panel=panel, code="Q1")
    delphi_round = RoundFactory(
        study=study,
        panel=panel,
        number=4,
        kind=Round.Kind.CONFIRMATION,
        status="closed",
        criteria=[
            {"code": "fit", "label": "ความเหมาะสมกับบริบท"},
            {"code": "use", "label": "ความเป็นประโยชน์"},
        ],
    )
    item = RoundItem.objects.create(
        delphi_round=delphi_round, statement=StatementFactory(study=study), order=0
    )
    submission = Submission.objects.create(
        delphi_round=delphi_round, expert=expert, status=Submission.Status.SUBMITTED
    )
    for criterion in ("fit", "use"):
        Rating.objects.create(submission=submission, item=item, criterion=criterion, value=5)
    round_results_freeze(delphi_round=delphi_round)

    book = english_workbook(delphi_round)

    assert [row["Criterion"] for row in records(book["Items"])] == [
        "ความเหมาะสมกับบริบท",
        "ความเป็นประโยชน์",
    ]
