"""The rating questionnaire renders its statements once and reuses them (questionnaire.row_html).

What an expert relies on: the page shows their own link's autosave addresses and their own
answers, in their language, and the statements as they are now — never another expert's page
or an old text.
"""

import re

import pytest
from django.urls import reverse

from rounds.answering import questionnaire
from tests.panels.factories import PanelFactory
from tests.rounds.factories import (
    RatingFactory,
    SubmissionFactory,
    consented_expert,
    rating_round,
    round_after_frozen_round,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_row_cache():
    # Each test starts from nothing cached, as a fresh server process does.
    questionnaire._ROW_CACHE.clear()
    yield
    questionnaire._ROW_CACHE.clear()


@pytest.fixture
def panel(study):
    return PanelFactory(study=study)


def _page(client, token, delphi_round, language="en") -> str:
    client.cookies["django_language"] = language
    response = client.get(
        reverse("expert:round", kwargs={"token": token, "round_pk": delphi_round.pk})
    )
    assert response.status_code == 200
    page = response.content.decode()
    # The CSRF token and the script's CSP nonce differ from response to response; nothing else may.
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"|nonce="[^"]*"', "", page)
    return page[page.index("<main") : page.index("</main>")]


def _radio(item, value: int) -> str:
    return f'id="rating-{item.pk}-{value}"'


def _checked(page: str, item, value: int) -> bool:
    start = page.index(_radio(item, value))
    return " checked" in page[start : page.index(">", start)]


def test_each_expert_gets_their_own_autosave_address_and_answers(client, study, panel):
    delphi_round, items = rating_round(study, panel, statements=2)
    first, first_token = consented_expert(panel)
    _second, second_token = consented_expert(panel)
    RatingFactory(
        submission=SubmissionFactory(delphi_round=delphi_round, expert=first),
        item=items[0],
        value=4,
    )

    first_page = _page(client, first_token, delphi_round)
    second_page = _page(client, second_token, delphi_round)

    assert _checked(first_page, items[0], 4)
    assert not any(_checked(second_page, items[0], value) for value in range(1, 6))
    assert second_token in second_page and first_token not in second_page
    own_url = reverse(
        "expert:autosave_rating",
        kwargs={"token": second_token, "round_pk": delphi_round.pk, "item_pk": items[1].pk},
    )
    assert f'hx-post="{own_url}"' in second_page


def test_the_page_follows_the_language(client, study, panel):
    delphi_round, _items = rating_round(study, panel, statements=1, allow_cannot_judge=True)
    _expert, token = consented_expert(panel)

    english = _page(client, token, delphi_round, "en")
    thai = _page(client, token, delphi_round, "th")

    assert "Cannot judge" in english and "Add a comment (optional)" in english
    assert "Cannot judge" not in thai and "ไม่สามารถประเมินได้" in thai


def test_an_edited_statement_and_relabelled_scale_show_at_once(client, study, panel):
    delphi_round, items = rating_round(study, panel, statements=1)
    _expert, token = consented_expert(panel)
    assert items[0].statement.text in _page(client, token, delphi_round)

    # As after the round is reopened and the researcher rewords the statement, then the scale.
    statement = items[0].statement
    statement.text = "ข้อความที่แก้แล้ว (edited)"
    statement.save()
    assert "ข้อความที่แก้แล้ว (edited)" in _page(client, token, delphi_round)

    study.scale_labels = ["one", "two", "three", "four", "five (relabelled)"]
    study.save()
    assert "5 · five (relabelled)" in _page(client, token, delphi_round)


def test_a_page_from_the_cache_equals_the_page_rendered_afresh(client, study, panel):
    """With the previous round's feedback, a premarked answer and the reason rule: every part
    of a statement the cache could get wrong."""
    expert, token = consented_expert(panel)
    delphi_round, _items = round_after_frozen_round(study, panel, values=(1, 4, 5), expert=expert)

    fresh = _page(client, token, delphi_round, "th")
    assert questionnaire._ROW_CACHE, "the statements were kept"
    cached = _page(client, token, delphi_round, "th")
    questionnaire._ROW_CACHE.clear()
    afresh_again = _page(client, token, delphi_round, "th")

    assert cached == fresh == afresh_again
    assert "own-previous" in cached and "feedback" in cached
