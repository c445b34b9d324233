"""Printable A4 invitation letters (PDF) with the expert's personal link as text and QR code.

Some experts answer best from a letter on their desk: they scan the QR code with a phone camera.
The PDF embeds the vendored Sarabun font, and WeasyPrint is given a fetcher that reads only those
font files and inline data (`delphi_site.pdf`), so rendering a letter never makes the server
contact another host.
"""

import datetime
from dataclasses import dataclass

import segno
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from delphi_site.pdf import FONT_FILES, font_dir, render_pdf
from panels.models import Expert
from rounds.links import expert_link_url
from rounds.models import Invitation, Round

from .emails import study_title
from .selectors import personal_deadline


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


def letters_pdf(delphi_round: Round, *, base_url: str, expert: Expert | None = None) -> bytes:
    """The PDF of every expert's letter (one per page), or of one expert's letter.

    `delphi_round` must come with `study__owner` loaded or loadable. Experts whose link is
    revoked get no letter: the link printed on it would not work.
    """
    letters = letters_for_round(delphi_round, base_url=base_url, expert=expert)
    return render_pdf(letters_html(delphi_round, letters))
