"""The researcher codes the demo study's round-1 answers in the browser, desktop and phone."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from demo.services import DEMO_PASSWORD, DEMO_USERNAME
from panels.models import Study
from rounds.coding.scope import answer_restore
from rounds.coding.selectors import codable_answers, coding_progress
from rounds.coding.statements import statement_remove_source
from rounds.models import OpenAnswer, Statement, StatementSource
from tests.e2e.conftest import has_no_horizontal_scroll, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_round(settings):
    # The demo loader hashes its public password with the real (slow) hasher otherwise.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo_study", "--force", "--quiet")
    study = Study.objects.get(owner__username=DEMO_USERNAME)
    return study.rounds.get(number=1)


def _uncoded_answers(delphi_round, count: int) -> list[OpenAnswer]:
    """`count` answers of the first question, freed of any coding the demo may already have.

    The demo may come with round 1 coded; the test needs answers nobody has coded yet, so it
    undoes their coding through the same services the workspace uses.
    """
    question = delphi_round.questions.order_by("order", "pk").first()
    answers = list(
        codable_answers(delphi_round)
        .filter(question=question)
        .select_related("submission__expert", "question__delphi_round__study")
        .order_by("submission__expert__code", "position")[:count]
    )
    owner = delphi_round.study.owner
    for answer in answers:
        for link in StatementSource.objects.filter(answer=answer).select_related("statement"):
            statement_remove_source(statement=link.statement, answer=answer, actor=owner)
        if answer.out_of_scope_reason:
            answer_restore(answer=answer, actor=owner)
    return answers


def _progress(page) -> str:
    return page.locator("[data-progress]").get_attribute("data-progress")


def _htmx_idle(page) -> None:
    page.wait_for_function(
        "() => !document.querySelector("
        "'.htmx-request, .htmx-settling, .htmx-added, .htmx-swapping')"
    )


def _workspace_url(delphi_round) -> str:
    return reverse(
        "rounds:coding", kwargs={"study_pk": delphi_round.study_id, "round_pk": delphi_round.pk}
    )


def test_researcher_creates_merges_and_sets_aside_without_page_reloads(page, demo_round):
    first, second, third, fourth = _uncoded_answers(demo_round, 4)
    before = coding_progress(demo_round)
    sign_in(page, DEMO_USERNAME, DEMO_PASSWORD)
    page.goto(demo_round.get_absolute_url())
    page.click(f"a[href='{_workspace_url(demo_round)}']")
    page.wait_for_url(f"**{_workspace_url(demo_round)}")
    assert _progress(page) == f"{before.coded}/{before.total}"
    # Survives only as long as the page is never reloaded.
    page.evaluate("window.stillTheSamePage = true")

    # A statement from two answers; the wording starts as the first answer's, edited here.
    page.check(f"#pick-{first.pk}")
    page.check(f"#pick-{second.pk}")
    page.click("#answers-form button[type=submit]")
    create_form = page.locator("#coding-create-form")
    text = create_form.locator("textarea[name=text]")
    assert text.input_value() == first.text.strip()
    text.fill("ยึดหลักการเครือข่ายและการมีส่วนร่วม")
    create_form.locator("form").first.locator("button[type=submit]").click()
    page.locator("#coding-notice .alert-success").wait_for()
    _htmx_idle(page)
    created = Statement.objects.get(text="ยึดหลักการเครือข่ายและการมีส่วนร่วม")
    assert {link.answer_id for link in StatementSource.objects.filter(statement=created)} == {
        first.pk,
        second.pk,
    }
    assert _progress(page) == f"{before.coded + 2}/{before.total}"
    assert page.locator(f"#answer-{first.pk} [data-became]").count() == 1

    # A second statement from a third answer, then merged into the first.
    page.check(f"#pick-{third.pk}")
    page.click("#answers-form button[type=submit]")
    page.locator("#coding-create-form textarea[name=text]").fill("ความร่วมมือโดยสมัครใจ")
    page.locator("#coding-create-form form").first.locator("button[type=submit]").click()
    page.locator(".coding-statement", has_text="ความร่วมมือโดยสมัครใจ").wait_for()
    _htmx_idle(page)
    duplicate = Statement.objects.get(text="ความร่วมมือโดยสมัครใจ")
    card = page.locator(f"#statement-{duplicate.pk}")
    card.locator("a[href$='/merge/']").click()
    card.locator("select[name=target]").select_option(str(created.pk))
    card.locator(".coding-form button[type=submit]").click()
    page.locator(f"#coding-retired #statement-{duplicate.pk}").wait_for(state="attached")
    _htmx_idle(page)
    duplicate.refresh_from_db()
    assert duplicate.merged_into == created
    assert third.pk in StatementSource.objects.filter(statement=created).values_list(
        "answer_id", flat=True
    )
    assert (
        page.locator(f"#statement-{created.pk} .coding-sources").get_attribute("data-source-count")
        == "3"
    )

    # An answer outside the study's scope, with the reason.
    row = page.locator(f"#answer-{fourth.pk}")
    row.locator("a[href$='/out-of-scope/']").click()
    row.locator("input[name=reason]").fill("เป็นเรื่องงบประมาณของเขตพื้นที่ ไม่ใช่เครือข่าย")
    row.locator(".coding-form button[type=submit]").click()
    page.locator(f"#answer-{fourth.pk} [data-out-of-scope]").wait_for()
    _htmx_idle(page)
    fourth.refresh_from_db()
    assert fourth.out_of_scope_reason == "เป็นเรื่องงบประมาณของเขตพื้นที่ ไม่ใช่เครือข่าย"
    assert _progress(page) == f"{before.coded + 4}/{before.total}"

    assert page.evaluate("window.stillTheSamePage") is True
    assert page.foreign_requests == []


def test_workspace_fits_a_phone_and_searches_as_the_researcher_types(phone_page, demo_round):
    page = phone_page
    first = _uncoded_answers(demo_round, 1)[0]
    code = first.submission.expert.code
    sign_in(page, DEMO_USERNAME, DEMO_PASSWORD)
    page.goto(_workspace_url(demo_round))

    assert has_no_horizontal_scroll(page)
    # Stacked on a phone: the statements come below the answers, not beside them.
    answers_box = page.locator("#coding-answers").bounding_box()
    statements_box = page.locator("#coding-statements").bounding_box()
    assert statements_box["y"] > answers_box["y"] + answers_box["height"] - 1

    page.locator("#coding-q").press_sequentially(code)
    page.wait_for_function(
        "code => [...document.querySelectorAll("
        "'#coding-answers .coding-answer .badge.text-bg-dark')]"
        ".every(badge => badge.textContent.trim() === code)",
        arg=code,
    )
    _htmx_idle(page)
    assert page.locator(f"#answer-{first.pk}").is_visible()
    page.check(f"#pick-{first.pk}")
    page.click("#answers-form button[type=submit]")
    page.locator("#coding-create-form textarea[name=text]").wait_for()
    assert has_no_horizontal_scroll(page)
    assert page.foreign_requests == []
