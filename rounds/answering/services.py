"""The answering writes: the contract used by every way of answering, and the expert's saves.

See the package docstring for who `actor` is and why the expert's writes are upserts.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
    RoundClosedError,
    answering_deadline,
    check_accepts,
    check_length,
    check_question,
    clean_rating,
    clean_texts,
    completeness_problem,
    remember_expert_deadline,
)


def _upsert_ratings(ratings: list[Rating]) -> None:
    if ratings:
        Rating.objects.bulk_create(
            ratings,
            update_conflicts=True,
            unique_fields=["submission", "item", "criterion"],
            update_fields=["value", "comment", "reason", "updated_at"],
        )


def _upsert_open_answers(answers: list[OpenAnswer]) -> None:
    if answers:
        OpenAnswer.objects.bulk_create(
            answers,
            update_conflicts=True,
            unique_fields=["submission", "question", "position"],
            update_fields=["text", "updated_at"],
        )


def _submission_touch(delphi_round: Round, expert: Expert) -> Submission:
    """The expert's web submission of the round, created if missing, marked changed now.

    One statement: the unique (round, expert) constraint settles a race between two tabs,
    and on PostgreSQL the conflict update also holds the row until the transaction ends.
    Only pk, round and expert of the returned object are loaded — not its status.
    """
    submission = Submission(delphi_round=delphi_round, expert=expert, channel=Channel.WEB)
    Submission.objects.bulk_create(
        [submission],
        update_conflicts=True,
        unique_fields=["delphi_round", "expert"],
        update_fields=["updated_at"],
    )
    return submission


def _lock_submission(submission: Submission) -> Submission:
    # Locks the round row too: a submission and the round's closing (which freezes the
    # results) must not interleave, or an answer could be accepted after the freeze read.
    locked = (
        Submission.objects.select_for_update(of=("self", "delphi_round"))
        .select_related("delphi_round__study", "expert")
        .annotate(
            expert_deadline_override=Subquery(
                Invitation.objects.filter(
                    delphi_round=OuterRef("delphi_round"), expert=OuterRef("expert")
                ).values("deadline_override")[:1]
            )
        )
        .get(pk=submission.pk)
    )
    remember_expert_deadline(locked.delphi_round, locked.expert, locked.expert_deadline_override)
    return locked


def _audit_proxy(submission: Submission, actor, **detail) -> None:
    audit(
        study=submission.delphi_round.study,
        actor=actor,
        action="answer.proxy",
        expert=submission.expert.code,
        round=submission.delphi_round.number,
        **detail,
    )


def _mark_entered_by(submission: Submission, actor) -> None:
    if submission.entered_by_id != actor.pk:
        submission.entered_by = actor
        submission.save(update_fields=["entered_by", "updated_at"])


# --------------------------------------------------------------------------- the contract


def submission_start(
    *, delphi_round: Round, expert: Expert, channel=Channel.WEB, entered_by=None
) -> Submission:
    """The expert's submission of the round, created on the first call; idempotent, race-safe.

    Creating one needs a round that accepts answers (see the module docstring for
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
                _audit_proxy(submission, entered_by, change="start", channel=channel)
            return submission
    if entered_by is not None and (
        submission.channel != channel or submission.entered_by_id != entered_by.pk
    ):
        with transaction.atomic():
            submission = _lock_submission(submission)
            check_accepts(submission.delphi_round, expert, entered_by)
            old_channel = submission.channel
            submission.channel, submission.entered_by = channel, entered_by
            submission.save(update_fields=["channel", "entered_by", "updated_at"])
            _audit_proxy(submission, entered_by, change="channel", old=old_channel, new=channel)
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
            submission = _lock_submission(submission)
        delphi_round = submission.delphi_round
        check_accepts(delphi_round, submission.expert, actor)
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
        _upsert_open_answers(answers)
        existing.exclude(position__in=kept).delete()
        if actor is not None:
            _mark_entered_by(submission, actor)
            new = list(kept.values())
            if old != new:
                _audit_proxy(submission, actor, question=question.pk, old=old, new=new)
    return answers


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

    The expert's save is one upsert statement: repeating it changes nothing, and it needs
    no lock, since a rating may change in a draft and a submitted submission alike. It
    judges the deadline by `submission.delphi_round` as the caller loaded it. A proxy save
    locks the submission to read the old value for the audit trail. Raises
    RoundClosedError or ValidationError (foreign, wrong_kind, invalid_value, cannot_judge,
    too_long, reason_required).
    """
    answer = RatingInput(item, value, comment, reason, criterion)
    if actor is None:
        delphi_round = submission.delphi_round
        check_accepts(delphi_round, submission.expert, None)
        rating = clean_rating(
            delphi_round=delphi_round, answer=answer, actor=None, submission_pk=submission.pk
        )
        _upsert_ratings([rating])
        return rating
    with transaction.atomic():
        submission = _lock_submission(submission)
        delphi_round = submission.delphi_round
        check_accepts(delphi_round, submission.expert, actor)
        rating = clean_rating(
            delphi_round=delphi_round, answer=answer, actor=actor, submission_pk=submission.pk
        )
        old = (
            Rating.objects.filter(submission=submission, item=item, criterion=criterion)
            .values("value", "comment", "reason")
            .first()
        )
        _upsert_ratings([rating])
        _mark_entered_by(submission, actor)
        new = {"value": rating.value, "comment": rating.comment, "reason": rating.reason}
        if old != new:
            _audit_proxy(submission, actor, item=item.pk, criterion=criterion, old=old, new=new)
    return rating


def _mark_submitted(submission: Submission, actor) -> None:
    submission.status = Submission.Status.SUBMITTED
    submission.submitted_at = timezone.now()
    fields = ["status", "submitted_at", "updated_at"]
    if actor is not None:
        submission.entered_by = actor
        fields.append("entered_by")
    submission.save(update_fields=fields)


@transaction.atomic
def submission_submit(*, submission: Submission, actor=None) -> Submission:
    """Submit the submission (again, after edits: the latest time counts).

    The round and the submission are locked, so a submit and the round's closing never
    interleave. Raises RoundClosedError, or ValidationError with code "incomplete" (a
    statement is unrated), "reasons_missing" (the round asks for reasons) or "empty" (no
    answer at all); a proxy submit only needs one answer.
    """
    submission = _lock_submission(submission)
    delphi_round = submission.delphi_round
    check_accepts(delphi_round, submission.expert, actor)
    problem = completeness_problem(submission, delphi_round, actor)
    if problem is not None:
        raise problem
    _mark_submitted(submission, actor)
    if actor is not None:
        _audit_proxy(submission, actor, change="submit")
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
    """An expert's autosave of one statement on one criterion: two statements, the
    submission's and the rating's.

    `delphi_round` should come from `round_item_for_expert`, which also brings the deadline
    and the previous range. Raises as `rating_save` does (and `criterion` for a criterion the
    confirmation round does not rate on).
    """
    check_accepts(delphi_round, expert, None)
    clean_rating(
        delphi_round=delphi_round,
        answer=RatingInput(item, value, comment, reason, criterion),
        actor=None,
    )
    submission = _submission_touch(delphi_round, expert)
    return rating_save(
        submission=submission,
        item=item,
        value=value,
        comment=comment,
        reason=reason,
        criterion=criterion,
    )


def open_answer_autosave(
    *, delphi_round: Round, expert: Expert, question: OpenQuestion, position: int, text: str
) -> bool:
    """An expert's autosave of one answer box; a blank box removes that answer.

    Two statements (the submission's and the answer's). Returns whether anything is stored
    or was removed, so the page says "saved" only when something happened.
    """
    check_accepts(delphi_round, expert, None)
    check_question(delphi_round, question)
    if not 1 <= position <= MAX_OPEN_ANSWERS:
        raise ValidationError(
            ERRORS["position"], code="position", params={"limit": MAX_OPEN_ANSWERS}
        )
    text = (text or "").strip()
    check_length(text)
    submission = _submission_touch(delphi_round, expert)
    if text:
        _upsert_open_answers(
            [OpenAnswer(submission=submission, question=question, position=position, text=text)]
        )
        return True
    deleted, _per_model = OpenAnswer.objects.filter(
        submission=submission, question=question, position=position
    ).delete()
    return bool(deleted)


@dataclass
class QuestionnaireSaved:
    """What `questionnaire_save` did: answers it refused (keyed by item or question pk) and,
    when asked to submit, whether it did or why not."""

    submission: Submission
    refused: dict[int, ValidationError] = field(default_factory=dict)
    submitted: bool = False
    submit_error: ValidationError | None = None


@transaction.atomic
def questionnaire_save(
    *,
    delphi_round: Round,
    expert: Expert,
    ratings: Sequence[RatingInput] = (),
    open_answers: Mapping[OpenQuestion, Sequence[str]] | None = None,
    submit: bool = False,
) -> QuestionnaireSaved:
    """Save a whole questionnaire as the expert's page posts it, and submit it if asked.

    Every answer that keeps the rules is saved even when others are refused, so "Save
    draft" never loses good answers; the refused ones come back to be shown beside their
    statement. It submits only when nothing was refused and the questionnaire is complete;
    otherwise `submit_error` says why and the answers stay saved as a draft. A constant
    number of queries whatever the number of statements. Raises RoundClosedError (nothing
    saved) when the round no longer accepts the expert's answers.
    """
    check_accepts(delphi_round, expert, None)
    refused: dict[int, ValidationError] = {}
    ratings_to_save: list[Rating] = []
    for answer in ratings:
        try:
            ratings_to_save.append(
                clean_rating(delphi_round=delphi_round, answer=answer, actor=None)
            )
        except ValidationError as error:
            refused[answer.item.pk] = error
    answers_to_save: list[OpenAnswer] = []
    kept_positions: dict[int, list[int]] = {}
    for question, texts in (open_answers or {}).items():
        try:
            check_question(delphi_round, question)
            kept = clean_texts(texts)
        except ValidationError as error:
            refused[question.pk] = error
            continue
        kept_positions[question.pk] = list(kept)
        answers_to_save += [
            OpenAnswer(question=question, position=position, text=text)
            for position, text in kept.items()
        ]

    submission = _submission_touch(delphi_round, expert)
    for row in [*ratings_to_save, *answers_to_save]:
        row.submission = submission
    _upsert_ratings(ratings_to_save)
    _upsert_open_answers(answers_to_save)
    if kept_positions:
        stale = Q()
        for question_pk, positions in kept_positions.items():
            stale |= Q(question_id=question_pk) & ~Q(position__in=positions)
        OpenAnswer.objects.filter(stale, submission=submission).delete()

    outcome = QuestionnaireSaved(submission=submission, refused=refused)
    if submit:
        if refused:
            outcome.submit_error = ValidationError(
                _("Some answers need your attention before you can submit."), code="refused"
            )
            return outcome
        # Hold the round like submission_submit does, so the round cannot close between
        # this check and the status change.
        status = (
            Round.objects.select_for_update()
            .filter(pk=delphi_round.pk)
            .values_list("status", flat=True)
            .get()
        )
        if status != Round.Status.OPEN:
            raise RoundClosedError(
                deadline=answering_deadline(delphi_round=delphi_round, expert=expert)
            )
        if not _rates_every_item(delphi_round, ratings_to_save):
            outcome.submit_error = completeness_problem(submission, delphi_round, None)
        if outcome.submit_error is None:
            _mark_submitted(submission, None)
            outcome.submitted = True
    return outcome


def _rates_every_item(delphi_round: Round, ratings: Sequence[Rating]) -> bool:
    """Whether the ratings just saved alone complete a rating round. Each has passed
    clean_rating, reason rule included, so the completeness query (the costliest part of a
    submit) would find nothing missing; a count of the items is enough."""
    if delphi_round.kind != Round.Kind.RATING or not ratings:
        return False
    return len({rating.item_id for rating in ratings}) == delphi_round.items.count()


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
