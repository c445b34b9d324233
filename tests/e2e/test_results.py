"""The researcher reads the demo study's round-3 results, filters them, sees the verdict."""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from demo.services import DEMO_PASSWORD, DEMO_USERNAME, demo_study_load
from tests.e2e.conftest import has_no_horizontal_scroll, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def round_three(live_server):
    study = demo_study_load().study
    return study.rounds.get(number=3)


def english(page, live_server):
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )


def test_researcher_filters_round_three_results_and_reads_the_verdict(
    page, live_server, round_three
):
    english(page, live_server)
    sign_in(page, DEMO_USERNAME, DEMO_PASSWORD)

    page.goto(round_three.get_absolute_url())
    page.get_by_role("link", name="Results", exact=True).click()
    page.wait_for_url("**/results/")

    verdict = page.locator("#verdict")
    assert "Stop: 100 % of statements reached consensus and answers are stable." in (
        verdict.inner_text()
    )
    assert page.locator("#results-table tbody tr").count() == 22

    page.select_option("#id_consensus", "no")

    # HTMX swaps the table in place and puts the filter in the address.
    page.wait_for_selector("#no-match")
    assert page.locator("#results-table tbody tr").count() == 0
    assert "consensus=no" in page.url
    assert page.locator("#verdict").is_visible()

    page.select_option("#id_band", "high")
    page.select_option("#id_consensus", "")
    expect(page.locator("#results-table tbody tr")).to_have_count(4)
    assert page.foreign_requests == []


def test_results_fit_a_phone(phone_page, live_server, round_three):
    page = phone_page
    english(page, live_server)
    sign_in(page, DEMO_USERNAME, DEMO_PASSWORD)

    page.goto(reverse("analysis:round_results", args=[round_three.study_id, round_three.pk]))

    assert page.locator("#verdict").is_visible()
    assert has_no_horizontal_scroll(page)
