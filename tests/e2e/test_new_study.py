"""A new study from a blank database, in Thai, as a first-time researcher runs it.

A Thai researcher signs up, sets up a study with three domains and a panel, imports six
experts from Excel (preview, confirm), writes one open question per domain and opens round 1.
Three experts answer on a 390x844 phone through the links copied from the tracking page — E01
pastes its answers (text inserted with an `input` event only, no key events) and must find
them again after a reload — and E04's paper sheet is keyed in by the researcher. The
researcher closes the round, turns the answers into six statements (two per domain) in the
coding workspace, builds round 2 and adds a seventh statement in the middle of the
questionnaire (domain 2), opens it; the experts rate (E04 by proxy); round 3 shows the
previous median and IQR; every report is downloaded.

Then: the added statement and its neighbours carry the same code (S07, S04, S05) in all
seven places — preview, expert page, proxy form, results page, PDF, Excel and CSV — in
rounds 2 and 3; and every figure of rounds 2 and 3 on the results page, in the Excel Items
sheets and in the round PDFs equals `analysis.stats` on the Rating rows.
"""

import csv
import io
import os
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings

from demo.content import DemoPanel, DemoPerson
from panels.models import Expert, Panel, Study
from rounds.models import DEFAULT_CRITERION, Channel, OpenAnswer, Rating, Round, Submission
from tests.e2e import flow
from tests.e2e import seed_flow as seed
from tests.e2e.conftest import TOUCH_PHONE, has_no_horizontal_scroll, new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Delphi-2569-new"  # a throw-away account of the test database
# Screenshots of the main pages go to $DELPHI_SHOTS when it is set (to look at them).
SHOTS = os.environ.get("DELPHI_SHOTS")
TITLE = "แนวทางการพัฒนาการจัดการเรียนรู้ในโรงเรียนขนาดเล็ก"
PANEL = DemoPanel(
    code_prefix="E",
    name="ผู้ทรงคุณวุฒิด้านการศึกษา",
    purpose="ให้ความเห็นและประเมินแนวทาง",
    phone_prefix="08100000",
    people=tuple(
        DemoPerson(name, "ผู้อำนวยการโรงเรียน", "สำนักงานเขตพื้นที่การศึกษา", "ประสบการณ์ 10 ปี")
        for name in (
            "นางสาวกานดา ใจดี",
            "นายชัยวัฒน์ ศรีสุข",
            "ดร.นภา วงศ์ทอง",
            "นายประเสริฐ มีชัย",
            "นางวิไล แก้วมณี",
            "ผศ.สมชาย บุญมา",
        )
    ),
)
# domain title -> (open question, two themes an answer is about; each theme a statement)
DOMAINS = {
    "การจัดการเรียนรู้": (
        "การจัดการเรียนรู้ในโรงเรียนขนาดเล็กควรเป็นอย่างไร",
        ("การเรียนรู้แบบโครงงาน", "เทคโนโลยีดิจิทัลในชั้นเรียน"),
    ),
    "การวัดและประเมินผล": (
        "การวัดและประเมินผลผู้เรียนควรปรับอย่างไร",
        ("การประเมินตามสภาพจริง", "ข้อมูลย้อนกลับแก่ผู้เรียน"),
    ),
    "การพัฒนาครู": (
        "โรงเรียนควรพัฒนาครูอย่างไร",
        ("ชุมชนการเรียนรู้ทางวิชาชีพ", "การนิเทศแบบกัลยาณมิตร"),
    ),
}
ENDINGS = {
    "E01": "ตามบริบทของโรงเรียน",
    "E02": "โดยเฉพาะในโรงเรียนขนาดเล็ก",
    "E03": "และติดตามผลอย่างต่อเนื่อง",
    "E04": "ร่วมกับผู้ปกครองและชุมชน",
}
PASTER, PLAIN, PAPER = "E01", ("E02", "E03"), "E04"
RESPONDENTS = [PASTER, *PLAIN, PAPER]
ADDED = ("ควรใช้แฟ้มสะสมผลงานประกอบการประเมินผู้เรียน", "การวัดและประเมินผล")
# Ratings per statement code, in the order E01..E04.
ROUND_TWO = {
    "S01": (5, 4, 5, 4),
    "S02": (3, 4, 2, 5),
    "S03": (4, 4, 4, 5),
    "S04": (2, 3, 5, 4),
    "S07": (5, 5, 4, 3),
    "S05": (4, 3, 4, 4),
    "S06": (1, 3, 4, 5),
}
ROUND_THREE = {
    "S01": (5, 4, 5, 5),
    "S02": (4, 4, 3, 4),
    "S03": (4, 4, 4, 4),
    "S04": (3, 3, 4, 4),
    "S07": (5, 4, 4, 4),
    "S05": (4, 4, 4, 4),
    "S06": (3, 3, 4, 4),
}
ORDER = list(ROUND_TWO)  # the questionnaire's order: S07 sits inside domain 2
CENT = Decimal("0.01")


def _answer_text(theme: str, code: str) -> str:
    return f"{theme}{ENDINGS[code]}"


def _statement_text(theme: str) -> str:
    return f"โรงเรียนควรส่งเสริม{theme}อย่างเป็นระบบ"


def _two(value) -> Decimal | None:
    """A figure as shown (two decimals, half-up), from a number or a page's text."""
    if value is None:
        return None
    text = str(value).strip().replace(",", "")
    if text in {"", "\u2013", "-"}:  # a dash: no figure
        return None
    return Decimal(text).quantize(CENT, rounding=ROUND_HALF_UP)


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.fixture
def watch():
    return flow.Watch()


@pytest.fixture
def researcher(browser, live_server, watch):
    page = watch.add(new_page(browser, live_server, {"width": 1280, "height": 900}))
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "th", "url": live_server.url}]
    )
    yield page
    page.context.close()


@pytest.fixture
def phones(browser, live_server, watch):
    """A phone with script (autosave, the paste) and one without (whole questionnaires)."""
    script = watch.add(new_page(browser, live_server, TOUCH_PHONE, has_touch=True))
    plain = watch.add(new_page(browser, live_server, TOUCH_PHONE, java_script_enabled=False))
    yield script, plain
    script.context.close()
    plain.context.close()


# --------------------------------------------------------------------------- set-up


def _sign_up(page) -> None:
    page.goto("/accounts/login/")
    page.click("main a[href$='/accounts/signup/']")
    page.fill("input[name=username]", "somsri")
    page.fill("input[name=email]", "somsri@example.org")
    page.fill("input[name=first_name]", "สมศรี")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    flow.submit_main_form(page)
    page.wait_for_url("**/studies/")


def _set_up(page, tmp_path) -> tuple[Study, Panel]:
    _sign_up(page)
    page.click("a[href$='/studies/new/']")
    page.fill("input[name=title]", TITLE)
    page.fill("textarea[name=description]", "การวิจัยแบบเดลฟายสามรอบ")
    flow.submit_main_form(page)
    page.wait_for_url(re.compile(r"/studies/\d+/$"))
    study = Study.objects.get(title=TITLE)
    for order, title in enumerate(DOMAINS, start=1):
        flow.fill_form(
            page, "/domains/new/", {"title": title, "description": "", "order": str(order)}
        )
    page.goto(study.get_absolute_url())
    flow.fill_form(
        page,
        "/panels/new/",
        {"name": PANEL.name, "purpose": PANEL.purpose, "code_prefix": "E", "order": "1"},
    )
    page.wait_for_url(re.compile(r"/panels/\d+/$"))
    page.click("a[href$='/import/']")
    page.set_input_files("input[type=file]", str(seed.expert_workbook(tmp_path / "e.xlsx", PANEL)))
    page.locator("main form[enctype='multipart/form-data'] [type=submit]").click()
    page.locator("#import-preview").wait_for()
    assert page.locator("#import-errors").count() == 0
    _shot(page, "desktop-import-preview")
    page.locator("#import-confirm").click()
    page.wait_for_url(re.compile(r"/panels/\d+/$"))
    panel = Panel.objects.get(study=study)
    assert list(panel.experts.order_by("code").values_list("code", "name")) == [
        (f"E{n:02d}", person.name) for n, person in enumerate(PANEL.people, start=1)
    ]
    return study, panel


def _create_round(page, study, number, kind, panel, days, previous=None) -> Round:
    page.goto(study.get_absolute_url())
    choices = {"kind": kind, "panel": panel.pk}
    if previous is not None:
        choices["previous_round"] = previous.pk
    fields = {
        "title": f"รอบที่ {number}",
        "instructions": "โปรดตอบตามประสบการณ์ของท่าน",
        # A Thai researcher types the deadline in the Buddhist era.
        "closes_at": flow.deadline(days, buddhist=True),
    }
    flow.fill_form(page, "/rounds/new/", fields, choices)
    page.wait_for_url(re.compile(r"/rounds/\d+/$"))
    return Round.objects.get(study=study, number=number)


# --------------------------------------------------------------------------- round 1


def _round_one(page, phones, study, panel) -> Round:
    script, plain = phones
    round_one = _create_round(page, study, 1, Round.Kind.OPEN, panel, days=14)
    domains = dict(study.domains.values_list("title", "pk"))
    page.goto(round_one.get_absolute_url())
    for title, (question, _themes) in DOMAINS.items():
        flow.fill_form(page, "/questions/new/", {"text": question}, {"domain": domains[title]})
    flow.confirm(page, round_one, "open")
    links = flow.links(page, round_one)
    _shot(page, "desktop-tracking")
    assert sorted(links) == [f"E{n:02d}" for n in range(1, 7)]
    questions = list(round_one.questions.order_by("order"))
    texts = {
        code: {
            f"answer-{question.pk}-{slot}": _answer_text(theme, code)
            for question, (_q, themes) in zip(questions, DOMAINS.values(), strict=True)
            for slot, theme in enumerate(themes, start=1)
        }
        for code in RESPONDENTS
    }
    _paste_answers(script, links[PASTER], round_one, texts[PASTER])
    for code in PLAIN:
        flow.open_round(plain, links[code], round_one)
        assert has_no_horizontal_scroll(plain)
        flow.answer(plain, False, texts[code], [])
        assert plain.url.endswith("/thanks/")
    _key_in_round_one(page, round_one, questions, texts[PAPER])
    submitted = Submission.objects.filter(
        delphi_round=round_one, status=Submission.Status.SUBMITTED
    )
    assert sorted(submitted.values_list("expert__code", flat=True)) == RESPONDENTS
    assert OpenAnswer.objects.filter(submission__in=submitted).count() == 4 * 6
    flow.confirm(page, round_one, "close")
    return round_one


def _paste_answers(phone, link, round_one, texts) -> None:
    """Each answer inserted as a paste or a dictation does: one `input` event, no key event.
    Autosave must catch it; after a reload every answer is still in its box."""
    phone.goto(link)
    assert has_no_horizontal_scroll(phone)  # the start page, with the consent
    _shot(phone, "phone-start")
    flow.open_round(phone, link, round_one)
    assert has_no_horizontal_scroll(phone)
    for box, text in texts.items():
        phone.locator(f"#{box}").focus()
        phone.keyboard.insert_text(text)
    _shot(phone, "phone-round1-pasted")
    for box in texts:
        flow.saved(phone, "status-" + box.split("-", 1)[1])
    # Saved on the server, not only kept in the browser.
    drafts = OpenAnswer.objects.filter(
        submission__delphi_round=round_one, submission__expert__code=PASTER
    )
    assert sorted(drafts.values_list("text", flat=True)) == sorted(texts.values())
    phone.reload()
    phone.wait_for_load_state()
    for box, text in texts.items():
        assert phone.locator(f"#{box}").input_value() == text, f"{box} lost on reload"
    flow.submit(phone, True)
    assert phone.url.endswith("/thanks/")
    assert has_no_horizontal_scroll(phone)
    _shot(phone, "phone-round1-thanks")


def _key_in_round_one(page, round_one, questions, texts) -> None:
    expert = Expert.objects.get(panel=round_one.panel, code=PAPER)
    page.goto(round_one.get_absolute_url())
    page.click("main a[href$='/proxy/']")
    page.click(f"main a[href$='/proxy/{expert.pk}/']")
    page.select_option("select[name=channel]", Channel.PAPER)
    for question in questions:
        # The second box appears without saving first.
        if not page.locator(f"textarea[name=answer_{question.pk}_2]").count():
            page.click(f"button[name=add_box][value='{question.pk}']")
            page.locator(f"textarea[name=answer_{question.pk}_2]").wait_for()
    for box, text in texts.items():
        _answer, question, slot = box.split("-")
        page.fill(f"textarea[name=answer_{question}_{slot}]", text)
    page.check("input[name=mark_submitted]")
    flow.submit_main_form(page)


# --------------------------------------------------------------------------- content analysis


def _code_round_one(page, round_one, study) -> None:
    page.goto(round_one.get_absolute_url())
    page.click("main a[href$='/coding/']")
    page.wait_for_url("**/coding/")
    for title, (_question, themes) in DOMAINS.items():
        for theme in themes:
            listed = flow.search(page, round_one, theme)
            assert len(listed) == len(RESPONDENTS)
            for pk in listed:
                page.check(f"#pick-{pk}")
            page.click("#answers-form button[type=submit]")
            form = page.locator("#coding-create-form")
            form.locator("textarea[name=text]").fill(_statement_text(theme))
            form.locator("select[name=domain]").select_option(label=title)
            form.locator("form").first.locator("button[type=submit]").click()
            page.locator(".coding-statement", has_text=_statement_text(theme)).first.wait_for()
            flow.htmx_idle(page)
    _shot(page, "desktop-coding")
    codes = dict(study.statements.values_list("text", "number"))
    expected = [_statement_text(theme) for _q, themes in DOMAINS.values() for theme in themes]
    assert [codes[text] for text in expected] == [1, 2, 3, 4, 5, 6]


def _add_statement(page, round_two) -> None:
    """On the build page, a statement the analysis missed, added to domain 2."""
    text, domain = ADDED
    form = page.locator("form#add")
    form.locator("[name=text]").fill(text)
    form.locator("select[name=domain]").select_option(label=domain)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    page.locator(".build-item", has_text=text).wait_for()
    _shot(page, "desktop-build-round2")


# --------------------------------------------------------------------------- rating


def _rate(page, phones, delphi_round, table, links, places, *, feedback=None) -> None:
    """E01 rates on the phone with script (autosave, one answer at a time), E02 and E03 on the
    phone without, E04's sheet is keyed in by the researcher. `places` collects the numbering
    each page shows."""
    script, plain = phones
    items = _items(delphi_round)
    flow.open_round(script, links[PASTER], delphi_round)
    assert has_no_horizontal_scroll(script)
    places["expert page"] = _legends(script, ".rating-item legend")
    _shot(script, f"phone-round{delphi_round.number}")
    if feedback:
        for code, pk in items.items():
            _feedback_is_shown(script, pk, feedback[code])
    for code, pk in items.items():
        value = table[code][0]
        if script.locator(f"#rating-{pk}-{value}").is_checked():
            continue
        script.locator(f"label[for=rating-{pk}-{value}]").click()
        flow.saved(script, f"status-{pk}")
    flow.submit(script, True)
    assert script.url.endswith("/thanks/")
    assert has_no_horizontal_scroll(script)
    for index, code in enumerate(PLAIN, start=1):
        flow.open_round(plain, links[code], delphi_round)
        assert has_no_horizontal_scroll(plain)
        radios = [f"rating-{pk}-{table[s][index]}" for s, pk in items.items()]
        flow.answer(plain, False, {}, radios)
        assert plain.url.endswith("/thanks/")
    # The paper sheet, typed as it is read aloud: one digit per statement.
    expert = Expert.objects.get(panel=delphi_round.panel, code=PAPER)
    page.goto(delphi_round.get_absolute_url())
    page.click("main a[href$='/proxy/']")
    page.click(f"main a[href$='/proxy/{expert.pk}/']")
    page.select_option("select[name=channel]", Channel.PAPER)
    places["proxy form"] = _legends(page, "fieldset[id^=item-] legend")
    for code, pk in items.items():
        page.fill(f"input[name=typed_{pk}]", str(table[code][3]))
    page.check("input[name=mark_submitted]")
    _shot(page, f"desktop-proxy-round{delphi_round.number}")
    flow.submit_main_form(page)
    stored = {
        (statement, expert): value
        for statement, expert, value in Rating.objects.filter(
            item__delphi_round=delphi_round, submission__status=Submission.Status.SUBMITTED
        ).values_list("item__statement__number", "submission__expert__code", "value")
    }
    assert stored == {
        (int(code[1:]), expert): table[code][index]
        for code in table
        for index, expert in enumerate(RESPONDENTS)
    }, "every answer given is stored, on the statement it was given for"


def _items(delphi_round) -> dict[str, int]:
    """statement code -> item pk, in the questionnaire's order."""
    items = delphi_round.items.select_related("statement").order_by(
        "statement__domain__order", "order"
    )
    return {item.statement.code: item.pk for item in items}


def _legends(page, selector) -> list[tuple[str, str]]:
    """(number, statement) as a page shows them: "S07. text"."""
    shown = []
    for legend in page.locator(selector).all_inner_texts():
        number, _dot, text = legend.strip().partition(". ")
        shown.append((number, text.strip()))
    return shown


def _feedback_is_shown(phone, pk, summary) -> None:
    feedback = phone.locator(f"#item-{pk} .feedback").inner_text()
    assert f"{_two(summary.median)}" in phone.locator(f"#item-{pk} .feedback-median").inner_text()
    assert f"{_two(summary.iqr)}" in feedback
    assert f"{_two(summary.q1)}" in feedback and f"{_two(summary.q3)}" in feedback


def _preview(page, delphi_round) -> list[tuple[str, str]]:
    page.goto(delphi_round.get_absolute_url())
    page.click("main a[href$='/build/']")
    page.click("#preview-link")
    page.wait_for_url("**/preview/")
    _shot(page, f"desktop-preview-round{delphi_round.number}")
    return _legends(page, ".rating-item legend")


# --------------------------------------------------------------------------- the test


def test_a_new_study_from_a_blank_database(researcher, phones, watch, tmp_path, settings):
    settings.DELPHI_ALLOW_SIGNUP = True
    laps = flow.Laps("new study")
    page = researcher
    study, panel = _set_up(page, tmp_path)
    laps.lap("set-up")
    round_one = _round_one(page, phones, study, panel)
    laps.lap("round 1")
    _code_round_one(page, round_one, study)
    laps.lap("coding")

    places = {2: {}, 3: {}}
    round_two = _create_round(page, study, 2, Round.Kind.RATING, panel, days=14)
    flow.build(page, round_two, "statements")
    _add_statement(page, round_two)
    places[2]["preview"] = _preview(page, round_two)
    flow.confirm(page, round_two, "open")
    _rate(page, phones, round_two, ROUND_TWO, flow.links(page, round_two), places[2])
    flow.confirm(page, round_two, "close")
    laps.lap("round 2")

    round_three = _create_round(
        page, study, 3, Round.Kind.RATING, panel, days=14, previous=round_two
    )
    flow.build(page, round_three, f"{round_two.pk}:all")
    places[3]["preview"] = _preview(page, round_three)
    flow.confirm(page, round_three, "open")
    before = seed.expected_results(round_two)
    by_code = {
        code: before[(text, DEFAULT_CRITERION)]
        for code, text in _texts(study).items()
        if code in ROUND_THREE
    }
    _rate(
        page,
        phones,
        round_three,
        ROUND_THREE,
        flow.links(page, round_three),
        places[3],
        feedback=by_code,
    )
    flow.confirm(page, round_three, "close")
    laps.lap("round 3")

    reports = {}
    for delphi_round in (round_two, round_three):
        places[delphi_round.number]["results page"] = _results_page(page, delphi_round)
        page.goto(delphi_round.get_absolute_url())
        page.select_option("#report-lang-round", "en")
        reports[delphi_round.number] = {
            "pdf": _download(page, "round", "report.pdf"),
            "xlsx": _download(page, "round", "report.xlsx"),
            "csv": _download(page, "round", "ratings.csv"),
        }
    page.goto(study.get_absolute_url())
    _shot(page, "desktop-study")
    page.select_option("#report-lang-study", "en")
    final_pdf = _download(page, "study", "final-report.pdf")
    workbook = _download(page, "study", "report.xlsx")
    laps.lap("reports")

    texts = _texts(study)
    for number, delphi_round in ((2, round_two), (3, round_three)):
        shown = places[number]
        expected = [(code, texts[code]) for code in ORDER]
        # (a) one numbering: the added statement S07 between S04 and S05, everywhere.
        for place in ("preview", "expert page", "proxy form"):
            assert shown[place] == expected, f"round {number}: {place}"
        results = shown["results page"]
        assert [(code, text) for code, text, _figures in results] == expected
        pdf = seed.pdf_text(reports[number]["pdf"], tmp_path / f"round{number}.pdf")
        pdf_rows = _pdf_results(pdf)
        assert [code for code, _figures in pdf_rows] == ORDER, f"round {number}: PDF"
        assert _workbook_codes(reports[number]["xlsx"]) == expected, f"round {number}: Excel"
        assert _workbook_codes(workbook, f"Items R{number}") == expected
        assert _csv_columns(reports[number]["csv"], delphi_round) == expected
        # (b) every figure against analysis.stats on the Rating rows.
        stats = {
            code: seed.expected_results(delphi_round)[(texts[code], DEFAULT_CRITERION)]
            for code in ORDER
        }
        for code, _text, figures in results:
            assert figures == _shown_figures(stats[code]), f"round {number} {code}: page"
        by_text = {(texts[code], ""): seed.figures(summary) for code, summary in stats.items()}
        assert seed.workbook_items(workbook, f"Items R{number}") == by_text
        assert seed.workbook_items(reports[number]["xlsx"], "Items") == by_text
        assert pdf_rows == [(code, _shown_figures(stats[code])) for code in ORDER]
    # The final report's model: round 3's statements under the same codes, same figures.
    final = seed.pdf_text(final_pdf, tmp_path / "final.pdf")
    last = seed.expected_results(round_three)
    assert _model_rows(final) == [
        (code, _two(summary.median), _two(summary.iqr))
        for code in ORDER
        for summary in [last[(texts[code], DEFAULT_CRITERION)]]
    ]

    assert watch.errors == []
    assert all(watched.foreign_requests == [] for watched in watch.pages)
    assert all(watched.csp_violations == [] for watched in watch.pages)


# --------------------------------------------------------------------------- reading


def _texts(study) -> dict[str, str]:
    return {statement.code: statement.text for statement in study.statements.all()}


def _shown_figures(summary) -> tuple:
    return (
        summary.n,
        _two(summary.median),
        _two(summary.q1),
        _two(summary.q3),
        _two(summary.iqr),
        summary.consensus,
    )


def _results_page(page, delphi_round) -> list[tuple[str, str, tuple]]:
    """(code, statement, (n, median, Q1, Q3, IQR, consensus)) of every row, in order."""
    page.goto(delphi_round.get_absolute_url())
    page.click(f"main a[href$='/rounds/{delphi_round.pk}/results/']")
    page.wait_for_url("**/results/")
    _shot(page, f"desktop-results-round{delphi_round.number}")
    rows = []
    for row in page.locator("#results-table tr[data-statement]").all():
        cells = row.locator("td").all_inner_texts()
        code, text, n, median, q1, q3, iqr, _band, consensus = cells[:9]
        figures = (int(n), _two(median), _two(q1), _two(q3), _two(iqr), "✓" in consensus)
        rows.append((code.strip(), text.strip(), figures))
    return rows


def _download(page, scope: str, ending: str) -> bytes:
    with page.expect_download(timeout=90_000) as info:
        page.locator(f"#downloads-{scope} button[formaction$='/{ending}']").click(timeout=90_000)
    return Path(info.value.path()).read_bytes()


def _workbook_codes(data: bytes, sheet: str = "Items") -> list[tuple[str, str]]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    name = sheet if sheet in book.sheetnames else next(n for n in book.sheetnames if "Item" in n)
    rows = list(book[name].values)
    header = list(rows[0])
    number, statement = header.index("No."), header.index("Statement")
    return [(row[number], row[statement]) for row in rows[1:] if row[number]]


def _csv_columns(data: bytes, delphi_round) -> list[tuple[str, str]]:
    """The CSV's statement columns, each with the statement whose ratings it holds."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[0] == "expert"
    stored = {
        (expert, statement): value
        for expert, statement, value in Rating.objects.filter(
            item__delphi_round=delphi_round
        ).values_list("submission__expert__code", "item__statement__number", "value")
    }
    texts = _texts(delphi_round.study)
    for row in body:
        for label, value in zip(header[1:], row[1:], strict=True):
            assert int(value) == stored[(row[0], int(label[1:]))], f"CSV {row[0]} {label}"
    return [(label, texts[label]) for label in header[1:]]


FIGURE_LINE = re.compile(
    r"^\s*(\d+)\s+(\d+\.\d\d)\s+(\d+\.\d\d)\s+(\d+\.\d\d)\s+(\d+\.\d\d)\s.*?\b(Yes|No)\b"
)


def _pdf_results(text: str) -> list[tuple[str, tuple]]:
    """(code, (n, median, Q1, Q3, IQR, consensus)) of each row of the PDF's results by domain:
    a row starts with the code and the statement; its figures are on the next line that has
    them (the statement wraps around them)."""
    rows = []
    for line in seed.section(text, "Results by domain", "Answers per point: the").splitlines():
        code = re.match(r"\s*(S\d\d)\s", line)
        if code:
            rows.append([code.group(1), None])
        found = FIGURE_LINE.match(line)
        if found and rows and rows[-1][1] is None:
            n, median, q1, q3, iqr, consensus = found.groups()
            figures = (int(n), _two(median), _two(q1), _two(q3), _two(iqr), consensus == "Yes")
            rows[-1][1] = figures
    return [(code, figures) for code, figures in rows]


def _model_rows(text: str) -> list[tuple[str, Decimal, Decimal]]:
    """(code, median, IQR) of each statement of the final report's model."""
    body = seed.section(text, "5. The resulting model", "6. Confirmation by the second panel")
    rows = re.findall(r"^\s*(S\d\d)\s.*?(\d+\.\d\d)\s+(\d+\.\d\d)\s", body, re.MULTILINE)
    return [(code, _two(median), _two(iqr)) for code, median, iqr in rows]
