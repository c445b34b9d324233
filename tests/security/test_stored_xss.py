"""Text typed by experts and researchers is shown as text: in every page, PDF and workbook
that repeats it, a hostile name, statement, answer, comment or suggestion stays inert."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from panels.models import Expert
from reports.excel import round_workbook
from reports.pdf import final_report_pdf, round_report_pdf
from rounds.answering.services import open_answers_save, submission_start
from rounds.links import expert_token
from rounds.models import Channel, DomainSuggestion, OpenAnswer, Rating, Round, Submission
from tests.panels.factories import ExpertFactory, PanelFactory
from tests.reports.helpers import pdf_text
from tests.rounds.factories import (
    DomainFactory,
    OpenQuestionFactory,
    StatementFactory,
    answer,
    close,
    confirmation_round,
    consented_expert,
    open_round,
    rating_round,
)

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
# Every hostile text carries both attacks, and a tag of its own to tell where it came from.
NAME = f"Name{SCRIPT}{IMG}"
STATEMENT = f"Statement{SCRIPT}{IMG}"
ANSWER = f"Answer{SCRIPT}{IMG}"
COMMENT = f'=HYPERLINK("http://x")Comment{SCRIPT}{IMG}'
SUGGESTION = f"Suggestion{SCRIPT}{IMG}"
# The pages have inline scripts of their own, so the raw payloads are what must not appear.
CRITERIA = ("appropriateness", "usefulness", "feasibility")
RAW = (SCRIPT, "<img src=x")


@pytest.fixture
def hostile(study, alice):
    panel = PanelFactory(study=study, code_prefix="E")
    experts = [ExpertFactory(panel=panel, code=f"E{n:02d}", name=NAME) for n in range(1, 4)]
    # Round 1, answered on paper (the proxy log keeps old → new), then closed for coding.
    round_one = open_round(study, panel)
    question = OpenQuestionFactory(delphi_round=round_one, text=f"Question{SCRIPT}")
    submission = submission_start(
        delphi_round=round_one, expert=experts[0], channel=Channel.PAPER, entered_by=alice
    )
    open_answers_save(submission=submission, question=question, texts=[ANSWER], actor=alice)
    Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.SUBMITTED)
    round_one.status = Round.Status.CLOSED
    round_one.save(update_fields=["status"])
    # Round 2 rated, commented and frozen.
    domain = DomainFactory(study=study, title="Domain")
    statement = StatementFactory(study=study, domain=domain, text=STATEMENT)
    round_two, _items = rating_round(study, panel, number=2, statements=[statement])
    answer(round_two, {expert: [4] for expert in experts})
    Rating.objects.filter(submission__expert=experts[0]).update(comment=COMMENT)
    close(round_two)
    # A confirmation round where a qualified person left a suggestion for a domain.
    confirmation, items = confirmation_round(study)
    item_domain = items[0].statement.domain
    items[0].statement.text = STATEMENT
    items[0].statement.save(update_fields=["text"])
    person = ExpertFactory(panel=confirmation.panel, code="Q01", name=NAME)
    confirmed = Submission.objects.create(
        delphi_round=confirmation, expert=person, status=Submission.Status.SUBMITTED
    )
    Rating.objects.bulk_create(
        Rating(submission=confirmed, item=item, criterion=code, value=4)
        for item in items
        for code in CRITERIA
    )
    DomainSuggestion.objects.create(submission=confirmed, domain=item_domain, text=SUGGESTION)
    close(confirmation)
    return {
        "panel": panel,
        "round_one": round_one,
        "round_two": round_two,
        "confirmation": confirmation,
    }


def _glued(text: str) -> str:
    return "".join(text.split())


def _assert_escaped(html: str, *texts: str, where: str) -> None:
    for raw in RAW:
        assert raw not in html, f"{where}: raw {raw!r}"
    for text in texts:
        assert escape(text) in html, f"{where}: {text[:10]} missing or not escaped"


def test_researcher_pages_escape_hostile_text(alice_client, study, hostile):
    def page(name, **kwargs):
        response = alice_client.get(reverse(name, kwargs={"study_pk": study.pk, **kwargs}))
        assert response.status_code == 200, name
        return response.content.decode()

    panel, round_one = hostile["panel"], hostile["round_one"].pk
    round_two, confirmation = hostile["round_two"].pk, hostile["confirmation"].pk

    _assert_escaped(page("panels:panel_detail", panel_pk=panel.pk), NAME, where="panel")
    _assert_escaped(page("rounds:coding", round_pk=round_one), ANSWER, STATEMENT, where="coding")
    _assert_escaped(page("rounds:proxy_log", round_pk=round_one), ANSWER, where="proxy log")
    _assert_escaped(page("rounds:tracking", round_pk=round_two), NAME, where="tracking")
    _assert_escaped(page("analysis:round_results", round_pk=round_two), STATEMENT, where="results")
    _assert_escaped(
        page("analysis:round_results", round_pk=confirmation),
        STATEMENT,
        SUGGESTION,
        where="confirmation results",
    )


def test_expert_pages_escape_hostile_text(client, study, hostile):
    rated = hostile["round_two"]
    later, _items = rating_round(
        study,
        rated.panel,
        number=3,
        statements=[item.statement for item in rated.items.all()],
        previous_round=rated,
    )
    expert = rated.panel.experts.get(code="E01")
    Expert.objects.filter(pk=expert.pk).update(consent_given_at=timezone.now())
    draft = Submission.objects.create(delphi_round=later, expert=expert)
    Rating.objects.create(submission=draft, item=later.items.get(), value=4, comment=COMMENT)
    # Round 1's kind of page, in a panel of its own whose round is still open.
    asker = PanelFactory(study=study, code_prefix="F")
    round_one = open_round(study, asker, number=5)
    question = OpenQuestionFactory(delphi_round=round_one)
    writer, writer_token = consented_expert(asker, name=NAME)
    own = Submission.objects.create(delphi_round=round_one, expert=writer)
    OpenAnswer.objects.create(submission=own, question=question, position=1, text=ANSWER)
    token = expert_token(expert)

    pages = {
        "start": client.get(reverse("expert:start", kwargs={"token": token})),
        "rating": client.get(
            reverse("expert:round", kwargs={"token": token, "round_pk": later.pk})
        ),
        "open": client.get(
            reverse("expert:round", kwargs={"token": writer_token, "round_pk": round_one.pk})
        ),
    }

    assert {name: page.status_code for name, page in pages.items()} == dict.fromkeys(pages, 200)
    _assert_escaped(pages["start"].content.decode(), where="start")
    _assert_escaped(pages["rating"].content.decode(), STATEMENT, COMMENT, where="rating round")
    _assert_escaped(pages["open"].content.decode(), ANSWER, where="open round")


def test_pdf_reports_print_hostile_text_literally(study, hostile):
    round_text = _glued(
        pdf_text(round_report_pdf(delphi_round=hostile["round_two"], language="en"))
    )
    final_text = _glued(pdf_text(final_report_pdf(study=study, language="en")))

    # Printed as characters: a tag that had been taken for markup would be missing. Lines may
    # wrap inside the text (after "</"), so spaces are left out of the comparison.
    assert _glued(STATEMENT) in round_text
    assert _glued(STATEMENT) in final_text


def test_workbook_holds_no_formula_outside_the_computation_sheet(hostile):
    rated = Round.objects.select_related("study", "panel", "previous_round").get(
        pk=hostile["round_two"].pk
    )
    workbook = openpyxl.load_workbook(
        io.BytesIO(round_workbook(delphi_round=rated, language="en", include_roster=True))
    )

    formulas = {
        (sheet.title, cell.coordinate)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    }
    texts = [
        cell.value
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]

    assert formulas, "the Computation sheet's live formulas are expected"
    assert {title for title, _cell in formulas} <= {"Computation"}
    assert any(STATEMENT in text for text in texts)
    assert any(COMMENT in text for text in texts)
    assert any(NAME in text for text in texts)
