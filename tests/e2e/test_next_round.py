"""A researcher builds round 3 from the statements round 2 left without consensus, previews it
as an expert sees it, and opens it — on a phone."""

import datetime

import pytest
from django.utils import timezone

from rounds.models import Round
from tests.e2e.conftest import has_no_horizontal_scroll, sign_in
from tests.panels.factories import ExpertFactory, PanelFactory, StudyFactory, UserFactory
from tests.rounds.factories import DomainFactory, closed_rating_round, rating_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_researcher_builds_previews_and_opens_round_3(phone_page, password):
    alice = UserFactory(username="alice")
    study = StudyFactory(owner=alice, title="เครือข่ายความร่วมมือ")
    panel = PanelFactory(study=study, name="ผู้เชี่ยวชาญ")
    ExpertFactory.create_batch(3, panel=panel)
    domains = [DomainFactory(study=study, order=1), DomainFactory(study=study, order=2)]
    round_2, items = closed_rating_round(
        study, panel, consensus=[True, False, True, False, False], number=2, domains=domains
    )
    unsettled = [items[1], items[3], items[4]]
    round_3, _none = rating_round(
        study,
        panel,
        statements=0,
        number=3,
        status=Round.Status.DRAFT,
        closes_at=timezone.now() + datetime.timedelta(days=14),
    )
    page = phone_page
    sign_in(page, "alice", password)

    page.goto(round_3.get_absolute_url())
    page.click("a[href$='/build/']")
    page.check(f"input[name=source][value='{round_2.pk}:without']")
    page.click("#fill-round")
    page.wait_for_selector(".build-item")

    texts = page.locator(".build-item").all_inner_texts()
    assert len(texts) == 3
    assert all(any(i.statement.text in t for t in texts) for i in unsettled)
    assert has_no_horizontal_scroll(page)
    # Reorder without a page load: the second domain holds two of them; its first goes down.
    second_domain = page.locator("#items .card-body").last
    first, second = (
        int(item.get_attribute("data-statement"))
        for item in second_domain.locator(".build-item").all()
    )
    second_domain.locator(".build-item").first.locator(
        "form:has(input[name=action][value=down]) button"
    ).click()
    page.wait_for_function(
        "pk => document.querySelector('#items .card-body:last-child .build-item')"
        ".dataset.statement === String(pk)",
        arg=second,
    )
    assert list(round_3.items.order_by("order").values_list("statement_id", flat=True))[1:] == [
        second,
        first,
    ]

    page.click("#preview-link")
    page.wait_for_url("**/preview/")
    assert page.locator("#preview-banner").is_visible()
    for item in unsettled:
        assert page.get_by_text(item.statement.text).is_visible()
    assert page.get_by_text(items[0].statement.text).count() == 0
    assert page.locator("input[type=radio]").first.is_disabled()
    assert page.locator(".feedback").count() == 3
    assert has_no_horizontal_scroll(page)

    page.goto(round_3.get_absolute_url())
    page.click("a[href$='/open/']")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/tracking/")

    round_3.refresh_from_db()
    study.refresh_from_db()
    assert round_3.status == Round.Status.OPEN
    assert round_3.previous_round == round_2
    assert study.rules_locked_at is not None
    assert page.foreign_requests == []
