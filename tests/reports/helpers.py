"""Helpers for the report tests: reading a PDF's text back, and loading a round as the
download view does. They create nothing; the builders are in tests/reports/factories.py."""

import re
import shutil
import subprocess

from rounds.models import Round


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


def loaded(delphi_round: Round) -> Round:
    """The round as the download view loads it (study, panel and previous round joined)."""
    return Round.objects.select_related("study", "panel", "previous_round").get(pk=delphi_round.pk)
