"""Proxy entry of a confirmation round's suggestions: the researcher keys in what a qualified
person wrote about each domain on paper, by phone, … Ratings go through
`rounds.answering.rating_save` like any other round's."""

from django.core.exceptions import ValidationError
from django.db import transaction

from panels.services import audit

from .answering.rules import check_accepts, check_length
from .answering.services import _lock_submission, _mark_entered_by
from .confirmation import ERRORS
from .models import DomainSuggestion, Submission

PROXY_ACTION = "answer.proxy"


@transaction.atomic
def suggestions_proxy_save(
    *, submission: Submission, texts: dict[int, str], domain_ids: set[int], actor
) -> int:
    """Store the suggestions the researcher keyed in (domain pk → text; blank removes) and
    return how many changed.

    Like a proxy rating it may come after the expert's own deadline but not after the round
    closed. Each change is audited as "answer.proxy" with the domain and old → new text.
    Raises RoundClosedError, or ValidationError `foreign_domain` (a domain outside
    `domain_ids`, the round's domains) or `too_long`.
    """
    if set(texts) - domain_ids:
        raise ValidationError(ERRORS["foreign_domain"], code="foreign_domain")
    check_length(*texts.values())
    # The lock keeps the round from closing (and freezing) between the check and the write.
    submission = _lock_submission(submission)
    check_accepts(submission.delphi_round, submission.expert, actor)
    old = dict(
        DomainSuggestion.objects.filter(submission=submission, domain_id__in=texts).values_list(
            "domain_id", "text"
        )
    )
    changed = 0
    for domain_pk, raw in texts.items():
        text = raw.strip()
        before = old.get(domain_pk, "")
        if text == before:
            continue
        if text:
            DomainSuggestion.objects.update_or_create(
                submission=submission, domain_id=domain_pk, defaults={"text": text}
            )
        else:
            DomainSuggestion.objects.filter(submission=submission, domain_id=domain_pk).delete()
        audit(
            study=submission.delphi_round.study,
            actor=actor,
            action=PROXY_ACTION,
            expert=submission.expert.code,
            round=submission.delphi_round.number,
            domain=domain_pk,
            old=before,
            new=text,
        )
        changed += 1
    if changed:
        _mark_entered_by(submission, actor)
    return changed
