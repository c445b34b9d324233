"""Writes to studies, panels and experts. Each keeps the audit trail and the study's rules."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from .models import AuditEvent, Expert, Panel, Study, StudyMember

CODE_NUMBER = re.compile(r"(\d+)$")


def audit(*, study: Study, actor, action: str, **detail) -> AuditEvent:
    return AuditEvent.objects.create(
        study=study,
        actor=actor if actor and actor.is_authenticated else None,
        action=action,
        detail=detail,
    )


@transaction.atomic
def study_create(*, owner, **fields) -> Study:
    study = Study(owner=owner, **fields)
    study.full_clean()
    study.save()
    audit(study=study, actor=owner, action="study.create")
    return study


@transaction.atomic
def panel_create(*, study: Study, actor, **fields) -> Panel:
    panel = Panel(study=study, **fields)
    panel.full_clean()
    panel.save()
    audit(study=study, actor=actor, action="panel.create", name=panel.name)
    return panel


@transaction.atomic
def panel_update(*, panel: Panel, actor, **fields) -> Panel:
    for name, value in fields.items():
        setattr(panel, name, value)
    panel.full_clean()
    panel.save()
    audit(study=panel.study, actor=actor, action="panel.edit", name=panel.name)
    return panel


def next_expert_codes(panel: Panel, count: int = 1) -> list[str]:
    """The next `count` free codes of the panel: prefix + number, at least two digits.

    Numbering continues after the highest number in use, so a deleted expert's code is
    never handed to someone else (earlier exports keep meaning the same person).
    """
    highest = 0
    for code in panel.experts.values_list("code", flat=True):
        match = CODE_NUMBER.search(code)
        if match:
            highest = max(highest, int(match.group(1)))
    return [
        f"{panel.code_prefix}{number:02d}" for number in range(highest + 1, highest + 1 + count)
    ]


@transaction.atomic
def expert_create(*, panel: Panel, actor, **fields) -> Expert:
    # Lock the panel so two researchers adding experts at once do not get the same code.
    Panel.objects.select_for_update().get(pk=panel.pk)
    if not fields.get("code"):
        fields["code"] = next_expert_codes(panel)[0]
    expert = Expert(panel=panel, **fields)
    expert.full_clean()
    expert.save()
    audit(study=panel.study, actor=actor, action="expert.create", code=expert.code)
    return expert


@transaction.atomic
def expert_update(*, expert: Expert, actor, **fields) -> Expert:
    for name, value in fields.items():
        setattr(expert, name, value)
    expert.full_clean()
    expert.save()
    audit(study=expert.panel.study, actor=actor, action="expert.edit", code=expert.code)
    return expert


@transaction.atomic
def collaborator_add(*, study: Study, user, role: str, actor) -> StudyMember:
    if user.pk == study.owner_id:
        raise ValidationError(_("The owner already has full access."), code="owner")
    member, _created = StudyMember.objects.update_or_create(
        study=study, user=user, defaults={"role": role}
    )
    audit(study=study, actor=actor, action="collaborator.set", user=user.get_username(), role=role)
    return member


@transaction.atomic
def collaborator_remove(*, study: Study, member: StudyMember, actor) -> None:
    member.delete()
    audit(study=study, actor=actor, action="collaborator.remove", user=member.user.get_username())


def object_delete(*, obj: Model, study: Study, actor) -> None:
    """Delete `obj` (and what cascades from it) or refuse with a readable reason.

    Answers, ratings and rounds hold PROTECT/RESTRICT references to what they depend on,
    so the database itself refuses to lose them; we turn that refusal into a message.
    """
    label = str(obj)
    try:
        with transaction.atomic():
            obj.delete()
    except (ProtectedError, RestrictedError) as error:
        blocking = getattr(error, "protected_objects", None) or error.restricted_objects
        blockers = sorted({str(o._meta.verbose_name_plural) for o in blocking})
        raise ValidationError(
            _("“%(object)s” cannot be deleted because it is used by: %(blockers)s.")
            % {"object": label, "blockers": ", ".join(blockers)},
            code="protected",
        ) from error
    if not isinstance(obj, Study):
        audit(study=study, actor=actor, action=f"{obj._meta.model_name}.delete", object=label)
