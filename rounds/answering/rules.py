"""The answering rules: deadlines, the reason rule, what a valid answer is, completeness.

Pure checks: they read what they need (at most one query each, none when the caller has
attached it beforehand, see `remember_expert_deadline` and
`selectors.remember_previous_ranges`) and raise ValidationError with a code; the writes are in
`services`, `submission` and `suggestions`.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from delphi_site.numbers import format_number
from panels.models import Expert
from rounds.models import (
    CANNOT_JUDGE,
    DEFAULT_CRITERION,
    Invitation,
    ItemResult,
    OpenAnswer,
    OpenQuestion,
    Rating,
    Round,
    RoundItem,
    Submission,
)
from rounds.results import previous_ratings_for_expert

# Longer than any thoughtful answer, short enough that a pasted document is refused kindly.
MAX_TEXT_LENGTH = 5000
# Free-text answers per open question.
MAX_OPEN_ANSWERS = 20

ERRORS = {
    "closed": _("This round no longer accepts answers."),
    "foreign": _("This question does not belong to this round."),
    "wrong_kind": _("This round does not ask for this kind of answer."),
    "invalid_value": _("Please choose one of the points of the scale."),
    "criterion": _("This round does not rate statements on this criterion."),
    "cannot_judge": _("This round does not offer “cannot judge”."),
    "reason_required": _(
        "Your answer lies outside the range of the middle half of the panel in the previous "
        "round (%(q1)s to %(q3)s). Please give a short reason."
    ),
    "too_long": _("Please keep each answer under %(limit)s characters."),
    "position": _("A question takes at most %(limit)s answers."),
    "incomplete": _(
        "Please rate every statement before you submit: %(missing)s of %(total)s are not "
        "answered yet."
    ),
    "reasons_missing": _(
        "Please give a reason for each answer outside the previous round's range before you "
        "submit (%(count)s missing)."
    ),
    "empty": _("Please write at least one answer before you submit."),
    "foreign_domain": _("This domain is not part of this round."),
}


class RoundClosedError(ValidationError):
    """The round accepts no answers from this expert now; `deadline` says since when, if known."""

    def __init__(self, message=None, *, deadline: datetime | None = None):
        self.deadline = deadline
        super().__init__(message or ERRORS["closed"], code="closed")


# --------------------------------------------------------------------------- deadlines


def deadline_override_subquery(expert: Expert, round_ref) -> Subquery:
    return Subquery(
        Invitation.objects.filter(delphi_round=round_ref, expert=expert).values(
            "deadline_override"
        )[:1]
    )


def remember_expert_deadline(delphi_round: Round, expert: Expert, override) -> None:
    """Attach an expert's personal deadline already read, so the checks need no query of their own.

    The expert's pk goes with it: a Round object shared by a loop over several experts must
    never lend one expert's deadline to another.
    """
    delphi_round.expert_deadline_for = expert.pk
    delphi_round.expert_deadline_override = override


def answering_deadline(*, delphi_round: Round, expert: Expert) -> datetime | None:
    """The expert's deadline: their invitation's personal deadline, else the round's, else None."""
    if getattr(delphi_round, "expert_deadline_for", None) == expert.pk:
        override = delphi_round.expert_deadline_override
    else:
        override = (
            Invitation.objects.filter(delphi_round=delphi_round, expert=expert)
            .values_list("deadline_override", flat=True)
            .first()
        )
    return override or delphi_round.closes_at


def round_accepts_answers(*, delphi_round: Round, expert: Expert, now=None) -> bool:
    """True while the round is open and the expert's deadline has not passed."""
    if delphi_round.status != Round.Status.OPEN:
        return False
    deadline = answering_deadline(delphi_round=delphi_round, expert=expert)
    return deadline is None or (now or timezone.now()) <= deadline


def closed_since(*, delphi_round: Round, expert: Expert | None) -> datetime | None:
    """Since when the round stopped taking this expert's answers: the round's real closing
    time when the researchers closed it before the deadline (or without one), else the
    expert's deadline; None when neither is known."""
    deadline = (
        answering_deadline(delphi_round=delphi_round, expert=expert)
        if expert is not None
        else delphi_round.closes_at
    )
    closed_at = delphi_round.closed_at if delphi_round.status == Round.Status.CLOSED else None
    if closed_at is not None and (deadline is None or closed_at < deadline):
        return closed_at
    return deadline


def check_accepts(delphi_round: Round, expert: Expert, actor) -> None:
    if actor is None:
        if not round_accepts_answers(delphi_round=delphi_round, expert=expert):
            raise RoundClosedError(deadline=closed_since(delphi_round=delphi_round, expert=expert))
    elif delphi_round.status != Round.Status.OPEN:
        # A proxy entry may come after an expert's own deadline (the paper arrived late),
        # but never after the researchers closed the round and froze its results.
        raise RoundClosedError(deadline=delphi_round.closed_at or delphi_round.closes_at)


def previous_range_annotations(criterion: str) -> dict:
    results = ItemResult.objects.filter(
        item__delphi_round_id=OuterRef("delphi_round__previous_round_id"),
        item__statement_id=OuterRef("statement_id"),
        criterion=criterion,
    )
    return {
        "previous_q1": Subquery(results.values("q1")[:1]),
        "previous_q3": Subquery(results.values("q3")[:1]),
    }


# --------------------------------------------------------------------------- the reason rule


def outside_previous_range(value, previous_range) -> bool:
    """Whether a rating lies outside the previous round's [Q1, Q3] ("cannot judge" never does)."""
    if value is None or value == CANNOT_JUDGE or not previous_range:
        return False
    q1, q3 = previous_range
    if q1 is None or q3 is None:
        return False
    return not (Decimal(q1) <= value <= Decimal(q3))


def remember_own_previous(items, delphi_round: Round, expert: Expert) -> None:
    """Attach the expert's own submitted answers of the previous round to `items` (one query),
    so that `unchanged_from_previous` needs none of its own."""
    previous = previous_ratings_for_expert(delphi_round, expert)
    for item in items:
        item.own_previous = (
            expert.pk,
            {crit: value for (sid, crit), value in previous.items() if sid == item.statement_id},
        )


def unchanged_from_previous(
    delphi_round: Round, item: RoundItem, criterion: str, value, expert: Expert | None
) -> bool:
    """Whether `value` is the expert's own submitted answer to the same statement in the
    previous round (a draft there counts as no answer, as in the frozen statistics)."""
    if expert is None or delphi_round.previous_round_id is None:
        return False
    own = getattr(item, "own_previous", None)
    if own is not None and own[0] == expert.pk:
        return own[1].get(criterion) == value
    return Rating.objects.filter(
        submission__delphi_round_id=delphi_round.previous_round_id,
        submission__expert=expert,
        submission__status=Submission.Status.SUBMITTED,
        item__statement_id=item.statement_id,
        criterion=criterion,
        value=value,
    ).exists()


def reason_needed(delphi_round: Round, value, previous_range, *, unchanged: bool) -> bool:
    """The reason rule as the page and the server share it: outside [Q1, Q3], and changed from
    the expert's previous answer unless the round asks about unchanged answers too."""
    if not delphi_round.require_reason_outside_iqr:
        return False
    if unchanged and not delphi_round.require_reason_when_unchanged:
        return False
    return outside_previous_range(value, previous_range)


def _previous_range(delphi_round: Round, item: RoundItem, criterion: str):
    ranges = getattr(item, "previous_ranges", None)
    if ranges is not None and criterion in ranges:
        return ranges[criterion]
    if delphi_round.previous_round_id is None:
        return None
    return (
        ItemResult.objects.filter(
            item__delphi_round_id=delphi_round.previous_round_id,
            item__statement_id=item.statement_id,
            criterion=criterion,
        )
        .values_list("q1", "q3")
        .first()
    )


# --------------------------------------------------------------------------- validation


@dataclass
class RatingInput:
    """One statement's answer as posted: `value` None means the expert has not chosen yet."""

    item: RoundItem
    value: int | None
    comment: str = ""
    reason: str = ""
    criterion: str = DEFAULT_CRITERION


def check_length(*texts: str) -> None:
    if any(len(text) > MAX_TEXT_LENGTH for text in texts):
        raise ValidationError(
            ERRORS["too_long"], code="too_long", params={"limit": MAX_TEXT_LENGTH}
        )


def clean_rating(
    *, delphi_round: Round, answer: RatingInput, actor, expert: Expert | None = None
) -> Rating:
    """The Rating row for `answer` (its submission still unset), or a ValidationError naming
    the broken rule. `expert` (the expert's own save) lets an answer unchanged from their
    previous round go without a reason, when the round says so."""
    item, value = answer.item, answer.value
    if item.delphi_round_id != delphi_round.pk:
        raise ValidationError(ERRORS["foreign"], code="foreign")
    if delphi_round.kind == Round.Kind.OPEN or (
        delphi_round.kind == Round.Kind.RATING and answer.criterion != DEFAULT_CRITERION
    ):
        raise ValidationError(ERRORS["wrong_kind"], code="wrong_kind")
    if (
        delphi_round.kind == Round.Kind.CONFIRMATION
        and answer.criterion not in delphi_round.criterion_codes
    ):
        raise ValidationError(ERRORS["criterion"], code="criterion")
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(ERRORS["invalid_value"], code="invalid_value")
    if value == CANNOT_JUDGE:
        if not delphi_round.allow_cannot_judge:
            raise ValidationError(ERRORS["cannot_judge"], code="cannot_judge")
    elif not 1 <= value <= delphi_round.study.scale_points:
        raise ValidationError(ERRORS["invalid_value"], code="invalid_value")
    comment, reason = (answer.comment or "").strip(), (answer.reason or "").strip()
    check_length(comment, reason)
    if actor is None and delphi_round.require_reason_outside_iqr and not reason:
        previous_range = _previous_range(delphi_round, item, answer.criterion)
        if outside_previous_range(value, previous_range) and (
            delphi_round.require_reason_when_unchanged
            or not unchanged_from_previous(delphi_round, item, answer.criterion, value, expert)
        ):
            raise ValidationError(
                ERRORS["reason_required"],
                code="reason_required",
                params={
                    "q1": format_number(previous_range[0]),
                    "q3": format_number(previous_range[1]),
                },
            )
    return Rating(
        item=item,
        criterion=answer.criterion,
        value=value,
        comment=comment,
        reason=reason,
    )


def clean_texts(texts: Sequence[str]) -> dict[int, str]:
    """Position → text for the non-blank texts; a blank keeps its position empty."""
    if len(texts) > MAX_OPEN_ANSWERS:
        raise ValidationError(
            ERRORS["position"], code="position", params={"limit": MAX_OPEN_ANSWERS}
        )
    cleaned = {position: (text or "").strip() for position, text in enumerate(texts, start=1)}
    check_length(*cleaned.values())
    return {position: text for position, text in cleaned.items() if text}


def check_question(delphi_round: Round, question: OpenQuestion) -> None:
    if question.delphi_round_id != delphi_round.pk:
        raise ValidationError(ERRORS["foreign"], code="foreign")
    if delphi_round.kind != Round.Kind.OPEN:
        raise ValidationError(ERRORS["wrong_kind"], code="wrong_kind")


def completeness_problem(submission: Submission, delphi_round: Round, actor):
    """The ValidationError that keeps the submission from being submitted, or None."""
    if delphi_round.kind == Round.Kind.OPEN:
        if not OpenAnswer.objects.filter(submission=submission).exists():
            return ValidationError(ERRORS["empty"], code="empty")
        return None
    if actor is not None:
        # A paper questionnaire may leave statements blank; record it as it came.
        if not Rating.objects.filter(submission=submission).exists():
            return ValidationError(ERRORS["empty"], code="empty")
        return None
    if delphi_round.kind == Round.Kind.CONFIRMATION:
        return _confirmation_completeness(submission, delphi_round)
    answer = Rating.objects.filter(
        submission=submission, item=OuterRef("pk"), criterion=DEFAULT_CRITERION
    )
    own_previous = Rating.objects.filter(
        submission__delphi_round_id=delphi_round.previous_round_id,
        submission__expert_id=submission.expert_id,
        submission__status=Submission.Status.SUBMITTED,
        item__statement_id=OuterRef("statement_id"),
        criterion=DEFAULT_CRITERION,
    )
    rows = list(
        delphi_round.items.annotate(
            answer_value=Subquery(answer.values("value")[:1]),
            answer_reason=Subquery(answer.values("reason")[:1]),
            own_previous=Subquery(own_previous.values("value")[:1]),
            **previous_range_annotations(DEFAULT_CRITERION),
        ).values_list("answer_value", "answer_reason", "previous_q1", "previous_q3", "own_previous")
    )
    missing = sum(1 for value, *_rest in rows if value is None)
    if missing:
        return ValidationError(
            ERRORS["incomplete"],
            code="incomplete",
            params={"missing": missing, "total": len(rows)},
        )
    if delphi_round.require_reason_outside_iqr:
        without_reason = sum(
            1
            for value, reason, q1, q3, own in rows
            if not reason and reason_needed(delphi_round, value, (q1, q3), unchanged=own == value)
        )
        if without_reason:
            return ValidationError(
                ERRORS["reasons_missing"],
                code="reasons_missing",
                params={"count": without_reason},
            )
    return None


def _confirmation_completeness(submission: Submission, delphi_round: Round):
    # Every item on every criterion; two queries whatever their numbers.
    codes = delphi_round.criterion_codes
    total = delphi_round.items.count() * len(codes)
    answered = Rating.objects.filter(
        submission=submission, item__delphi_round=delphi_round, criterion__in=codes
    ).count()
    if answered < total:
        return ValidationError(
            ERRORS["incomplete"],
            code="incomplete",
            params={"missing": total - answered, "total": total},
        )
    return None
