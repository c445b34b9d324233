"""Two researchers coding at once, in the browser: a colleague's save is shown, not overwritten."""

import pytest
from django.urls import reverse

from panels.models import StudyMember
from rounds.models import Statement
from tests.e2e.conftest import close_page, new_page, sign_in
from tests.panels.factories import PASSWORD, StudyMemberFactory, UserFactory
from tests.rounds.factories import answered_round, statement_from

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_edit_form(page, workspace: str, statement: Statement):
    page.goto(workspace)
    page.locator(f"#statement-{statement.pk} .coding-actions a", has_text="แก้ไข").click()
    return page.locator(f"#statement-slot-{statement.pk} .coding-form")


def test_a_colleagues_save_is_shown_in_place_of_the_stale_form(
    browser, live_server, page, study, alice
):
    answered = answered_round(study, experts=2, questions=1)
    statement = statement_from(answered.answers[:1], text="ถ้อยคำเดิม")
    bob = UserFactory(username="bob")
    StudyMemberFactory(study=study, user=bob, role=StudyMember.Role.EDITOR)
    workspace = reverse(
        "rounds:coding",
        kwargs={"study_pk": study.pk, "round_pk": answered.delphi_round.pk},
    )
    bobs_page = new_page(browser, live_server, {"width": 1280, "height": 900})
    sign_in(page, alice.username, PASSWORD)
    sign_in(bobs_page, bob.username, PASSWORD)

    # Both open the form; Bob saves first, then Alice.
    form = _open_edit_form(page, workspace, statement)
    page.evaluate("window.stillTheSamePage = true")
    bobs_form = _open_edit_form(bobs_page, workspace, statement)
    bobs_form.locator("textarea[name=text]").fill("ถ้อยคำของบ็อบ")
    bobs_form.locator("button.btn-primary[type=submit]").click()
    bobs_page.locator("#coding-notice .alert-success").wait_for()
    close_page(bobs_page)
    form.locator("textarea[name=text]").fill("ถ้อยคำของอลิซ")
    form.locator("button.btn-primary[type=submit]").click()

    warning = page.locator(f"#statement-slot-{statement.pk} .coding-form .alert-warning")
    warning.wait_for()
    assert "มีผู้อื่นบันทึกข้อความนี้" in warning.inner_text()
    form = page.locator(f"#statement-slot-{statement.pk} .coding-form")
    assert form.locator("textarea[name=text]").input_value() == "ถ้อยคำของบ็อบ"
    assert form.locator("textarea[readonly]").input_value() == "ถ้อยคำของอลิซ"
    assert page.evaluate("window.stillTheSamePage") is True
    statement.refresh_from_db()
    assert statement.text == "ถ้อยคำของบ็อบ"

    # Having seen Bob's wording, Alice keeps hers after all.
    form.locator("textarea[name=text]").fill("ถ้อยคำของอลิซ")
    form.locator("button.btn-primary[type=submit]").click()
    page.locator("#coding-notice .alert-success").wait_for()
    assert Statement.objects.get(pk=statement.pk).text == "ถ้อยคำของอลิซ"
