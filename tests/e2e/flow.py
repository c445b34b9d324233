"""Steps shared by the browser tests that run a whole study (test_seed_study, test_new_study):
forms, confirmations, personal links, answering on a phone, the coding search, building a
round and downloading a report."""

import datetime
import re
import time
from pathlib import Path

from django.utils import timezone

from rounds.coding.selectors import answers_matching
from rounds.models import Round


class Watch:
    """Every page the test drives: requests to other hosts, script errors, server errors."""

    def __init__(self):
        self.pages = []
        self.errors = []

    def add(self, page):
        self.pages.append(page)
        page.on("pageerror", lambda error: self.errors.append(f"script: {error}"))
        page.on(
            "response",
            lambda response: (
                self.errors.append(f"{response.status} {response.url}")
                if response.status >= 500
                else None
            ),
        )
        return page


class Laps:
    """How long each stage took; printed as it ends (seen with `pytest -s`)."""

    def __init__(self, title: str = "seed study"):
        self.title = title
        self.started = self.last = time.monotonic()

    def lap(self, name: str) -> None:
        now = time.monotonic()
        print(f"{self.title}: {name} {now - self.last:.1f} s (total {now - self.started:.1f} s)")
        self.last = now


def submit_main_form(page) -> None:
    page.locator("main form [type=submit]").last.click()
    page.wait_for_load_state()


def fill_form(page, url_part: str, fields: dict[str, str], choices: dict | None = None):
    """Follow the link ending in `url_part`, fill the form (choices: select name -> option
    value) and send it."""
    page.click(f"main a[href$='{url_part}']")
    for name, value in fields.items():
        page.fill(f"[name={name}]", value)
    for name, value in (choices or {}).items():
        page.select_option(f"select[name={name}]", str(value))
    submit_main_form(page)


def confirm(page, delphi_round: Round, action: str) -> None:
    page.goto(delphi_round.get_absolute_url())
    page.click(f"main a[href$='/{action}/']")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def htmx_idle(page) -> None:
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-added, "
        ".htmx-swapping')"
    )


def saved(page, status_id: str) -> None:
    page.locator(f"#{status_id} .text-success").wait_for()


def deadline(days: int, *, buddhist: bool = False) -> str:
    """A deadline `days` from now: as a script posts it (ISO), or as a Thai researcher types
    it (dd/mm/yyyy hh:mm, the year in the Buddhist era)."""
    when = timezone.localtime() + datetime.timedelta(days=days)
    if buddhist:
        return f"{when:%d/%m}/{when.year + 543} {when:%H:%M}"
    return when.strftime("%Y-%m-%dT%H:%M")


def links(page, delphi_round: Round) -> dict[str, str]:
    """Each expert's personal link, as the tracking page gives it to copy."""
    page.goto(delphi_round.get_absolute_url())
    page.click("main a[href$='/tracking/']")
    page.wait_for_url("**/tracking/")
    links = {}
    for row in page.locator("tr[data-code]").all():
        links[row.get_attribute("data-code")] = row.locator("input[id^=link-]").input_value()
    return links


def open_round(phone, link: str, delphi_round: Round) -> None:
    """From the personal link: consent the first time, then the round's questionnaire."""
    phone.goto(link)
    if phone.locator("#consent-button").count():
        phone.click("#consent-button")
    phone.click(f"main a[href$='/rounds/{delphi_round.pk}/']")
    phone.wait_for_url(re.compile(rf"/rounds/{delphi_round.pk}/$"))


def submit(phone, autosave: bool) -> None:
    if autosave:
        htmx_idle(phone)
    phone.click("#submit-answers")
    phone.wait_for_load_state()


# A phone without script sends nothing before the questionnaire itself: its boxes and
# buttons are set in one step (what typing and tapping leave behind), and only those the
# expert can see — a reason box the page keeps hidden stays empty.
SET_ALL = """([texts, radios]) => {
    for (const [id, text] of Object.entries(texts)) {
        const box = document.getElementById(id);
        if (!box.closest("[hidden]")) { box.value = text; }
    }
    for (const id of radios) { document.getElementById(id).checked = true; }
}"""


def answer(phone, autosave: bool, texts: dict[str, str], radios: list[str]) -> None:
    """Write the texts (box id -> text) and choose the radios, then submit.

    With autosave, one at a time, each saved before the next (status `status-<item>`)."""
    if autosave:
        for radio in radios:
            phone.locator(f"label[for={radio}]").click()
            saved(phone, "status-" + radio.removeprefix("rating-").rsplit("-", 1)[0])
        for box, text in texts.items():
            phone.fill(f"#{box}", text)
            phone.locator(f"#{box}").blur()
            saved(phone, "status-" + box.split("-", 1)[1])
    else:
        phone.evaluate(SET_ALL, [texts, radios])
    submit(phone, autosave)


def search(page, delphi_round: Round, query: str) -> list[int]:
    """Type into the workspace's search box; the answers it lists then (their pks)."""
    expected = sorted(answers_matching(delphi_round, query).values_list("pk", flat=True))
    box = page.locator("#coding-q")
    box.fill(query)
    # A key released in the box runs the search (HTMX, one request). Enter would also submit
    # the form and fire the box's "search" event: two or three requests at once, which the
    # single database connection SQLite's browser tests share between threads cannot serve.
    box.press("End")
    page.wait_for_function(
        "pks => JSON.stringify([...document.querySelectorAll('#coding-answers .coding-answer')]"
        ".map(row => Number(row.id.slice('answer-'.length))).sort((a, b) => a - b))"
        " === JSON.stringify(pks)",
        arg=expected,
        # The workspace of hundreds of answers renders slowly while the other test worker
        # loads the machine too: more time, the same condition.
        timeout=45_000,
    )
    htmx_idle(page)
    return expected


def build(page, delphi_round: Round, source: str, *, reasons: bool | None = None) -> None:
    """Fill the round from `source`; `reasons`: ask reasons (True), ask none (False) or leave
    the round's setting (None)."""
    page.goto(delphi_round.get_absolute_url())
    page.click("main a[href$='/build/']")
    page.check(f"input[name=source][value='{source}']")
    if reasons is False and page.locator("input[name=require_reason_outside_iqr]").count():
        page.uncheck("input[name=require_reason_outside_iqr]")
        page.uncheck("input[name=require_reason_when_unchanged]")
    if reasons:
        page.check("input[name=require_reason_outside_iqr]")
        # The seed's experts give reasons for kept answers too (seed_flow.KEPT_REASON).
        page.check("input[name=require_reason_when_unchanged]")
    page.click("#fill-round")
    page.wait_for_selector(".build-item")


def download(page, button: str, scope: str = "study") -> bytes:
    with page.expect_download(timeout=90_000) as info:
        # A PDF takes seconds to lay out, more on a machine running tests in parallel.
        button = page.locator(f"#downloads-{scope}").get_by_role("button", name=button, exact=True)
        button.click(timeout=90_000)
    return Path(info.value.path()).read_bytes()
