"""The coding table of a round as an Excel workbook: what became of every answer, and where
every statement came from. Built from the same selector as the workspace, so both agree.
"""

import io
import unicodedata

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from delphi_site.spreadsheets import neutralise

from .rows import AnswerView, CodingWorkspace, StatementView

MAX_WIDTH = 60


def _display_width(text: str) -> int:
    # Thai vowel and tone marks sit above or below their consonant and take no width.
    return sum(1 for char in text if unicodedata.category(char) != "Mn")


def _excerpt(text: str, length: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def answer_fate(view: AnswerView) -> str:
    """The statements an answer stands behind now, or why it stands behind none."""
    if view.became:
        parts = []
        for became in view.became:
            label = became.statement.code
            if became.statement.is_out_of_scope:
                label = _("%(statement)s (statement out of scope)") % {"statement": label}
            if became.via:
                label = _("%(statement)s (merged from %(merged)s)") % {
                    "statement": label,
                    "merged": ", ".join(via.code for via in became.via),
                }
            parts.append(label)
        return ", ".join(parts)
    if view.is_out_of_scope:
        return _("Out of scope: %(reason)s") % {"reason": view.answer.out_of_scope_reason}
    return _("Not coded yet")


def _status(view: StatementView) -> str:
    return str(view.statement.get_status_display())


def _write_sheet(sheet, headers: list[str], rows: list[list], wide: set[int]) -> None:
    sheet.append(headers)
    for row in rows:
        sheet.append([value if isinstance(value, int) else neutralise(value) for value in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        column = [header] + [str(row[index - 1]) for row in rows]
        longest = max(_display_width(line) for text in column for line in text.splitlines() or [""])
        width = min(max(longest + 2, 8), MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(index)].width = width
        if index in wide:
            for cell in sheet[get_column_letter(index)][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def coding_xlsx(workspace: CodingWorkspace) -> bytes:
    """Two sheets: "Answers" (one row per answer) and "Statements" (one row per statement)."""
    workbook = openpyxl.Workbook()
    answers = workbook.active
    answers.title = "Answers"
    no_domain = _("No domain")
    answer_rows = [
        [
            group.domain.title if group.domain else no_domain,
            f"{question.number}. {question.question.text}",
            view.code,
            view.answer.text,
            answer_fate(view),
        ]
        for group in workspace.answer_groups
        for question in group.questions
        for view in question.answers
    ]
    _write_sheet(
        answers,
        [_("Domain"), _("Question"), _("Expert"), _("Answer"), _("What became of it")],
        answer_rows,
        wide={2, 4, 5},
    )

    statements = workbook.create_sheet("Statements")
    board = workspace.board
    statement_rows = [
        [
            view.number,
            view.statement.domain.title if view.statement.domain else no_domain,
            view.statement.text,
            _status(view),
            view.merged_into.code if view.merged_into else "",
            view.split_from.code if view.split_from else "",
            len(view.sources),
            "\n".join(f"{source.label}: {_excerpt(source.text)}" for source in view.sources),
        ]
        for view in [*board.active, *board.retired]
    ]
    _write_sheet(
        statements,
        [
            _("No."),
            _("Domain"),
            _("Statement"),
            _("Status"),
            _("Merged into"),
            _("Split from"),
            _("Number of sources"),
            _("Sources (expert·question: answer)"),
        ],
        statement_rows,
        wide={3, 8},
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
