"""What experts receive: the invitation and reminder e-mails and the LINE text.

Written in the study's language, whatever language the researcher's screen is in.
"""

import datetime
import re

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from panels.models import Expert, Study
from rounds.links import expert_link_url
from rounds.models import Invitation, Round

from .selectors import personal_deadline

INVITATION = "invitation"
REMINDER = "reminder"
KINDS = (INVITATION, REMINDER)


def study_title(study: Study) -> str:
    """The title in the study's language (the English title for English studies, if given)."""
    if study.language == Study.Language.ENGLISH and study.title_en:
        return study.title_en
    return study.title


def _researcher_name(study: Study) -> str:
    owner = study.owner
    return owner.get_full_name() or owner.get_username()


def _email_context(*, invitation: Invitation, url: str) -> dict:
    delphi_round = invitation.delphi_round
    study = delphi_round.study
    return {
        "study": study,
        "study_title": study_title(study),
        "round": delphi_round,
        "expert": invitation.expert,
        "url": url,
        "deadline": personal_deadline(invitation, delphi_round),
        "researcher": _researcher_name(study),
        "reminder": None,
    }


def _tidy(text: str) -> str:
    """Template tags leave blank lines behind; a plain-text e-mail keeps one between paragraphs."""
    return re.sub(r"\n\s*\n(\s*\n)+", "\n\n", text).strip() + "\n"


def email_message(*, invitation: Invitation, kind: str, base_url: str) -> EmailMultiAlternatives:
    """The invitation or reminder e-mail for one expert, in the study's language.

    `invitation` must come with expert and delphi_round__study__owner loaded.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown e-mail kind {kind!r}")
    study = invitation.delphi_round.study
    url = expert_link_url(invitation.expert, base_url=base_url)
    context = _email_context(invitation=invitation, url=url)
    with translation.override(study.language):
        subject = render_to_string(f"rounds/email/{kind}_subject.txt", context)
        text = render_to_string(f"rounds/email/{kind}.txt", context)
        html = render_to_string(f"rounds/email/{kind}.html", context)
    owner_email = study.owner.email
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=_tidy(text),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.expert.email],
        reply_to=[owner_email] if owner_email else None,
    )
    message.attach_alternative(html, "text/html")
    return message


def line_message(
    expert: Expert,
    delphi_round: Round,
    url: str,
    *,
    deadline: datetime.datetime | None = None,
) -> str:
    """A ready message the researcher pastes into LINE, in the study's language.

    `deadline` is the expert's personal deadline when there is one; the round's otherwise.
    """
    study = delphi_round.study
    context = {
        "study_title": study_title(study),
        "round": delphi_round,
        "expert": expert,
        "url": url,
        "deadline": deadline or delphi_round.closes_at,
    }
    with translation.override(study.language):
        return _tidy(render_to_string("rounds/email/line_message.txt", context)).strip()
