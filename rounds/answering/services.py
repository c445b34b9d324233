"""The answering writes: the contract used by every way of answering, and the expert's saves.

See the package docstring for who `actor` is and why the expert's writes are upserts. Saving
a whole questionnaire as the page posts it is in `submission`, a confirmation round's
suggestions in `suggestions`.
"""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from panels.models import AuditEvent, Expert
from panels.services import audit
from rounds.models import (
    DEFAULT_CRITERION,
    Channel,
    Invitation,
    OpenAnswer,
    OpenQuestion,
    Rating,
    Round,
    RoundItem,
    Submission,
)

from .rules import (
    ERRORS,
    MAX_OPEN_ANSWERS,
    RatingInput,
    check_accepts,
    check_length,
    check_question,
    clean_rating,
    clean_texts,
    completeness_problem,
)
from .store import (
    audit_proxy,
    lock_submission,
    mark_entered_by,
    mark_submitted,
    round_hold,
    submission_touch,
    upsert_open_answers,
    upsert_ratings,
)

# --------------------------------------------------------------------------- the contract


def submission_start(
    *, delphi_round: Round, expert: Expert, channel=Channel.WEB, entered_by=None
) -> Submission:
    """The expert's submission of the round, created on the first call; idempotent, race-safe.

    Creating one needs a round that accepts answers (see the package docstring for
    `entered_by`, which plays the part of `actor`). With `entered_by`, an existing
    submission takes the given channel and researcher, and the change is audited.
    Raises RoundClosedError, or ValidationError("foreign") for an expert of another panel.
    """
    if expert.panel_id != delphi_round.panel_id:
        raise ValidationError(ERRORS["foreign"], code="foreign")
    submission = (
        Submission.objects.select_related("delphi_round__study", "expert")
        .filter(delphi_round=delphi_round, expert=expert)
        .first()
    )
    if submission is None:
        check_accepts(delphi_round, expert, entered_by)
        # get_or_create retries the read when another request won the race to insert.
        submission, created = Submission.objects.get_or_create(
            delphi_round=delphi_round,
            expert=expert,
            defaults={"channel": channel, "entered_by": entered_by},
        )
        if created:
            if entered_by is not None:
                audit_proxy(submission, entered_by, change="start", channel=channel)
            return submission
    if entered_by is not None and (
        submission.channel != channel or submission.entered_by_id != entered_by.pk
    ):
        with transaction.atomic():
            submission = lock_submission(submission)
            check_accepts(submission.delphi_round, expert, entered_by)
            old_channel = submission.channel
            submission.channel, submission.entered_by = channel, entered_by
            submission.save(update_fields=["channel", "entered_by", "updated_at"])
            audit_proxy(submission, entered_by, change="channel", old=old_channel, new=channel)
    return submission


def open_answers_save(
    *, submission: Submission, question: OpenQuestion, texts: list[str], actor=None
) -> list[OpenAnswer]:
    """Replace the submission's answers to one question with `texts` (blanks are dropped).

    Each text keeps its place (position = index + 1), so the page's answer boxes and the
    database agree. Raises RoundClosedError or ValidationError (foreign, wrong_kind,
    too_long, position).
    """
    with transaction.atomic():
        if actor is not None:
            submission = lock_submission(submission)
            check_accepts(submission.delphi_round, submission.expert, actor)
        else:
            round_hold(submission.delphi_round, submission.expert)
        delphi_round = submission.delphi_round
        check_question(delphi_round, question)
        kept = clean_texts(texts)
        existing = submission.answers.filter(question=question)
        old = (
            list(existing.order_by("position").values_list("text", flat=True))
            if actor is not None
            else None
        )
        answers = [
            OpenAnswer(submission=submission, question=question, position=position, text=text)
            for position, text in kept.items()
        ]
        upsert_open_answers(answers)
        existing.exclude(position__in=kept).delete()
        if actor is not None:
            mark_entered_by(submission, actor)
            new = list(kept.values())
            if old != new:
                audit_proxy(submission, actor, question=question.pk, old=old, new=new)
    return answers


def _rating_store(submission: Submission, rating: Rating) -> Rating:
    """Upsert a rating that has passed check_accepts and clean_rating onto the submission."""
    rating.submission = submission
    upsert_ratings([rating])
    return rating


def rating_save(
    *,
    submission: Submission,
    item: RoundItem,
    value: int,
    comment: str = "",
    reason: str = "",
    criterion: str = DEFAULT_CRITERION,
    actor=None,
) -> Rating:
    """Save one rating (0 = cannot judge), replacing the earlier one of this item and criterion.

    The expert's save is one upsert statement (repeating it changes nothing) under a hold
    of the round (`round_hold`), which judges the status and deadline afresh. A proxy save
    locks the submission to read the old value for the audit trail. Raises
    RoundClosedError or ValidationError (foreign, wrong_kind, invalid_value, cannot_judge,
    too_long, reason_required).
    """
    answer = RatingInput(item, value, comment, reason, criterion)
    if actor is None:
        delphi_round = submission.delphi_round
        check_accepts(delphi_round, submission.expert, None)
        rating = clean_rating(
            delphi_round=delphi_round, answer=answer, actor=None, expert=submission.expert
        )
        with transaction.atomic():
            round_hold(delphi_round, submission.expert)
            return _rating_store(submission, rating)
    with transaction.atomic():
        submission = lock_submission(submission)
        delphi_round = submission.delphi_round
        check_accepts(delphi_round, submission.expert, actor)
        rating = clean_rating(
            delphi_round=delphi_round, answer=answer, actor=actor, expert=submission.expert
        )
        old = (
            Rating.objects.filter(submission=submission, item=item, criterion=criterion)
            .values("value", "comment", "reason")
            .first()
        )
        _rating_store(submission, rating)
        mark_entered_by(submission, actor)
        new = {"value": rating.value, "comment": rating.comment, "reason": rating.reason}
        if old != new:
            audit_proxy(submission, actor, item=item.pk, criterion=criterion, old=old, new=new)
    return rating


@transaction.atomic
def submission_submit(*, submission: Submission, actor=None) -> Submission:
    """Submit the submission (again, after edits: the latest time counts).

    The round is held and the submission locked (`lock_submission`), so a submit and the
    round's closing never interleave. Raises RoundClosedError, or ValidationError with code
    "incomplete" (a statement is unrated), "reasons_missing" (the round asks for reasons) or
    "empty" (no answer at all); a proxy submit only needs one answer.
    """
    submission = lock_submission(submission)
    delphi_round = submission.delphi_round
    check_accepts(delphi_round, submission.expert, actor)
    problem = completeness_problem(submission, delphi_round, actor)
    if problem is not None:
        raise problem
    mark_submitted(submission, actor)
    if actor is not None:
        audit_proxy(submission, actor, change="submit")
    return submission


# --------------------------------------------------------------------------- the expert's pages


def rating_autosave(
    *,
    delphi_round: Round,
    expert: Expert,
    item: RoundItem,
    value: int,
    comment: str = "",
    reason: str = "",
    criterion: str = DEFAULT_CRITERION,
) -> Rating:
    """An expert's autosave of one statement on one criterion: three statements, the
    round's hold, the submission's and the rating's, in one transaction.

    `delphi_round` should come from `round_item_for_expert`, which also brings the deadline
    and the previous range. The rules run before the submission is touched, so a refused
    answer starts no submission; the round's status and deadline are checked again under
    the hold (`round_hold`), so a save acknowledged while the round closes is in the frozen
    results, and one after it is refused. Raises as `rating_save` does (and `criterion` for
    a criterion the confirmation round does not rate on).
    """
    check_accepts(delphi_round, expert, None)
    rating = clean_rating(
        delphi_round=delphi_round,
        answer=RatingInput(item, value, comment, reason, criterion),
        actor=None,
        expert=expert,
    )
    with transaction.atomic():
        round_hold(delphi_round, expert)
        return _rating_store(submission_touch(delphi_round, expert), rating)


def open_answer_autosave(
    *, delphi_round: Round, expert: Expert, question: OpenQuestion, position: int, text: str
) -> bool:
    """An expert's autosave of one answer box; a blank box removes that answer.

    Three statements in one transaction (the round's hold, see `rating_autosave`; the
    submission's; the answer's). Returns whether anything is stored or was removed, so the
    page says "saved" only when something happened.
    """
    check_accepts(delphi_round, expert, None)
    check_question(delphi_round, question)
    if not 1 <= position <= MAX_OPEN_ANSWERS:
        raise ValidationError(
            ERRORS["position"], code="position", params={"limit": MAX_OPEN_ANSWERS}
        )
    text = (text or "").strip()
    check_length(text)
    with transaction.atomic():
        round_hold(delphi_round, expert)
        submission = submission_touch(delphi_round, expert)
        if text:
            upsert_open_answers(
                [OpenAnswer(submission=submission, question=question, position=position, text=text)]
            )
            return True
        deleted, _per_model = OpenAnswer.objects.filter(
            submission=submission, question=question, position=position
        ).delete()
    return bool(deleted)


def answer_late_record(*, delphi_round: Round, expert: Expert, content: dict) -> AuditEvent:
    """Keep what an expert sent after the round stopped accepting their answers.

    Nothing an expert sends is lost silently: the page shows the text back to them, and the
    researchers find it in the study's audit log.
    """
    return audit(
        study=delphi_round.study,
        actor=None,
        action="answer.late",
        expert=expert.code,
        round=delphi_round.number,
        content=content,
    )


@transaction.atomic
def consent_give(*, expert: Expert) -> bool:
    """Record the expert's consent to take part; returns whether it is new (and audited)."""
    # The filter makes a second click (or a second tab) keep the first consent's time.
    given = Expert.objects.filter(pk=expert.pk, consent_given_at__isnull=True).update(
        consent_given_at=timezone.now()
    )
    if given:
        audit(study=expert.panel.study, actor=None, action="expert.consent", expert=expert.code)
    return bool(given)


def invitations_mark_opened(*, expert: Expert, rounds: Sequence[Round]) -> int:
    """Record the first time the expert opened their link for these rounds (tracking page).

    One statement, and no transaction of its own: it runs on every visit of the pages.
    """
    if not rounds:
        return 0
    return Invitation.objects.filter(
        expert=expert, delphi_round__in=rounds, opened_at__isnull=True
    ).update(opened_at=timezone.now())
