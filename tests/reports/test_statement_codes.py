"""One statement, one code: S01, S02, … is given when a statement is created and is what every
page, report and round shows beside it (issue 14, item 1).

A study as a researcher runs it: round 1 answered, statements created over three domains, round
2 built and a statement added in the middle of domain 2, round 3 built from round 2. The
number beside the added statement and beside a neighbour is read from the preview, the
expert page, the proxy form, the results page, the PDF, the Excel workbook and the CSV.
"""

import csv
import html
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from rounds.building.items import round_item_add
from rounds.building.services import round_build_from_round, round_build_from_statements
from rounds.coding.statements import statement_create_from_answers
from rounds.lifecycle.services import round_close, round_open
from rounds.links import expert_token
from rounds.models import Rating, Round, Statement, Submission
from tests.reports.helpers import flat, pdf_text
from tests.rounds.factories import RoundFactory, answered_round

pytestmark = pytest.mark.django_db

ADDED = "Added while building round two"
NEIGHBOUR = "Domain two first statement"


def _label(text: str, page: str) -> str:
    """The number printed just before `text` in `page` (text, HTML or PDF text)."""
    plain = flat(html.unescape(re.sub(r"<[^>]+>", " ", page)))
    found = re.findall(rf"(S?\d+)\.?\s+{re.escape(text)}", plain)
    assert found, f"{text!r} not found"
    assert len(set(found)) == 1, found
    return found[0]


def _get(client, name: str, delphi_round: Round, *extra) -> bytes:
    response = client.get(reverse(name, args=[delphi_round.study_id, delphi_round.pk, *extra]))
    assert response.status_code == 200, (name, response.status_code)
    return response.content


def _excel_labels(content: bytes, text: str) -> set:
    book = openpyxl.load_workbook(io.BytesIO(content))
    labels = set()
    for sheet, column in (("Items", 3), ("Frequencies", 2)):
        for row in book[sheet].iter_rows(min_row=2, values_only=True):
            if row[column - 1] == text:
                labels.add(row[0])
    return labels


def _csv_columns(content: bytes) -> dict[str, list[str]]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    return {label: [row[j] for row in rows[1:]] for j, label in enumerate(rows[0])}


def _build_and_open(study, panel, number, alice, *, source=None) -> Round:
    delphi_round = RoundFactory(
        study=study, panel=panel, number=number, kind=Round.Kind.RATING, status=Round.Status.DRAFT
    )
    if source is None:
        round_build_from_statements(delphi_round=delphi_round, actor=alice)
    else:
        round_build_from_round(
            delphi_round=delphi_round,
            source_round=source,
            only_without_consensus=False,
            actor=alice,
        )
    return delphi_round


def _rate_and_close(delphi_round, experts, alice) -> None:
    """Every expert rates the added statement 1, its neighbour 2 and the others 5."""
    values = {ADDED: 1, NEIGHBOUR: 2}
    items = list(delphi_round.items.select_related("statement"))
    for expert in experts:
        submission = Submission.objects.create(
            delphi_round=delphi_round, expert=expert, status=Submission.Status.SUBMITTED
        )
        Rating.objects.bulk_create(
            Rating(submission=submission, item=item, value=values.get(item.statement.text, 5))
            for item in items
        )
    round_close(delphi_round=delphi_round, actor=alice)


def test_a_statement_has_the_same_code_in_every_place_and_round(alice, alice_client, study):
    one = answered_round(study, experts=3, questions=3)
    panel = one.delphi_round.panel
    experts = [submission.expert for submission in one.submissions]
    for expert in experts:
        expert.consent_given_at = timezone.now()
        expert.save(update_fields=["consent_given_at"])
    domains = [question.domain for question in one.questions]
    answers_of = {
        q.domain_id: [a for a in one.answers if a.question_id == q.pk] for q in one.questions
    }
    # Domain 3 first, then 1, then 2: creation order and questionnaire order differ.
    for d in (2, 0, 1):
        domain = domains[d]
        for n, name in enumerate(("first", "second", "third")):
            text = NEIGHBOUR if (d, n) == (1, 0) else f"Domain {d + 1} {name} item"
            statement_create_from_answers(
                study=study,
                answers=answers_of[domain.pk][:1],
                text=text,
                domain=domain,
                actor=alice,
            )

    two = _build_and_open(study, panel, 2, alice)
    round_item_add(delphi_round=two, text=ADDED, domain=domains[1], actor=alice)
    round_open(delphi_round=two, actor=alice)
    token = expert_token(experts[0])

    places: dict[str, dict[str, str]] = {ADDED: {}, NEIGHBOUR: {}}
    pages = {
        "preview": _get(alice_client, "rounds:preview", two).decode(),
        "expert page": alice_client.get(
            reverse("expert:round", args=[token, two.pk])
        ).content.decode(),
        "proxy form": _get(alice_client, "rounds:proxy_entry", two, experts[0].pk).decode(),
    }
    _rate_and_close(two, experts, alice)
    pages["results page"] = _get(alice_client, "analysis:round_results", two).decode()
    pages["PDF"] = pdf_text(_get(alice_client, "reports:round_pdf", two))
    workbook = _get(alice_client, "reports:round_xlsx", two)
    columns = _csv_columns(_get(alice_client, "reports:round_csv", two))

    three = _build_and_open(study, panel, 3, alice, source=two)
    round_open(delphi_round=three, actor=alice)
    pages["round 3 preview"] = _get(alice_client, "rounds:preview", three).decode()
    pages["round 3 expert page"] = alice_client.get(
        reverse("expert:round", args=[token, three.pk])
    ).content.decode()
    _rate_and_close(three, experts, alice)
    pages["round 3 results page"] = _get(alice_client, "analysis:round_results", three).decode()
    columns_three = _csv_columns(_get(alice_client, "reports:round_csv", three))

    for text, rating in ((ADDED, "1"), (NEIGHBOUR, "2")):
        for place, page in pages.items():
            places[text][place] = _label(text, page)
        places[text]["Excel"] = " ".join(sorted(_excel_labels(workbook, text)))
        rated = [label for label, values in columns.items() if values == [rating] * 3]
        places[text]["CSV"] = " ".join(rated)
        rated = [label for label, values in columns_three.items() if values == [rating] * 3]
        places[text]["round 3 CSV"] = " ".join(rated)
        assert len(set(places[text].values())) == 1, (text, places[text])

    # The CSV's columns follow the questionnaire, the added statement within its domain.
    preview = flat(html.unescape(re.sub(r"<[^>]+>", " ", pages["preview"])))
    assert list(columns)[1:] == re.findall(r"(S\d\d)\. ", preview)
    added = Statement.objects.get(text=ADDED)
    neighbour = Statement.objects.get(text=NEIGHBOUR)
    # Nine statements came first, so the added one is S10, wherever it stands in the round.
    assert (added.code, neighbour.code) == ("S10", "S07")
    assert set(places[ADDED].values()) == {"S10"}
    assert set(places[NEIGHBOUR].values()) == {"S07"}
