"""Builders for the PDF report tests (engineer G's): small rated studies and text extraction."""

import re
import shutil
import subprocess

from rounds.models import Statement
from tests.analysis.factories_f import answer, close, rating_round
from tests.factories import DomainFactory, ExpertFactory, PanelFactory


def closed_rating_round(study, ratings: dict[str, list[int]], *, number: int = 2):
    """A closed, frozen rating round of `study` asking one statement per key of `ratings`
    (its text), each answered with the listed values by as many experts, in one domain."""
    panel = PanelFactory(study=study, code_prefix="E")
    size = max(len(values) for values in ratings.values())
    experts = [ExpertFactory(panel=panel, code=f"E{n + 1:02d}") for n in range(size)]
    domain = DomainFactory(study=study, order=1, title="ด้านแนวคิดพื้นฐาน")
    statements = [
        Statement.objects.create(study=study, domain=domain, order=order, text=text)
        for order, text in enumerate(ratings)
    ]
    delphi_round = rating_round(study=study, panel=panel, number=number, statements=statements)
    by_expert = {
        expert: [values[n] if n < len(values) else None for values in ratings.values()]
        for n, expert in enumerate(experts)
    }
    answer(delphi_round, by_expert)
    return close(delphi_round)


def pdf_text(pdf: bytes) -> str:
    """The PDF's text in drawing order (pdftotext -raw keeps Thai marks with their letters),
    pages separated by form feeds."""
    if shutil.which("pdftotext") is None:
        raise RuntimeError("pdftotext (poppler-utils) is needed: `make test` installs it.")
    return subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def flat(text: str) -> str:
    """Text with every run of whitespace made one space (lines wrap anywhere in a PDF)."""
    return " ".join(text.split())


# Thai vowel and tone marks that sit above or below a letter, and SARA AM.
_MARKS = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")


def thai_skeleton(text: str) -> str:
    """Thai text without spaces and without the marks above and below the letters.

    HarfBuzz draws SARA AM (ำ) as two glyphs, NIKHAHIT and SARA AA, and WeasyPrint maps each
    glyph to text once per font, so text extracted from the PDF can lose or misplace the
    marks of ำ even though the page shows it correctly. Comparing letters and the vowels on
    the line still tells whether a statement is in the report.
    """
    return _MARKS.sub("", "".join(text.split()).replace("\u0e33", "\u0e32"))
