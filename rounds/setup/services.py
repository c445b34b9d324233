"""Writes of a study's set-up: its domains, its rounds and their open questions.

Every write is audited. A round that has been sent to experts (open or closed) keeps its
number, kind, panel, previous round and dates: the experts answered that round as it was. Its
deadline moves only through `rounds.lifecycle.services.round_deadline_extend`, which has its own
rules and audits the old and new value. Questions change only while their round is a draft.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from panels.models import Study
from panels.services import audit, object_delete
from rounds.models import Domain, OpenQuestion, Round

# What a round sent to experts keeps, whatever form or caller asks otherwise.
SENT_LOCKED_FIELDS = ("number", "kind", "panel", "previous_round", "opens_at", "closes_at")

ERRORS = {
    "dates": _("The deadline must come after the opening date."),
    "sent": _(
        "This round has been sent to experts: its number, kind, panel, previous round and dates "
        "can no longer change. While it is open, change its deadline on the tracking page."
    ),
    "not_draft": _("Questions can only change while the round is a draft."),
    "delete_sent": _("Only a draft round can be deleted; this one has been sent to experts."),
}


def _error(code: str) -> ValidationError:
    return ValidationError(ERRORS[code], code=code)


def _locked_round(round_pk: int) -> Round:
    # Lock: opening the round (which locks the same row) must not interleave with a change
    # that is only allowed while the round is a draft.
    return Round.objects.select_for_update().select_related("study").get(pk=round_pk)


def _check_dates(delphi_round: Round) -> None:
    opens_at, closes_at = delphi_round.opens_at, delphi_round.closes_at
    if opens_at and closes_at and opens_at >= closes_at:
        raise ValidationError({"closes_at": _error("dates")})


# ----------------------------------------------------------------------------------- domains


@transaction.atomic
def domain_create(*, study: Study, actor, **fields) -> Domain:
    domain = Domain(study=study, **fields)
    domain.full_clean()
    domain.save()
    audit(study=study, actor=actor, action="domain.create", title=domain.title)
    return domain


@transaction.atomic
def domain_update(*, domain: Domain, actor, **fields) -> Domain:
    for name, value in fields.items():
        setattr(domain, name, value)
    domain.full_clean()
    domain.save()
    audit(study=domain.study, actor=actor, action="domain.edit", title=domain.title)
    return domain


@transaction.atomic
def domain_delete(*, domain: Domain, actor) -> None:
    """Delete the domain, or refuse (ValidationError) while questions or statements use it."""
    object_delete(obj=domain, study=domain.study, actor=actor)


# ------------------------------------------------------------------------------------ rounds


@transaction.atomic
def round_create(*, study: Study, actor, **fields) -> Round:
    """A new round of the study, always a draft."""
    delphi_round = Round(study=study, **fields)
    delphi_round.status = Round.Status.DRAFT
    _check_dates(delphi_round)
    delphi_round.full_clean()
    delphi_round.save()
    audit(study=study, actor=actor, action="round.create", number=delphi_round.number)
    return delphi_round


def _changed(delphi_round: Round, name: str, value) -> bool:
    field = Round._meta.get_field(name)
    if field.is_relation:
        return getattr(delphi_round, field.attname) != (value.pk if value is not None else None)
    return getattr(delphi_round, name) != value


@transaction.atomic
def round_update(*, delphi_round: Round, actor, **fields) -> Round:
    """Save changed round settings.

    A round that is not a draft refuses (ValidationError `sent`) any change of
    SENT_LOCKED_FIELDS, and saves nothing; its title and instructions may still change.
    Refuses a deadline that does not come after the opening (`dates`). Audited as "round.edit".
    """
    locked = _locked_round(delphi_round.pk)
    if not locked.is_draft and any(
        _changed(locked, name, fields[name]) for name in SENT_LOCKED_FIELDS if name in fields
    ):
        raise _error("sent")
    for name, value in fields.items():
        setattr(locked, name, value)
    _check_dates(locked)
    locked.full_clean()
    locked.save()
    audit(study=locked.study, actor=actor, action="round.edit", number=locked.number)
    return locked


@transaction.atomic
def round_delete(*, delphi_round: Round, actor) -> None:
    """Delete a draft round; one sent to experts is part of the study's record (`delete_sent`)."""
    locked = _locked_round(delphi_round.pk)
    if not locked.is_draft:
        raise _error("delete_sent")
    object_delete(obj=locked, study=locked.study, actor=actor)


# ------------------------------------------------------------------------- open questions


def _draft_round(round_pk: int) -> Round:
    locked = _locked_round(round_pk)
    if not locked.is_draft:
        raise _error("not_draft")
    return locked


@transaction.atomic
def question_create(*, delphi_round: Round, actor, **fields) -> OpenQuestion:
    """Add a question to a draft round (ValidationError `not_draft` otherwise)."""
    locked = _draft_round(delphi_round.pk)
    question = OpenQuestion(delphi_round=locked, **fields)
    question.full_clean()
    question.save()
    audit(study=locked.study, actor=actor, action="question.create", round=locked.number)
    return question


@transaction.atomic
def question_update(*, question: OpenQuestion, actor, **fields) -> OpenQuestion:
    """Change a question of a draft round (ValidationError `not_draft` otherwise)."""
    locked = _draft_round(question.delphi_round_id)
    for name, value in fields.items():
        setattr(question, name, value)
    question.full_clean()
    question.save()
    audit(
        study=locked.study,
        actor=actor,
        action="question.edit",
        round=locked.number,
        order=question.order,
    )
    return question


@transaction.atomic
def question_delete(*, question: OpenQuestion, actor) -> None:
    """Delete a question of a draft round (ValidationError `not_draft` otherwise)."""
    locked = _draft_round(question.delphi_round_id)
    object_delete(obj=question, study=locked.study, actor=actor)
