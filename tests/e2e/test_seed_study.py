"""The seed study from an empty database, in the browser, from sign-up to the final reports.

A researcher signs up, creates the study, imports its 21 specialists and 7 qualified persons
from Excel, writes the round-1 questions and opens the round. 18 specialists answer through
their personal links (3 of them on paper, by phone and in LINE, keyed in by the researcher);
3 never answer. The researcher codes the answers into the seed's statements, builds round 2,
the 18 rate; round 3 shows each statement's median and IQR and asks a reason for answers
outside the middle half; the 7 qualified persons confirm the final model. The final PDF and
the study workbook must then hold exactly what analysis.stats gives from the Rating rows.

The people, questions, answers and ratings are the demo study's (demo/), so the
figures are the seed's; all 22 statements are kept. The personal links are read from the
round's tracking page, where the researcher copies them. Experts answer on a phone-sized
page: a few with autosave, one answer at a time and each saved before the next (as a
person would, and as SQLite's single shared test connection requires), the others on a
phone without script that sends the whole questionnaire at once (see `Phones`). Run with
`-s` to see how long each stage took.
"""

import re
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from demo import content
from demo.services import DEMO_FIRST_NAME
from panels.models import Expert, Panel, Study
from rounds.models import (
    DEFAULT_CRITERION,
    Channel,
    OpenAnswer,
    Rating,
    Round,
    Statement,
    Submission,
)
from tests.e2e import flow
from tests.e2e import seed_flow as seed
from tests.e2e.conftest import new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Delphi-2562-seed"  # a throw-away account of the test database
# Round 1 on paper, by phone and in LINE (the demo's channels for these three).
KEYED_IN = {"E02": Channel.PAPER, "E20": Channel.PHONE, "E03": Channel.LINE}
# Experts whose phone autosaves each answer; E06 also moves outside the group's range in
# round 3, where the feedback and the reason rule are checked on the page. (The qualified
# persons' autosave has its own test, test_confirmation.py: here it would cost 66 waits.)
AUTOSAVE = {"E01", "E06"}
FEEDBACK_CHECKS = 3
# Coding: answers ticked per statement, and how much of an answer the search box is given.
PICKS_PER_STATEMENT = 3
SEARCH_LENGTH = 40


@pytest.fixture
def watch():
    return flow.Watch()


@pytest.fixture
def researcher(browser, live_server, watch):
    page = watch.add(new_page(browser, live_server, {"width": 1280, "height": 900}))
    # English pages for the researcher: the buttons are found by their English names.
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    yield page
    page.context.close()


class Phones:
    """The experts' phones. Each expert comes through their own link, so a page serves
    them all. A few answer with autosave, one answer per request, as a person would; the
    others' phones run no script and send the whole questionnaire at once, the path the
    pages keep for phones without JavaScript. That keeps hundreds of answers within the
    time budget and covers both ways in."""

    def __init__(self, autosave, plain):
        self.autosave, self.plain = autosave, plain

    def page(self, code: str):
        return self.autosave if code in AUTOSAVE else self.plain


@pytest.fixture
def phones(browser, live_server, watch):
    viewport = {"width": 390, "height": 844}
    autosave = watch.add(new_page(browser, live_server, viewport, has_touch=True))
    plain = watch.add(new_page(browser, live_server, viewport, java_script_enabled=False))
    yield Phones(autosave, plain)
    autosave.context.close()
    plain.context.close()


# --------------------------------------------------------------------------- the researcher


def _sign_up(page) -> None:
    page.goto("/accounts/login/")
    page.click("main a[href$='/accounts/signup/']")
    page.fill("input[name=username]", "researcher")
    page.fill("input[name=email]", "researcher@example.org")
    page.fill("input[name=first_name]", DEMO_FIRST_NAME)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    flow.submit_main_form(page)
    page.wait_for_url("**/studies/")


def _create_study(page) -> Study:
    page.click("a[href$='/studies/new/']")
    page.fill("input[name=title]", content.TITLE)
    page.fill("textarea[name=description]", content.DESCRIPTION)
    flow.submit_main_form(page)
    page.wait_for_url(re.compile(r"/studies/\d+/$"))
    return Study.objects.get(title=content.TITLE)


def _import_panel(page, study: Study, panel: content.DemoPanel, order: int, tmp_path: Path):
    page.goto(study.get_absolute_url())
    flow.fill_form(
        page,
        "/panels/new/",
        {
            "name": panel.name,
            "purpose": panel.purpose,
            "code_prefix": panel.code_prefix,
            "order": str(order),
        },
    )
    page.wait_for_url(re.compile(r"/panels/\d+/$"))
    page.click("a[href$='/import/']")
    path = seed.expert_workbook(tmp_path / f"panel-{panel.code_prefix}.xlsx", panel)
    page.set_input_files("input[type=file]", str(path))
    page.locator("main form[enctype='multipart/form-data'] [type=submit]").click()
    page.locator("#import-preview").wait_for()
    assert page.locator("#import-errors").count() == 0
    page.locator("#import-confirm").click()
    page.wait_for_url(re.compile(r"/panels/\d+/$"))
    return Panel.objects.get(study=study, code_prefix=panel.code_prefix)


def _domains(page, study: Study) -> None:
    # Each new domain leads back to the study's page, where the next one starts.
    page.goto(study.get_absolute_url())
    for order, domain in enumerate(content.DOMAINS, start=1):
        flow.fill_form(
            page,
            "/domains/new/",
            {"title": domain.title, "description": domain.description, "order": str(order)},
        )


def _create_round(
    page, study: Study, number: int, kind: str, panel: Panel, *, days: int, previous=None
) -> Round:
    spec = content.ROUNDS[number - 1]
    page.goto(study.get_absolute_url())
    choices = {"kind": kind, "panel": panel.pk}
    if previous is not None:
        choices["previous_round"] = previous.pk
    fields = {
        "title": spec.title,
        "instructions": spec.instructions,
        "closes_at": flow.deadline(days),
    }
    flow.fill_form(page, "/rounds/new/", fields, choices)
    return Round.objects.get(study=study, number=number)


def _questions(page, delphi_round: Round) -> None:
    domains = dict(delphi_round.study.domains.values_list("title", "pk"))
    page.goto(delphi_round.get_absolute_url())
    for domain, text in seed.round_one_questions():
        choices = {"domain": domains[domain]} if domain else {}
        flow.fill_form(page, "/questions/new/", {"text": text}, choices)
    assert delphi_round.questions.count() == len(seed.round_one_questions())


def _key_in_round_one(page, delphi_round: Round, code: str, channel: str) -> None:
    expert = Expert.objects.get(panel=delphi_round.panel, code=code)
    page.goto(delphi_round.get_absolute_url())
    page.click("main a[href$='/proxy/']")
    page.click(f"main a[href$='/proxy/{expert.pk}/']")
    page.select_option("select[name=channel]", channel)
    questions = list(delphi_round.questions.order_by("order"))
    for question, texts in zip(questions, seed.round_one_answers(code), strict=True):
        for slot, text in enumerate(texts, start=1):
            page.fill(f"textarea[name=answer_{question.pk}_{slot}]", text)
    page.check("input[name=mark_submitted]")
    flow.submit_main_form(page)


# --------------------------------------------------------------------------- the experts


def _answer_round_one(phone, link: str, delphi_round: Round, code: str, autosave: bool):
    flow.open_round(phone, link, delphi_round)
    questions = list(delphi_round.questions.order_by("order"))
    texts = {
        f"answer-{question.pk}-{position}": text
        for question, answers in zip(questions, seed.round_one_answers(code), strict=True)
        for position, text in enumerate(answers, start=1)
    }
    flow.answer(phone, autosave, texts, [])
    assert phone.url.endswith("/thanks/")


def _rate_round_two(phone, link, delphi_round, code, items, ratings, autosave) -> None:
    flow.open_round(phone, link, delphi_round)
    radios = [f"rating-{pk}-{ratings[text][code]}" for text, pk in items.items()]
    flow.answer(phone, autosave, {}, radios)
    assert phone.url.endswith("/thanks/")


def _rate_round_three(phone, link, delphi_round, code, plan, autosave) -> None:
    """`plan`: item pk -> (round-2 answer, round-3 answer, reason or "", round-2 summary).

    With autosave, the feedback is checked on the page, and a move outside the
    range is refused at once, then saved with its reason. Without, the page refuses the
    whole questionnaire, shows the reason boxes still needed, and takes it with them."""
    flow.open_round(phone, link, delphi_round)
    if autosave:
        _rate_round_three_one_by_one(phone, code, plan)
        flow.submit(phone, autosave)
    else:
        texts = {f"reason-{pk}": reason for pk, (_o, _n, reason, _s) in plan.items() if reason}
        radios = [f"rating-{pk}-{new}" for pk, (_old, new, _r, _s) in plan.items()]
        flow.answer(phone, autosave, texts, radios)
    if not phone.url.endswith("/thanks/"):
        assert not autosave, "with autosave every reason was given before submitting"
        missing = {
            f"reason-{pk}": reason
            for pk, (_o, _n, reason, _s) in plan.items()
            if reason and not phone.input_value(f"#reason-{pk}")
        }
        assert missing, "the page refused the questionnaire for the missing reasons only"
        phone.evaluate(flow.SET_ALL, [missing, []])
        flow.submit(phone, autosave)
    assert phone.url.endswith("/thanks/")


def _rate_round_three_one_by_one(phone, code, plan) -> None:
    for number, (pk, (old, new, reason, summary)) in enumerate(plan.items()):
        # The first statements and every one the expert changes: enough to see the
        # feedback right without reading all of them.
        if number < FEEDBACK_CHECKS or new != old:
            _feedback_is_shown(phone, pk, old, summary)
        if new != old:
            phone.locator(f"label[for=rating-{pk}-{new}]").click()
            if reason:
                _refused_without_reason(phone, pk, code)
            else:
                flow.saved(phone, f"status-{pk}")
        if reason:
            phone.fill(f"#reason-{pk}", reason)
            phone.locator(f"#reason-{pk}").blur()
            flow.saved(phone, f"status-{pk}")


def _confirm_model(phone, link, delphi_round, person, autosave) -> None:
    flow.open_round(phone, link, delphi_round)
    codes = delphi_round.criterion_codes
    radios = [
        f"rating-{item.pk}-{code}-{seed.confirmation_value(person, component, criterion)}"
        for component, item in enumerate(delphi_round.items.order_by("order", "pk"))
        for criterion, code in enumerate(codes)
    ]
    flow.answer(phone, autosave, {}, radios)
    assert phone.url.endswith("/thanks/")


def _items(delphi_round: Round) -> dict[str, int]:
    """statement text -> item pk."""
    return dict(delphi_round.items.values_list("statement__text", "pk"))


# --------------------------------------------------------------------------- content analysis


def _create_statement(page, delphi_round: Round, statement, used: set[int]) -> None:
    """Search for one of the statement's source answers, tick its copies (up to three that
    no statement holds yet), and create the statement in the seed's wording and domain."""
    for source in statement.sources:
        listed = flow.search(page, delphi_round, seed.pool_text(source)[1][:SEARCH_LENGTH])
        picks = [pk for pk in listed if pk not in used][:PICKS_PER_STATEMENT]
        if picks:
            break
    assert picks, f"no answer left for {statement.key}"
    used.update(picks)
    for pk in picks:
        page.check(f"#pick-{pk}")
    page.click("#answers-form button[type=submit]")
    form = page.locator("#coding-create-form")
    form.locator("textarea[name=text]").fill(statement.text)
    form.locator("select[name=domain]").select_option(label=content.DOMAINS[statement.domain].title)
    form.locator("form").first.locator("button[type=submit]").click()
    page.locator(".coding-statement", has_text=statement.text).first.wait_for()
    flow.htmx_idle(page)


def _code_round_one(page, round_one: Round, study: Study) -> dict[str, Statement]:
    """The seed's statements from the answers they came from; three duplicates merged into
    the statement they repeat; answers outside the study's scope set aside with a reason.

    The researcher finds the answers with the workspace's search, as with hundreds of
    answers one would; each search also keeps the re-rendered workspace small."""
    page.goto(round_one.get_absolute_url())
    page.click("main a[href$='/coding/']")
    page.wait_for_url("**/coding/")
    used: set[int] = set()
    created = {}
    for statement in seed.ACTIVE + seed.MERGED:
        _create_statement(page, round_one, statement, used)
        created[statement.key] = Statement.objects.get(study=study, text=statement.text)

    for duplicate in seed.MERGED:
        card = page.locator(f"#statement-{created[duplicate.key].pk}")
        card.locator("a[href$='/merge/']").click()
        card.locator("select[name=target]").select_option(str(created[duplicate.merged_into].pk))
        card.locator(".coding-form button[type=submit]").click()
        page.locator(f"#coding-retired #statement-{created[duplicate.key].pk}").wait_for(
            state="attached"
        )
        flow.htmx_idle(page)

    for (_question, text), reason in seed.out_of_scope():
        pk = flow.search(page, round_one, text[:SEARCH_LENGTH])[0]
        row = page.locator(f"#answer-{pk}")
        row.locator("a[href$='/out-of-scope/']").click()
        row.locator("input[name=reason]").fill(reason)
        row.locator(".coding-form button[type=submit]").click()
        page.locator(f"#answer-{pk} [data-out-of-scope]").wait_for()
        flow.htmx_idle(page)
    for statement in created.values():
        statement.refresh_from_db()
    return created


# --------------------------------------------------------------------------- the test


def test_the_seed_study_from_an_empty_database(researcher, phones, watch, tmp_path, settings):
    settings.DELPHI_ALLOW_SIGNUP = True
    laps = flow.Laps()
    page = researcher

    study, specialists, qualified = _set_up(page, tmp_path)
    laps.lap("set-up")
    round_one = _round_one(page, phones, study, specialists)
    laps.lap("round 1")
    round_two = _coding_and_round_two(page, study, round_one, specialists)
    laps.lap("coding")
    _rating_round_two(page, phones, round_two)
    laps.lap("round 2")
    round_three = _round_three(page, phones, study, specialists, round_two)
    laps.lap("round 3")
    _confirmation(page, phones, study, qualified, round_three)
    laps.lap("confirmation")

    # 9. The final report and the study workbook, downloaded from the study page.
    page.goto(study.get_absolute_url())
    page.select_option("#report-lang-study", "en")
    pdf = flow.download(page, "Final report (PDF)")
    workbook = flow.download(page, "All rounds (Excel)")
    _reports_match_the_ratings(study, pdf, workbook, tmp_path)
    laps.lap("reports")

    assert watch.errors == []
    assert all(watched.foreign_requests == [] for watched in watch.pages)
    assert all(watched.csp_violations == [] for watched in watch.pages)


def _set_up(page, tmp_path):
    """1-2. Sign-up, the study, its panels imported from Excel, its domains."""
    _sign_up(page)
    study = _create_study(page)
    specialists = _import_panel(page, study, content.PANELS[0], 1, tmp_path)
    qualified = _import_panel(page, study, content.PANELS[1], 2, tmp_path)
    assert list(specialists.experts.order_by("code").values_list("code", flat=True)) == [
        f"E{n:02d}" for n in range(1, 22)
    ]
    assert list(qualified.experts.values_list("name", flat=True).order_by("code")) == [
        person.name for person in content.QUALIFIED_PERSONS
    ]
    _domains(page, study)
    return study, specialists, qualified


def _round_one(page, phones, study, specialists) -> Round:
    """3-4. The open questions; 15 answer through their own link, 3 on paper, by phone and
    in LINE (keyed in by the researcher); 3 never answer."""
    round_one = _create_round(page, study, 1, Round.Kind.OPEN, specialists, days=33)
    _questions(page, round_one)
    flow.confirm(page, round_one, "open")
    links = flow.links(page, round_one)
    assert len(links) == 21
    for code in seed.RESPONDENT_CODES:
        if code in KEYED_IN:
            _key_in_round_one(page, round_one, code, KEYED_IN[code])
        else:
            phone = phones.page(code)
            _answer_round_one(phone, links[code], round_one, code, phone is phones.autosave)
    returned = Submission.objects.filter(delphi_round=round_one, status=Submission.Status.SUBMITTED)
    assert sorted(returned.values_list("expert__code", flat=True)) == seed.RESPONDENT_CODES
    channels = dict(returned.exclude(channel=Channel.WEB).values_list("expert__code", "channel"))
    assert channels == KEYED_IN
    flow.confirm(page, round_one, "close")
    return round_one


def _coding_and_round_two(page, study, round_one, specialists) -> Round:
    """5. Content analysis; round 2 built from the active statements and opened."""
    _code_round_one(page, round_one, study)
    statuses = Counter(Statement.objects.filter(study=study).values_list("status", flat=True))
    assert statuses == {
        Statement.Status.ACTIVE: len(seed.ACTIVE),
        Statement.Status.MERGED: len(seed.MERGED),
    }
    assert OpenAnswer.objects.exclude(out_of_scope_reason="").count() == len(seed.out_of_scope())
    round_two = _create_round(page, study, 2, Round.Kind.RATING, specialists, days=17)
    flow.build(page, round_two, "statements")
    flow.confirm(page, round_two, "open")
    return round_two


def _rating_round_two(page, phones, round_two) -> None:
    """6. The 18 rate through their links; the round is closed and its results frozen."""
    links = flow.links(page, round_two)
    items = _items(round_two)
    assert sorted(items) == sorted(statement.text for statement in seed.ACTIVE)
    by_text = {
        s.text: ratings for s in seed.ACTIVE for ratings in [seed.round_two_ratings()[s.key]]
    }
    for code in seed.RESPONDENT_CODES:
        phone = phones.page(code)
        _rate_round_two(
            phone, links[code], round_two, code, items, by_text, phone is phones.autosave
        )
    flow.confirm(page, round_two, "close")
    round_two.refresh_from_db()
    assert round_two.status == Round.Status.CLOSED
    assert round_two.items.filter(results__n=18).count() == len(seed.ACTIVE)


def _round_three(page, phones, study, specialists, round_two) -> Round:
    """7. Every statement again with the group's median and IQR; a reason is asked for
    answers outside the previous middle half."""
    round_three = _create_round(
        page, study, 3, Round.Kind.RATING, specialists, days=25, previous=round_two
    )
    flow.build(page, round_three, f"{round_two.pk}:all", reasons=True)
    flow.confirm(page, round_three, "open")
    links = flow.links(page, round_three)
    items = _items(round_three)
    before = seed.expected_results(round_two)
    ratings_two = seed.round_two_ratings()
    ratings_three, movers = seed.round_three_ratings()
    for code in seed.RESPONDENT_CODES:
        plan = {}
        for statement in seed.ACTIVE:
            summary = before[(statement.text, DEFAULT_CRITERION)]
            old, new = ratings_two[statement.key][code], ratings_three[statement.key][code]
            reason = ""
            if seed.outside(new, summary):
                reason = movers.get((statement.key, code), seed.KEPT_REASON)
            plan[items[statement.text]] = (old, new, reason, summary)
        phone = phones.page(code)
        _rate_round_three(phone, links[code], round_three, code, plan, phone is phones.autosave)
    flow.confirm(page, round_three, "close")
    return round_three


def _confirmation(page, phones, study, qualified, round_three) -> None:
    """8. The qualified persons confirm the final model on the three criteria."""
    round_four = _create_round(
        page, study, 4, Round.Kind.CONFIRMATION, qualified, days=14, previous=round_three
    )
    flow.build(page, round_four, f"{round_three.pk}:model")
    flow.confirm(page, round_four, "open")
    links = flow.links(page, round_four)
    round_four.refresh_from_db()
    for person, code in enumerate(sorted(links)):
        phone = phones.page(code)
        _confirm_model(phone, links[code], round_four, person, phone is phones.autosave)
    flow.confirm(page, round_four, "close")
    assert Submission.objects.filter(delphi_round=round_four).count() == 7


def _feedback_is_shown(phone, pk, old, summary) -> None:
    """Round 2's median, IQR and middle half, and the expert's own answer, pre-marked."""
    feedback = phone.locator(f"#item-{pk} .feedback").inner_text()
    assert f"{summary.median:.2f}" in phone.locator(f"#item-{pk} .feedback-median").inner_text()
    assert f"{summary.iqr:.2f}" in feedback
    assert f"{summary.q1:.2f}" in feedback and f"{summary.q3:.2f}" in feedback
    assert str(old) in phone.locator(f"#item-{pk} .own-previous").inner_text()
    assert phone.locator(f"#rating-{pk}-{old}").is_checked()


def _refused_without_reason(phone, pk, code) -> None:
    phone.locator(f"#reason-box-{pk}").wait_for(state="visible")
    phone.locator(f"#status-{pk} .text-danger").wait_for()
    assert not Rating.objects.filter(item_id=pk, submission__expert__code=code).exists()


def _reports_match_the_ratings(study, pdf: bytes, workbook: bytes, tmp_path) -> None:
    rounds = {r.number: r for r in study.rounds.all()}
    for number in (2, 3):
        expected = {
            (text, ""): seed.figures(summary)
            for (text, _criterion), summary in seed.expected_results(rounds[number]).items()
        }
        assert seed.workbook_items(workbook, f"Items R{number}") == expected
    four = rounds[4]
    labels = {c["code"]: c["label"] for c in four.rating_criteria}
    confirmation = seed.expected_results(four)
    assert seed.workbook_items(workbook, "Items R4") == {
        (text, labels[code]): seed.figures(summary)
        for (text, code), summary in confirmation.items()
    }

    text = seed.pdf_text(pdf, tmp_path / "final.pdf")
    final = seed.expected_results(rounds[3])
    model = (
        rounds[3].items.select_related("statement").order_by("statement__domain__order", "order")
    )
    assert seed.model_figures(text) == [
        (
            final[(item.statement.text, DEFAULT_CRITERION)].median,
            final[(item.statement.text, DEFAULT_CRITERION)].iqr,
        )
        for item in model
    ]
    components = four.items.select_related("statement").order_by(
        "statement__domain__order", "order"
    )
    assert seed.confirmation_cells(text) == [
        (summary.median, summary.iqr, summary.consensus)
        for item in components
        for summary in (confirmation[(item.statement.text, code)] for code in four.criterion_codes)
    ]
