"""PDF reports a thesis committee can accept: per round and for the whole study.

The two public functions build the report data (reports.data) and render an HTML template
(templates/reports/) with WeasyPrint, in the report's language (Thai or English, independent
of the interface language): A4, the vendored Sarabun font embedded, a running header with the
study's title, "page X of Y", table headers repeated on every page, charts as inline SVG and,
for the final report, a table of contents with page numbers. Rendering goes through
`delphi_site.pdf.render_pdf`, whose URL fetcher reads only the vendored font files, so a report
never contacts another host nor reads another local file, whatever the text in it says.

Experts appear only by code unless `include_roster=True`, which adds a roster section with
names, positions and organisations (never contact details).

Thai line breaking: Pango breaks Thai text between words with libthai's dictionary whether or
not the element says lang="th" (checked on a long paragraph in a 30 mm column: no word was
split). The html element carries the report's language all the same, for hyphenation of
English text and for PDF readers.
"""

import re

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from delphi_site.pdf import FONT_FILES, font_dir, render_pdf
from panels.models import Study
from rounds.models import Round

from . import charts, data
from .data import ReportUnavailable

__all__ = ["ReportUnavailable", "final_report_pdf", "round_report_pdf"]

LANGUAGES = ("th", "en")
# SARA AM with the tone mark before it, if any.
_SARA_AM = re.compile("([\u0e48-\u0e4b]?)\u0e33")


def _render(html: str) -> bytes:
    """The PDF of a report's HTML, with SARA AM spelt out for the PDF's text layer.

    HarfBuzz draws SARA AM (ำ) as two glyphs, NIKHAHIT and SARA AA (moving NIKHAHIT before a
    tone mark), and WeasyPrint maps each glyph to the text it first stood for: after "จำ" in
    a title, every plain SARA AA of the report copied out as ำ ("ควำม"). Writing ำ as the
    same two characters, in the order HarfBuzz draws them, draws the same glyphs at the same
    places, and each glyph then maps to itself, so text copied from the PDF reads right
    (ำ as its compatibility decomposition ํ + า).
    """
    return render_pdf(_SARA_AM.sub("\u0e4d\\1\u0e32", html))


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {language!r}")


def study_title(study: Study, language: str) -> str:
    """The title a report in `language` carries: the English title for English reports when
    the study has one, the study's own title otherwise."""
    if language == "en" and study.title_en:
        return study.title_en
    return study.title


def _css_string(text: str) -> str:
    # A CSS string inside a <style> element: escape quotes and backslashes, and "<" so that no
    # translation can close the element.
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return '"' + escaped.replace("\n", " ") + '"'


def page_counter_css(sentence: str) -> str:
    """A CSS `content` value from a translated sentence with %(page)s and %(pages)s: the
    placeholders become page counters, the words around them CSS strings, so Thai and
    English may order the words as they need."""
    tokens = []
    for part in re.split(r"(%\(page\)s|%\(pages\)s)", sentence):
        if part == "%(page)s":
            tokens.append("counter(page)")
        elif part == "%(pages)s":
            tokens.append("counter(pages)")
        elif part:
            tokens.append(_css_string(part))
    return " ".join(tokens)


def _base_context(study: Study, language: str, include_roster: bool) -> dict:
    fonts = {name: (font_dir() / file).as_uri() for name, file in FONT_FILES.items()}
    return {
        "study": study,
        "study_title": study_title(study, language),
        "other_title": study.title if language == "en" and study.title_en else "",
        "fonts": fonts,
        "page_counter": page_counter_css(_("Page %(page)s of %(pages)s")),
        "language": language,
        "include_roster": include_roster,
        "generated_at": timezone.now(),
        "software": f"{data.SOFTWARE_NAME} {data.software_version()}",
    }


def _chart_rows(rows, criterion_labels: dict[str, str]) -> list[dict]:
    return [
        {
            "row": row,
            "criterion": criterion_labels.get(row.result.criterion, row.result.criterion),
            "chart": charts.data_uri(
                charts.distribution_svg(
                    row.result.counts,
                    q1=float(row.result.q1) if row.result.q1 is not None else None,
                    q3=float(row.result.q3) if row.result.q3 is not None else None,
                )
            ),
            "counts": " · ".join(str(count) for count in row.result.counts),
        }
        for row in rows
    ]


def rating_round_context(report: data.RatingRoundReport) -> dict:
    """What the rating-round template needs besides the base context: the report and the
    rows of each domain with their distribution charts."""
    return {
        "report": report,
        "round": report.delphi_round,
        "results": report.results,
        "consensus_rule": data.consensus_rule_sentence(report.method),
        "groups": [
            {"domain": group.domain, "rows": _chart_rows(group.rows, report.criterion_labels)}
            for group in report.groups
        ],
    }


def round_report_html(
    *, delphi_round: Round, language: str = "th", include_roster: bool = False
) -> str:
    """The HTML of a round's report (see round_report_pdf); useful to inspect or benchmark."""
    _check_language(language)
    with translation.override(language):
        delphi_round = Round.objects.select_related("study", "panel").get(pk=delphi_round.pk)
        context = _base_context(delphi_round.study, language, include_roster)
        if delphi_round.kind == Round.Kind.OPEN:
            report = data.open_round_report(delphi_round)
            context |= {"report": report, "round": report.facts.delphi_round}
            template = "reports/round_open.html"
        else:
            report = data.rating_round_report(delphi_round)
            context |= rating_round_context(report)
            template = "reports/round_rating.html"
        if include_roster:
            context["roster"] = data.roster([delphi_round.panel])
        return render_to_string(template, context)


def round_report_pdf(
    *, delphi_round: Round, language: str = "th", include_roster: bool = False
) -> bytes:
    """The PDF report of one round, in `language` ("th" or "en").

    Rating and confirmation rounds: the round's facts, the method (scale, grouped formulas
    with a worked example, bands, the consensus rule as fixed and any protocol deviation),
    per domain a table of the frozen results with a distribution chart per statement, the
    statements without consensus and the comparison with the previous round; raises
    ReportUnavailable for a round not closed yet. Open rounds: the questions, the answers by
    expert code and the statements derived from them with their sources. Experts appear by
    code only unless `include_roster` is True.
    """
    return _render(
        round_report_html(
            delphi_round=delphi_round, language=language, include_roster=include_roster
        )
    )


def final_report_html(*, study: Study, language: str = "th", include_roster: bool = False) -> str:
    """The HTML of the study's final report (see final_report_pdf)."""
    _check_language(language)
    with translation.override(language):
        report = data.final_report(study)
        context = _base_context(study, language, include_roster) | {
            "report": report,
            "flow_chart": charts.participation_svg(report.participation),
            "consensus_rule": data.consensus_rule_sentence(report.method),
        }
        if report.model.source is not None:
            context["model_round"] = report.model.source.delphi_round
        if include_roster:
            context["roster"] = data.roster(report.panels)
        return render_to_string("reports/final.html", context)


def final_report_pdf(*, study: Study, language: str = "th", include_roster: bool = False) -> bytes:
    """The study's final report as a PDF in `language` ("th" or "en").

    A title page and a table of contents with page numbers; the study and its panels; the
    method; participation across rounds (flow diagram and table); item flow; the resulting
    model (statements of the last closed rating round in the high or highest band with
    consensus, by domain); the confirmation by the second panel, or a sentence that it has
    not taken place; and an appendix answering the ACCORD (2024) and CREDES (2017) items the
    site knows. Experts appear by code only unless `include_roster` is True.
    """
    return _render(final_report_html(study=study, language=language, include_roster=include_roster))
