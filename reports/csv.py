"""Raw ratings of a round as a table: one row per expert code, one column per statement.

The CSV is for SPSS, R or a spreadsheet; the Excel workbook's Ratings sheet is the same table.
Coding (both files): a whole number 1..points is the rating; **0 is "cannot judge"**; an
empty cell means the expert gave no answer to that statement. Both 0 and empty are left out
of every statistic, exactly as in the frozen results, so the file fed to
``python -m analysis summarize`` gives back the round's medians and IQRs. Only submitted
questionnaires count (a draft is not an answer yet). Experts appear by code only.
"""

import codecs
import csv
import io
from dataclasses import dataclass, field

import numpy as np

from analysis.selectors import RoundRatings
from analysis.selectors.rows import RESULT_ORDER
from delphi_site.spreadsheets import neutralise
from rounds.models import ItemResult, Rating, Round, Submission, statement_code

EXPERT_HEADER = "expert"


def item_label(number: int, criterion: str, *, several: bool) -> str:
    """The statement's code (S01, S02, …, its number in the study, the same in every round
    and on every page) — or S01_appropriate when a confirmation round rates several criteria.

    Letters, digits and underscores only, so the label is a valid SPSS or R variable name.
    """
    label = statement_code(number)
    return f"{label}_{criterion}" if several else label


@dataclass
class RatingsTable:
    """Submitted ratings of one round, experts (by code) x (statement, criterion) columns.

    ``values[e][c]`` is the rating of expert ``codes[e]`` in column ``columns[c]``: 1..points,
    0 for "cannot judge", None when there is no answer. ``texts`` holds the comments and
    reasons: (code, column index, value, comment, reason), in expert then column order.
    """

    columns: list[tuple[int, str]]
    labels: list[str]
    codes: list[str]
    channels: list[str]
    values: list[list[int | None]]
    texts: list[tuple[str, int, int, str, str]] = field(default_factory=list)
    # For `round_ratings`: the statement of each item, the expert of each row.
    statement_of: dict[int, int] = field(default_factory=dict)
    expert_ids: list[int] = field(default_factory=list)

    @property
    def several_criteria(self) -> bool:
        return len({criterion for _item, criterion in self.columns}) > 1

    def round_ratings(self, round_id: int) -> RoundRatings:
        """The same answers as the results page's RoundRatings, so its selectors (Kendall's W)
        run on them without reading the ratings a second time."""
        found = [
            (self.expert_ids[row], self.statement_of[item_id], criterion, value)
            for row, values in enumerate(self.values)
            for (item_id, criterion), value in zip(self.columns, values, strict=True)
            if value is not None
        ]
        experts, statements, criteria, values = zip(*found, strict=True) if found else ([],) * 4
        return RoundRatings(
            np.full(len(found), round_id, dtype=np.int64),
            np.asarray(experts, dtype=np.int64),
            np.asarray(statements, dtype=np.int64),
            np.asarray(criteria, dtype=str),
            np.asarray(values, dtype=np.int64),
        )


def ratings_table(
    delphi_round: Round, *, results: list[ItemResult] | None = None, with_texts: bool = False
) -> RatingsTable:
    """Read the round's submitted ratings into a RatingsTable; three queries at any size, two
    when the round's frozen `results` (with their items) are given.

    The columns are those of the frozen results, in their order: questionnaire order and,
    within a statement, its criteria alphabetically (a rating round has the one ordinary
    criterion). So the CSV, the Ratings sheet and the Items sheet always name the same
    statements the same way.
    """
    if results is None:
        frozen = list(
            ItemResult.objects.filter(item__delphi_round=delphi_round)
            .order_by(*RESULT_ORDER)
            .values_list("item_id", "criterion", "item__statement_id", "item__statement__number")
        )
    else:
        frozen = [
            (r.item_id, r.criterion, r.item.statement_id, r.item.statement.number) for r in results
        ]
    statement_of = {item_id: statement_id for item_id, _criterion, statement_id, _n in frozen}
    number_of = {item_id: number for item_id, _criterion, _statement_id, number in frozen}
    submissions = list(
        Submission.objects.filter(delphi_round=delphi_round, status=Submission.Status.SUBMITTED)
        .order_by("expert__code", "pk")
        .values_list("pk", "expert__code", "channel", "expert_id")
    )
    fields = ["submission_id", "item_id", "criterion", "value"]
    if with_texts:
        fields += ["comment", "reason"]
    ratings = list(
        Rating.objects.filter(
            submission__delphi_round=delphi_round,
            submission__status=Submission.Status.SUBMITTED,
        )
        .order_by()
        .values_list(*fields)
    )

    columns = [(item_id, criterion) for item_id, criterion, _statement_id, _number in frozen]
    several = len({criterion for _item_id, criterion in columns}) > 1
    labels = [
        item_label(number_of[item_id], criterion, several=several) for item_id, criterion in columns
    ]
    column_of = {key: index for index, key in enumerate(columns)}
    row_of = {submission[0]: index for index, submission in enumerate(submissions)}
    codes = [submission[1] for submission in submissions]
    values: list[list[int | None]] = [[None] * len(columns) for _ in submissions]
    texts = []
    for rating in ratings:
        row = row_of.get(rating[0])
        column = column_of.get((rating[1], rating[2]))
        if row is None or column is None:
            continue
        values[row][column] = rating[3]
        if with_texts and (rating[4] or rating[5]):
            texts.append((codes[row], column, rating[3], rating[4], rating[5]))
    texts.sort(key=lambda text: (text[0], text[1]))
    return RatingsTable(
        columns=columns,
        labels=labels,
        codes=codes,
        channels=[submission[2] for submission in submissions],
        values=values,
        texts=texts,
        statement_of=statement_of,
        expert_ids=[submission[3] for submission in submissions],
    )


def round_ratings_csv(*, delphi_round: Round) -> bytes:
    """The round's raw ratings as CSV, UTF-8 with a byte-order mark.

    First row: ``expert`` then one label per statement, in questionnaire order: the statement's
    code (S01, S02, …), which names the same statement in every round and on every page
    (S01_<criterion> when a confirmation round rates several criteria). Then one row per
    expert who submitted, by code. Cells: 1..points = rating, 0 = cannot judge, empty = no
    answer. The BOM makes Excel on a Thai Windows read the file as UTF-8 instead of code
    page 874; R (``read.csv(fileEncoding = "UTF-8-BOM")``) and SPSS read it as well.
    """
    table = ratings_table(delphi_round)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([EXPERT_HEADER, *table.labels])
    for code, row in zip(table.codes, table.values, strict=True):
        writer.writerow([neutralise(code), *("" if value is None else value for value in row)])
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")
