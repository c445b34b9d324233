"""The researcher's path from coded answers to a third round, in the browser: build round 2
from the statements, preview and open it; after the experts have rated, close it and read the
results; build round 3 from the statements that did not reach consensus."""

import datetime

import pytest
from django.utils import timezone

from demo.services import demo_study_load
from panels.models import Expert
from rounds.answering.services import rating_save, submission_start, submission_submit
from rounds.coding.statements import statement_create_from_answers
from rounds.models import ItemResult, OpenAnswer, Round
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Per statement, the ratings of six experts: the first two agree, the third is split.
RATINGS = [(5, 5, 5, 4, 5, 5), (4, 5, 4, 4, 5, 4), (1, 5, 2, 5, 1, 5)]


def _statements(study, demo_user):
    """Three statements coded from round 1's answers (the coding itself has its own test)."""
    domain = study.domains.order_by("order").first()
    answers = list(OpenAnswer.objects.filter(submission__delphi_round__study=study)[:6])
    return [
        statement_create_from_answers(
            study=study,
            answers=answers[2 * i : 2 * i + 2],
            text=text,
            domain=domain,
            actor=demo_user,
        )
        for i, text in enumerate(["สร้างความตระหนักร่วมกัน", "ประสานหน่วยงานภาคี", "จัดตั้งกองทุนเครือข่าย"])
    ]


def _experts_rate(delphi_round):
    experts = Expert.objects.filter(panel=delphi_round.panel).order_by("code")[:6]
    items = list(delphi_round.items.order_by("order"))
    for column, expert in enumerate(experts):
        submission = submission_start(delphi_round=delphi_round, expert=expert)
        for item, values in zip(items, RATINGS, strict=True):
            rating_save(submission=submission, item=item, value=values[column])
        submission_submit(submission=submission)


def _confirm(page, action: str) -> None:
    page.click(f"main a[href$='/{action}/']")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def test_from_statements_to_round_three(page, password):
    demo = demo_study_load(until_round=1)
    study, demo_user = demo.study, demo.study.owner
    statements = _statements(study, demo_user)
    round_2 = study.rounds.get(number=2)
    round_2.opens_at, round_2.closes_at = None, timezone.now() + datetime.timedelta(days=14)
    round_2.save()
    sign_in(page, "demo", "demo-delphi-2562")

    page.goto(round_2.get_absolute_url())
    page.click("main a[href$='/build/']")
    page.check("input[name=source][value=statements]")
    page.click("#fill-round")
    page.wait_for_selector(".build-item")
    assert page.locator(".build-item").count() == len(statements)
    page.click("#preview-link")
    page.wait_for_url("**/preview/")
    assert all(page.get_by_text(s.text).is_visible() for s in statements)
    page.goto(round_2.get_absolute_url())
    _confirm(page, "open")
    round_2.refresh_from_db()
    assert round_2.status == Round.Status.OPEN

    _experts_rate(round_2)
    page.goto(round_2.get_absolute_url())
    _confirm(page, "close")
    round_2.refresh_from_db()
    assert round_2.status == Round.Status.CLOSED
    page.goto(round_2.get_absolute_url())
    page.click("main a[href$='/results/']")
    page.wait_for_url("**/results/")
    table = page.locator("main").inner_text()
    assert all(s.text in table for s in statements)
    split = ItemResult.objects.get(item__delphi_round=round_2, item__statement=statements[2])
    assert split.consensus is False

    round_3 = study.rounds.get(number=3)
    round_3.opens_at, round_3.closes_at = None, timezone.now() + datetime.timedelta(days=28)
    round_3.save()
    page.goto(round_3.get_absolute_url())
    page.click("main a[href$='/build/']")
    page.check(f"input[name=source][value='{round_2.pk}:without']")
    page.click("#fill-round")
    page.wait_for_selector(".build-item")

    assert page.locator(".build-item").all_inner_texts()[0].count(statements[2].text) == 1
    assert list(round_3.items.values_list("statement", flat=True)) == [statements[2].pk]
    assert page.foreign_requests == []
