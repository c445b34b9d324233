"""A confirmation round's suggestions: each domain gets a free-text box on the expert's page.

The expert's writes, under the same rules as their ratings (see the package docstring).
The researcher's proxy entry of suggestions is `rounds.proxy.services.suggestions_proxy_save`;
the round's domains are `selectors.round_domains`.
"""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from panels.models import Expert
from rounds.models import DomainSuggestion, Round, Submission

from .rules import ERRORS, RatingInput, check_accepts, check_length
from .store import round_hold, submission_touch
from .submission import QuestionnaireSaved, questionnaire_save


def suggestion_autosave(*, delphi_round: Round, expert: Expert, domain_pk: int, text: str) -> bool:
    """An expert's autosave of one domain's suggestion; a blank box removes it.

    Returns whether anything is stored or was removed. `delphi_round` should come from
    `rounds_for_expert` (it brings the expert's deadline). Raises RoundClosedError, or
    ValidationError `wrong_kind`, `foreign_domain`, `too_long`.
    """
    check_accepts(delphi_round, expert, None)
    if delphi_round.kind != Round.Kind.CONFIRMATION:
        raise ValidationError(ERRORS["wrong_kind"], code="wrong_kind")
    text = (text or "").strip()
    check_length(text)
    with transaction.atomic():
        # Held like every answer's write, so the round's closing cannot pass it.
        round_hold(delphi_round, expert)
        return _suggestion_store(submission_touch(delphi_round, expert), domain_pk, text)


def _suggestion_store(submission: Submission, domain_pk: int, text: str) -> bool:
    if text:
        DomainSuggestion.objects.bulk_create(
            [DomainSuggestion(submission=submission, domain_id=domain_pk, text=text)],
            update_conflicts=True,
            unique_fields=["submission", "domain"],
            update_fields=["text", "updated_at"],
        )
        return True
    deleted, _per_model = DomainSuggestion.objects.filter(
        submission=submission, domain_id=domain_pk
    ).delete()
    return bool(deleted)


@transaction.atomic
def suggestions_save(
    *, delphi_round: Round, expert: Expert, texts: dict[int, str], domain_ids: set[int]
) -> None:
    """Save the whole page's suggestions (domain pk → text; blank removes), as the plain form
    posts them. `domain_ids` are the round's domains: any other is refused."""
    check_accepts(delphi_round, expert, None)
    if set(texts) - domain_ids:
        raise ValidationError(ERRORS["foreign_domain"], code="foreign_domain")
    for text in texts.values():
        check_length(text)
    round_hold(delphi_round, expert)
    submission = submission_touch(delphi_round, expert)
    keep = {pk: text.strip() for pk, text in texts.items() if text.strip()}
    if keep:
        DomainSuggestion.objects.bulk_create(
            [
                DomainSuggestion(submission=submission, domain_id=pk, text=text)
                for pk, text in keep.items()
            ],
            update_conflicts=True,
            unique_fields=["submission", "domain"],
            update_fields=["text", "updated_at"],
        )
    blank = set(texts) - set(keep)
    if blank:
        DomainSuggestion.objects.filter(submission=submission, domain_id__in=blank).delete()


def confirmation_save(
    *,
    delphi_round: Round,
    expert: Expert,
    ratings: Sequence[RatingInput],
    texts: dict[int, str],
    domain_ids: set[int],
    submit: bool = False,
) -> QuestionnaireSaved:
    """The confirmation page as the plain form posts it: the suggestions, then the ratings on
    every criterion (`questionnaire_save`), submitted if asked.

    Two transactions, the suggestions' and the ratings', as the page has always saved them.
    Raises RoundClosedError, or ValidationError `foreign_domain` / `too_long` for a
    suggestion (then nothing is saved).
    """
    suggestions_save(delphi_round=delphi_round, expert=expert, texts=texts, domain_ids=domain_ids)
    return questionnaire_save(
        delphi_round=delphi_round, expert=expert, ratings=ratings, submit=submit
    )
