"""Printable A4 invitation letters (PDF) with the expert's personal link as text and QR code.

Some experts answer best from a letter on their desk: they scan the QR code with a phone camera.
The PDF embeds the vendored Sarabun font, and WeasyPrint is given a fetcher that reads only those
font files and inline data, so rendering a letter never makes the server contact another host.
"""

import datetime
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import segno
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from weasyprint import HTML, Document
from weasyprint.urls import URLFetcher

from panels.models import Expert

from .invitations import personal_deadline, study_title
from .links import expert_link_url
from .models import Invitation, Round

FONT_DIR = "vendor/fonts/sarabun"
FONT_FILES = {
    "regular": "Sarabun-Regular.ttf",
    "bold": "Sarabun-Bold.ttf",
    "italic": "Sarabun-Italic.ttf",
}


def font_dir() -> Path:
    found = finders.find(f"{FONT_DIR}/{FONT_FILES['regular']}")
    if not found:
        raise FileNotFoundError(f"The vendored font is missing from static/{FONT_DIR}/.")
    return Path(found).resolve().parent


class LocalOnlyFetcher(URLFetcher):
    """Fetch `data:` URLs and files inside one folder; refuse everything else.

    Refusing remote URLs keeps rendering from waiting on (or leaking to) another host; limiting
    `file:` to the font folder keeps text in a letter from ever pulling in another local file.
    """

    def __init__(self, allowed_dir: Path):
        super().__init__(allowed_protocols=("file", "data"))
        self.allowed_dir = allowed_dir.resolve()

    def fetch(self, url: str, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "file":
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if not path.is_relative_to(self.allowed_dir):
                raise ValueError(f"Refused to read a file outside the font folder: {url}")
        elif scheme != "data":
            raise ValueError(f"Refused to fetch a resource from outside: {url}")
        return super().fetch(url, headers)


@dataclass
class Letter:
    expert: Expert
    url: str
    qr_svg: SafeString
    deadline: datetime.datetime | None


def qr_svg(url: str) -> SafeString:
    # Medium error correction survives a crease or a smudge on a posted letter.
    svg = segno.make(url, error="m").svg_inline(omitsize=True, border=2)
    # segno writes the SVG itself from the URL's bits: no user text reaches the markup.
    return mark_safe(svg)  # noqa: S308


def letters_for_round(
    delphi_round: Round, *, base_url: str, expert: Expert | None = None
) -> list[Letter]:
    """One letter per expert of the round's panel (or for one expert), skipping revoked links."""
    experts = Expert.objects.filter(panel_id=delphi_round.panel_id, link_revoked_at__isnull=True)
    if expert is not None:
        experts = experts.filter(pk=expert.pk)
    invitations = {
        invitation.expert_id: invitation
        for invitation in Invitation.objects.filter(delphi_round=delphi_round)
    }
    letters = []
    for person in experts.order_by("code"):
        url = expert_link_url(person, base_url=base_url)
        deadline = personal_deadline(invitations.get(person.pk), delphi_round)
        letters.append(Letter(expert=person, url=url, qr_svg=qr_svg(url), deadline=deadline))
    return letters


def letters_html(delphi_round: Round, letters: list[Letter]) -> str:
    """The letters as one HTML document, in the study's language, one A4 page each."""
    study = delphi_round.study
    fonts = {name: (font_dir() / file).as_uri() for name, file in FONT_FILES.items()}
    context = {
        "study": study,
        "study_title": study_title(study),
        "round": delphi_round,
        "letters": letters,
        "fonts": fonts,
        "today": timezone.localdate(),
        "researcher": study.owner.get_full_name() or study.owner.get_username(),
    }
    with translation.override(study.language):
        return render_to_string("rounds/letters/letters.html", context)


def render_document(html: str) -> Document:
    """Lay the letters out on A4 pages, reading nothing but the vendored fonts."""
    directory = font_dir()
    return HTML(
        string=html,
        base_url=directory.as_uri() + "/",
        url_fetcher=LocalOnlyFetcher(directory),
    ).render()


def render_pdf(html: str) -> bytes:
    return render_document(html).write_pdf()


def letters_pdf(delphi_round: Round, *, base_url: str, expert: Expert | None = None) -> bytes:
    """The PDF of every expert's letter (one per page), or of one expert's letter.

    `delphi_round` must come with `study__owner` loaded or loadable. Experts whose link is
    revoked get no letter: the link printed on it would not work.
    """
    letters = letters_for_round(delphi_round, base_url=base_url, expert=expert)
    return render_pdf(letters_html(delphi_round, letters))
