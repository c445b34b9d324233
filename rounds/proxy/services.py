"""Proxy entry's writes: one form's corrections, all or nothing, then the submit if asked; and
a confirmation round's suggestions keyed in from paper. Ratings and open answers go through
`rounds.answering.services` like any other round's, with the researcher as `actor`."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from panels.models import Expert
from panels.services import audit
from rounds.answering.rules import ERRORS, RoundClosedError, check_accepts, check_length
from rounds.answering.services import (
    open_answers_save,
    rating_save,
    submission_start,
    submission_submit,
)
from rounds.answering.store import PROXY_ACTION, lock_submission, mark_entered_by
from rounds.models import DomainSuggestion, OpenQuestion, Round, RoundItem, Submission


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
    submission = lock_submission(submission)
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
        mark_entered_by(submission, actor)
    return changed


class AnswerRefused(Exception):
    """One answer of the form was refused (`error`), so nothing of the form was saved.

    It names the question, or the item and criterion, so the form shows it beside them.
    """

    def __init__(
        self,
        error: ValidationError,
        *,
        question: OpenQuestion | None = None,
        item: RoundItem | None = None,
        criterion: str | None = None,
    ):
        super().__init__(error)
        self.error = error
        self.question = question
        self.item = item
        self.criterion = criterion


@dataclass
class ProxySaved:
    """What `proxy_entry_save` did: the submission (None when nothing was entered at all),
    how many answers changed, and, when asked to submit, whether it did or why not."""

    submission: Submission | None
    changed: int
    submitted: bool = False
    submit_error: ValidationError | None = None


@transaction.atomic
def _changes_save(
    *,
    delphi_round: Round,
    expert: Expert,
    submission: Submission | None,
    channel: str,
    answers: dict,
    ratings: list,
    suggestions: dict[int, str],
    domain_ids: set[int],
    actor,
) -> tuple[Submission | None, int]:
    """Every correction of one form, or none of them; returns the submission and the count.

    All or nothing, so that a refused answer sends the whole form back as typed instead of
    leaving half of it saved. A form that changes nothing creates no submission.
    """
    changed = len(answers) + len(ratings) + len(suggestions)
    if submission is None and not changed:
        return None, 0
    if submission is None or changed or submission.channel != channel:
        submission = submission_start(
            delphi_round=delphi_round, expert=expert, channel=channel, entered_by=actor
        )
    for question, texts in answers.items():
        try:
            open_answers_save(submission=submission, question=question, texts=texts, actor=actor)
        except RoundClosedError:
            raise
        except ValidationError as error:
            # Shown beside the question it concerns; the rollback keeps nothing half-saved.
            raise AnswerRefused(error, question=question) from error
    for change in ratings:
        try:
            rating_save(
                submission=submission,
                item=change.item,
                value=change.value,
                comment=change.comment,
                reason=change.reason,
                criterion=change.criterion,
                actor=actor,
            )
        except RoundClosedError:
            raise
        except ValidationError as error:
            raise AnswerRefused(error, item=change.item, criterion=change.criterion) from error
    if suggestions:
        suggestions_proxy_save(
            submission=submission, texts=suggestions, domain_ids=domain_ids, actor=actor
        )
    return submission, changed


def proxy_entry_save(
    *,
    delphi_round: Round,
    expert: Expert,
    submission: Submission | None,
    channel: str,
    answers: dict,
    ratings: list,
    suggestions: dict[int, str],
    domain_ids: set[int],
    mark_submitted: bool,
    actor,
) -> ProxySaved:
    """Save what the researcher changed in one expert's entry form, then submit if asked.

    `answers` (question → texts), `ratings` (each with item, value, comment, reason and
    criterion) and `suggestions` (domain pk → text) are only what changed; `domain_ids` are
    the round's domains. The changes are one transaction; the submit is another, so a
    refused submit (kept in `submit_error`) keeps the saved corrections. Raises
    AnswerRefused, RoundClosedError or ValidationError (a suggestion's), and then nothing
    is saved.
    """
    submission, changed = _changes_save(
        delphi_round=delphi_round,
        expert=expert,
        submission=submission,
        channel=channel,
        answers=answers,
        ratings=ratings,
        suggestions=suggestions,
        domain_ids=domain_ids,
        actor=actor,
    )
    saved = ProxySaved(submission=submission, changed=changed)
    if submission is not None and mark_submitted and not submission.is_submitted:
        try:
            submission_submit(submission=submission, actor=actor)
        except ValidationError as error:
            # Whatever was saved stays saved (and audited); only the submission is missing.
            saved.submit_error = error
        else:
            saved.submitted = True
    return saved
