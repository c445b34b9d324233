"""The checks, locks and small writes every content-analysis action goes through; each
refusal is a ValidationError with a `code` from ERRORS."""

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from panels.models import Study
from rounds.models import (
    Domain,
    OpenAnswer,
    Round,
    RoundItem,
    Statement,
    StatementSource,
    Submission,
)

ERRORS = {
    "no_answers": _("Choose at least one answer."),
    "foreign_answer": _("One of the answers does not belong to this study."),
    "round_not_closed": _(
        "Content analysis starts when the round is closed: the answers of “%(round)s” can "
        "still change."
    ),
    "not_submitted": _(
        "The answer of %(code)s was never submitted, so it is not part of the round's data."
    ),
    "empty_answer": _("The answer of %(code)s is empty."),
    "answer_out_of_scope": _(
        "The answer of %(code)s is marked out of scope. Restore it first if it should become "
        "part of a statement."
    ),
    "blank": _("Write the wording of the statement."),
    "foreign_domain": _("Choose one of this study's domains."),
    "in_use": _(
        "“%(statement)s” is used in “%(round)s”, which has been sent to experts: its wording "
        "and place can no longer change."
    ),
    "not_active": _("“%(statement)s” has been merged or set aside; restore it or use another."),
    "merge_empty": _("Choose at least one statement to merge."),
    "merge_self": _("A statement cannot be merged into itself."),
    "merge_other_study": _("Statements of different studies cannot be merged."),
    "merge_into_retired": _(
        "“%(statement)s” has itself been merged or set aside, so nothing can be merged into it."
    ),
    "already_merged": _("“%(statement)s” has already been merged into another statement."),
    "split_too_few": _("A statement is split into at least two parts."),
    "split_foreign_source": _(
        "A part can only take answers that the statement being split came from."
    ),
    "split_sources_lost": _(
        "Every answer the statement came from must go to at least one part, so that none loses "
        "its trail. Missing: %(codes)s."
    ),
    "reason_required": _("Say why the answer is out of scope."),
    "statement_reason_required": _("Say why the statement is out of scope."),
    "answer_has_statements": _(
        "The answer of %(code)s already became a statement. Remove it from that statement first."
    ),
    "not_out_of_scope": _("The answer of %(code)s is not marked out of scope."),
    "not_a_source": _("This answer is not one of the statement's sources."),
    "statement_not_out_of_scope": _("“%(statement)s” is not marked out of scope."),
    "stale": _(
        "Someone else saved this statement while you were editing it, so your change was not "
        "saved. It now reads: “%(statement)s”. Compare it with your wording and save again."
    ),
    "reorder_stale": _(
        "The statements of this domain changed in the meantime. Reload the page and try again."
    ),
}


def is_codable(delphi_round: Round) -> bool:
    """Whether the round's answers can be coded: an open-question round that is closed."""
    return delphi_round.kind == Round.Kind.OPEN and delphi_round.status == Round.Status.CLOSED


def refusal(error_code: str, /, **params) -> ValidationError:
    return ValidationError(ERRORS[error_code], code=error_code, params=params or None)


def excerpt(text: str, length: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def check_answers(*, study: Study, answers: Iterable[OpenAnswer]) -> list[OpenAnswer]:
    """The answers re-read under lock, or the first reason one of them cannot be coded."""
    ids = {answer.pk for answer in answers}
    if not ids:
        raise refusal("no_answers")
    # Lock: marking an answer out of scope at the same moment must not leave it both set aside
    # and the source of a statement.
    locked = list(
        OpenAnswer.objects.select_for_update(of=("self",))
        .select_related("question__delphi_round", "submission__expert")
        .filter(pk__in=ids)
        .order_by("question__order", "question_id", "submission__expert__code", "position")
    )
    if len(locked) != len(ids):
        raise refusal("foreign_answer")
    for answer in locked:
        delphi_round = answer.question.delphi_round
        code = answer.submission.expert.code
        if delphi_round.study_id != study.pk:
            raise refusal("foreign_answer")
        if not is_codable(delphi_round):
            raise refusal("round_not_closed", round=delphi_round.display_title)
        if answer.submission.status != Submission.Status.SUBMITTED:
            raise refusal("not_submitted", code=code)
        if not answer.text.strip():
            raise refusal("empty_answer", code=code)
        if answer.out_of_scope_reason:
            raise refusal("answer_out_of_scope", code=code)
    return locked


def check_answer_round(answer: OpenAnswer) -> None:
    delphi_round = answer.question.delphi_round
    if not is_codable(delphi_round):
        raise refusal("round_not_closed", round=delphi_round.display_title)


def locked_answer(answer: OpenAnswer) -> OpenAnswer:
    return (
        OpenAnswer.objects.select_for_update(of=("self",))
        .select_related("question__delphi_round", "submission__expert")
        .get(pk=answer.pk)
    )


def locked_statements(ids: Iterable[int]) -> dict[int, Statement]:
    # Lock: two researchers merging the same duplicate into different targets must not both
    # pass the "still active" check.
    return {
        statement.pk: statement
        for statement in Statement.objects.select_for_update(of=("self",)).filter(pk__in=set(ids))
    }


def _round_using(statement: Statement) -> Round | None:
    """The first round sent to experts (open or closed) that shows this statement, if any."""
    item = (
        RoundItem.objects.filter(
            statement=statement,
            delphi_round__status__in=[Round.Status.OPEN, Round.Status.CLOSED],
        )
        .select_related("delphi_round")
        .order_by("delphi_round__number")
        .first()
    )
    return item.delphi_round if item else None


def check_not_in_use(statement: Statement) -> None:
    delphi_round = _round_using(statement)
    if delphi_round is not None:
        raise refusal("in_use", statement=excerpt(statement.text), round=delphi_round.display_title)


def check_active(statement: Statement) -> None:
    if statement.status != Statement.Status.ACTIVE:
        raise refusal("not_active", statement=excerpt(statement.text))


def clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise refusal("blank")
    return text


def check_domain(study: Study, domain: Domain | None) -> None:
    if domain is not None and domain.study_id != study.pk:
        raise refusal("foreign_domain")


def next_order(study: Study, domain: Domain | None) -> int:
    highest = Statement.objects.filter(study=study, domain=domain).aggregate(top=Max("order"))
    return (highest["top"] or 0) + 1


def link_sources(statement: Statement, answer_ids: Iterable[int]) -> int:
    """Link answers to a statement, skipping links that exist; returns how many were new."""
    existing = set(
        StatementSource.objects.filter(statement=statement).values_list("answer_id", flat=True)
    )
    new = [
        StatementSource(statement=statement, answer_id=pk)
        for pk in sorted(set(answer_ids) - existing)
    ]
    StatementSource.objects.bulk_create(new)
    return len(new)


def source_ids(statement: Statement) -> list[int]:
    return list(
        StatementSource.objects.filter(statement=statement)
        .order_by("answer_id")
        .values_list("answer_id", flat=True)
    )


def leave_draft_rounds(statement_ids: Sequence[int]) -> list[int]:
    """Take retired statements out of draft rounds; returns the numbers of those rounds.

    A draft round built before the coding was finished would otherwise ask experts to rate a
    duplicate that no longer exists as such.
    """
    items = RoundItem.objects.filter(
        statement_id__in=statement_ids, delphi_round__status=Round.Status.DRAFT
    )
    numbers = sorted(set(items.values_list("delphi_round__number", flat=True)))
    items.delete()
    return numbers
