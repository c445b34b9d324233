"""PDF reports: per round and final, Thai and English, anonymised, fonts embedded."""

import re
import subprocess

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from delphi_site import pdf as site_pdf
from panels.models import Expert, Study
from reports import pdf
from reports.data import ReportUnavailable, final_report, open_round_report, resulting_model
from rounds.models import ItemResult, Round, Statement
from tests.panels.factories import StudyFactory
from tests.reports.helpers import flat, pdf_text, thai_skeleton
from tests.rounds.factories import closed_rating_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo_study", "--force", "--quiet")
    return Study.objects.get()


def _round(study, number):
    return Round.objects.get(study=study, number=number)


def _pages(text: str) -> list[str]:
    return text.split("\f")


def test_round_report_has_the_thai_statements_and_the_frozen_figures(demo):
    delphi_round = _round(demo, 3)

    text = pdf_text(pdf.round_report_pdf(delphi_round=delphi_round))

    skeleton = thai_skeleton(text)
    for statement in Statement.objects.filter(items__delphi_round=delphi_round):
        assert thai_skeleton(statement.text) in skeleton, statement.text[:40]
    body = flat(text)
    results = ItemResult.objects.filter(item__delphi_round=delphi_round)
    assert results.count() == 22
    for result in results:
        # Each row reads n, median (with its change since round 2 under it), Q1, Q3, IQR.
        row = (
            rf"{result.n} {result.median:.2f}(?: [+-]\d+\.\d\d)? {result.q1:.2f} "
            rf"{result.q3:.2f} {result.iqr:.2f}"
        )
        assert re.search(row, body), row


def test_the_method_tells_why_a_quartile_may_pass_the_end_of_the_scale(demo):
    text = flat(pdf_text(pdf.round_report_pdf(delphi_round=_round(demo, 3), language="en")))

    assert "Q1 and Q3 may lie up to half a point beyond the ends of the scale" in text


def test_report_embeds_the_sarabun_font(demo):
    report = pdf.round_report_pdf(delphi_round=_round(demo, 3))

    fonts = subprocess.run(
        ["pdffonts", "-"], input=report, capture_output=True, check=True
    ).stdout.decode()

    sarabun = [line for line in fonts.splitlines() if "Sarabun" in line]
    assert sarabun
    # Columns: name, type (2 words), encoding, emb, sub, uni, object id.
    assert all(line.split()[4] == "yes" for line in sarabun), fonts


def test_final_report_contents_give_the_page_of_each_section(demo):
    pages = _pages(pdf_text(pdf.final_report_pdf(study=demo, language="en")))

    contents = flat(pages[0])
    for heading in ("2. Method", "3. Participation across rounds", "5. The resulting model"):
        # The leader dots come out of pdftotext one per line.
        match = re.search(rf"{re.escape(heading)}[ .]+(\d+)", contents)
        assert match, heading
        page = int(match.group(1))
        assert heading in flat(pages[page - 1]), heading
        assert all(heading not in flat(other) for other in pages[1 : page - 1]), heading


def test_final_report_model_lists_exactly_the_high_statements_with_consensus(study):
    closed_rating_round(
        study,
        ratings={
            "ข้อความที่ผ่าน: เครือข่ายมีเป้าหมายร่วมกัน": [5, 5, 5, 4, 5, 5, 4, 5],
            "ข้อความระดับปานกลาง: ประชุมทุกสัปดาห์": [3, 3, 3, 3, 3, 3, 3, 3],
            "ข้อความไม่มีฉันทามติ: จัดตั้งกองทุน": [1, 1, 1, 5, 5, 5, 5, 5],
        },
    )

    text = flat(pdf_text(pdf.final_report_pdf(study=study, language="en")))

    model = text[text.rindex("5. The resulting model") : text.rindex("6. Confirmation")]
    assert "ข้อความที่ผ่าน" in model
    assert "ข้อความระดับปานกลาง" not in model
    assert "ข้อความไม่มีฉันทามติ" not in model


def test_resulting_model_is_drawn_from_the_last_closed_rating_round(demo):
    model = resulting_model(demo)

    chosen = {row.result.pk for group in model.groups for row in group.rows}
    expected = set(
        ItemResult.objects.filter(
            item__delphi_round=_round(demo, 3), consensus=True, band__in=["high", "highest"]
        ).values_list("pk", flat=True)
    )
    assert model.source.delphi_round.number == 3
    assert chosen == expected


def test_final_report_shows_participation_of_18_of_21(demo):
    pages = _pages(pdf_text(pdf.final_report_pdf(study=demo, language="en")))

    # The contents on page 1 name the section too.
    (page,) = [flat(page) for page in pages[1:] if "3. Participation across rounds" in page]
    # The flow diagram: rounds 1 to 3 of the 21 specialists, round 4 of the 7 others.
    assert page.count("Invited: 21") == 3
    assert page.count("Returned: 18 (86 %)") == 3
    assert "Returned: 7 (100 %)" in page
    # The table: round, panel, opened, closed, days, invited, returned, rate.
    assert re.search(r"3 \S+ March 30, 2019 April 24, 2019 26 21 18 86 %", page)


def test_open_round_report_shows_codes_and_no_names_or_emails(demo):
    delphi_round = _round(demo, 1)

    text = flat(pdf_text(pdf.round_report_pdf(delphi_round=delphi_round)))

    assert "E01·1" in text
    experts = Expert.objects.filter(panel=delphi_round.panel)
    for expert in experts:
        assert expert.name not in text
        assert expert.email not in text


def test_roster_names_the_experts_only_when_asked(demo):
    delphi_round = _round(demo, 1)

    text = flat(pdf_text(pdf.round_report_pdf(delphi_round=delphi_round, include_roster=True)))

    expert = Expert.objects.get(panel=delphi_round.panel, code="E01")
    assert expert.name in text
    assert expert.email not in text, "a roster names experts but never gives contact details"


def test_final_report_is_anonymous_by_default(demo):
    text = flat(pdf_text(pdf.final_report_pdf(study=demo)))

    for expert in Expert.objects.filter(panel__study=demo):
        assert expert.name not in text
        assert expert.email not in text


def test_open_round_report_traces_statements_to_their_sources(demo):
    text = flat(pdf_text(pdf.round_report_pdf(delphi_round=_round(demo, 1), language="en")))

    trail = text[text.rindex("Statements drawn from the answers") :]
    assert re.search(r"Merged into S\d\d", trail)
    assert re.search(r"E\d\d·\d+", trail)


def test_open_round_report_counts_active_statements_in_its_summary(demo):
    # "Content analysis drew 15 statements" counted the merged and out-of-scope ones too, and
    # "1 answers were set aside" had no singular.
    first = _round(demo, 1)
    report = open_round_report(first)
    active, retired = report.active_statements, report.retired_statements
    assert active and retired
    drawn = Statement.objects.filter(
        study=demo, status=Statement.Status.ACTIVE, sources__submission__delphi_round=first
    )
    assert active == drawn.distinct().count()

    text = flat(pdf_text(pdf.round_report_pdf(delphi_round=first, language="en")))

    assert f"Content analysis drew {active} statements from them." in text
    assert f"{retired} further statement" in text
    assert not re.search(r"\b1 answers\b", text)


def test_the_final_reports_checklist_counts_the_active_statements_of_round_one(demo):
    report = open_round_report(_round(demo, 1))
    with translation.override("en"):
        rows = {str(row.item): row.answer for row in final_report(demo).checklist}

    generated = rows["How items were generated"]
    assert f"gave {report.active_statements} statements" in generated


def test_english_report_has_english_headings_and_common_era_dates(demo):
    text = flat(pdf_text(pdf.round_report_pdf(delphi_round=_round(demo, 3), language="en")))

    assert "Results by domain" in text
    assert "2019" in text
    assert "2562" not in text


def test_thai_report_dates_use_the_buddhist_era(demo):
    text = flat(pdf_text(pdf.round_report_pdf(delphi_round=_round(demo, 3), language="th")))

    assert "30 มีนาคม 2562" in text
    assert "2019" not in text


def test_statement_text_is_escaped_not_interpreted(study):
    delphi_round, _items = closed_rating_round(
        study, ratings={"<script>alert(1)</script> <b>ตัวหนา</b>": [4, 4, 5, 5]}
    )

    html = pdf.round_report_html(delphi_round=delphi_round, language="en")
    text = flat(pdf_text(pdf.round_report_pdf(delphi_round=delphi_round, language="en")))

    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script> <b>ตัวหนา</b>" in text


def test_rendering_reads_only_the_vendored_fonts_and_inline_data(demo, monkeypatch):
    fetched = []
    original = site_pdf.LocalOnlyFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(site_pdf.LocalOnlyFetcher, "fetch", spy)

    pdf.final_report_pdf(study=demo)
    pdf.round_report_pdf(delphi_round=_round(demo, 3))

    fonts = site_pdf.font_dir().as_uri()
    assert fetched
    assert all(url.startswith(("data:", fonts + "/")) for url in fetched), fetched


def test_fetcher_refuses_a_remote_url():
    fetcher = site_pdf.LocalOnlyFetcher(site_pdf.font_dir())

    with pytest.raises(ValueError, match="Refused"):
        fetcher.fetch("https://example.org/font.ttf")


def test_rating_round_not_closed_has_no_report(study):
    delphi_round, _items = closed_rating_round(study, ratings={"ข้อความ": [4, 4, 5]})
    delphi_round.status = Round.Status.OPEN
    delphi_round.save(update_fields=["status"])

    with pytest.raises(ReportUnavailable):
        pdf.round_report_pdf(delphi_round=delphi_round)


def test_unknown_report_language_is_refused():
    with pytest.raises(ValueError, match="language"):
        pdf.final_report_pdf(study=StudyFactory.build(), language="fr")


def test_final_report_says_when_the_confirmation_has_not_taken_place(study):
    closed_rating_round(study, ratings={"ข้อความ": [4, 4, 5, 5]})

    text = flat(pdf_text(pdf.final_report_pdf(study=study, language="en")))

    assert "The confirmation stage has not taken place" in text


def test_final_report_shows_the_second_panels_confirmation(demo):
    text = flat(pdf_text(pdf.final_report_pdf(study=demo, language="en")))

    section = text[text.rindex("6. Confirmation by the second panel") :]
    assert "The panel confirmed the model on every criterion." in section
    assert "Round 4 asked the panel" in section


def test_page_counter_keeps_translations_inside_css_strings():
    css = pdf.page_counter_css('หน้า %(page)s "จาก" %(pages)s </style>')

    assert css == '"หน้า " counter(page) " \\"จาก\\" " counter(pages) " \\3c /style>"'


def _queries(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def test_round_report_queries_do_not_grow_with_the_statements(study, alice):
    small, _items = closed_rating_round(study, ratings={f"ข้อ {n}": [4, 5, 5] for n in range(2)})
    other = StudyFactory(owner=alice)
    large, _items = closed_rating_round(other, ratings={f"ข้อ {n}": [4, 5, 5, 3] for n in range(8)})

    few = _queries(lambda: pdf.round_report_html(delphi_round=small))
    many = _queries(lambda: pdf.round_report_html(delphi_round=large))

    assert few == many
