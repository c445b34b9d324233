"""Setting a statement aside asks for a reason, shows it, and can be undone, in place."""

import re

import pytest

from rounds.models import Statement
from tests.e2e.conftest import sign_in
from tests.panels.factories import StudyFactory, UserFactory
from tests.rounds.factories import answered_round, statement_from

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "เรื่องค่าตอบแทนครู ไม่อยู่ในขอบเขตของการศึกษา"


def _htmx_idle(page) -> None:
    page.wait_for_function(
        "() => !document.querySelector("
        "'.htmx-request, .htmx-settling, .htmx-added, .htmx-swapping')"
    )


def test_a_statement_is_set_aside_with_a_reason_and_brought_back(page, password):
    study = StudyFactory(owner=UserFactory(username="alice"))
    answered = answered_round(study, experts=2, questions=1)
    statement = statement_from(answered.answers)
    sign_in(page, "alice", password)
    page.goto(f"/studies/{study.pk}/rounds/{answered.delphi_round.pk}/coding/")

    card = page.locator(f"#statement-{statement.pk}")
    card.locator("a[href$='/out-of-scope/']").click()
    # The reason is required before anything is sent (the server says so too, without a script).
    assert card.locator("input[name=reason]").get_attribute("required") is not None
    card.locator(".coding-form button[type=submit]").click()
    statement.refresh_from_db()
    assert statement.status == Statement.Status.ACTIVE, "no reason, nothing set aside"

    card.locator("input[name=reason]").fill(REASON)
    card.locator(".coding-form button[type=submit]").click()
    page.locator(f"#coding-retired #statement-{statement.pk}").wait_for(state="attached")
    _htmx_idle(page)
    statement.refresh_from_db()
    assert (statement.status, statement.out_of_scope_reason) == (
        Statement.Status.OUT_OF_SCOPE,
        REASON,
    )

    page.locator("#coding-retired summary").click()
    retired = page.locator(f"#coding-retired #statement-{statement.pk}")
    assert REASON in retired.locator("[data-out-of-scope-reason]").inner_text()
    retired.locator("form[action$='/restore/'] button").click()
    page.locator(f"#coding-retired #statement-{statement.pk}").wait_for(state="detached")
    _htmx_idle(page)
    statement.refresh_from_db()
    assert (statement.status, statement.out_of_scope_reason) == (Statement.Status.ACTIVE, "")
    assert re.search(r"/coding/", page.url)
