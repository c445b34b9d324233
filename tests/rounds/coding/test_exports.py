"""The content-analysis workbook, as the researcher downloads it: every answer's fate and every
statement's trail, with formulas neutralised."""

import io

import openpyxl
import pytest
from django.urls import reverse

from rounds.models import OpenAnswer, Statement
from tests.rounds.factories import statement_from

pytestmark = pytest.mark.django_db


def _url(name: str, answered, **kwargs) -> str:
    delphi_round = answered.delphi_round
    return reverse(
        f"rounds:{name}",
        kwargs={"study_pk": delphi_round.study_id, "round_pk": delphi_round.pk, **kwargs},
    )


def _workbook(response):
    return openpyxl.load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )


def test_export_lists_answers_and_statements_with_their_trail(client_en, answered):
    target = statement_from(answered.answers_of("E01"), text="ประสานงานกับชุมชน")
    other = statement_from(answered.answers_of("E02")[:1], text="=SUM(A1)")
    Statement.objects.filter(pk=other.pk).update(status=Statement.Status.MERGED, merged_into=target)
    OpenAnswer.objects.filter(pk=answered.answers_of("E03")[0].pk).update(
        out_of_scope_reason="เรื่องเงินเดือน"
    )

    response = client_en.get(_url("coding_export", answered))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = _workbook(response)
    answers = workbook["Answers"]
    assert [cell.value for cell in answers[1]] == [
        "Domain",
        "Question",
        "Expert",
        "Answer",
        "What became of it",
    ]
    assert answers.freeze_panes == "A2"
    rows = {row[3]: row for row in answers.iter_rows(min_row=2, values_only=True)}
    assert rows["คำตอบ E01 ข้อ 1"][2] == "E01"
    assert rows["คำตอบ E01 ข้อ 1"][4] == "S01"
    assert rows["คำตอบ E02 ข้อ 1"][4] == "S01 (merged from S02)"
    assert rows["คำตอบ E03 ข้อ 1"][4] == "Out of scope: เรื่องเงินเดือน"
    assert rows["คำตอบ E03 ข้อ 2"][4] == "Not coded yet"
    statements = list(workbook["Statements"].iter_rows(min_row=2, values_only=True))
    first, second = statements
    assert first[0] == 1 and first[2] == "ประสานงานกับชุมชน"
    assert "E01·1: คำตอบ E01 ข้อ 1" in first[7]
    assert second[2] == "'=SUM(A1)"
    assert second[4] == "S01"


def test_export_neutralises_formulas_in_answers(client_en, answered):
    OpenAnswer.objects.filter(pk=answered.answers[0].pk).update(text="@cmd|' /C calc'!A0")

    workbook = _workbook(client_en.get(_url("coding_export", answered)))

    texts = [row[3] for row in workbook["Answers"].iter_rows(min_row=2, values_only=True)]
    assert "'@cmd|' /C calc'!A0" in texts
