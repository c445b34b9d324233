"""Reads of studies and what belongs to them, always through the reader's access rights."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from .models import Expert, Panel, Study, StudyMember

OWNER = "owner"


def study_list_for_user(user) -> QuerySet[Study]:
    """Studies the user owns or collaborates on, each annotated with `member_role`.

    `member_role` is None for the owner's own studies (see `study_role`).
    """
    if not user.is_authenticated:
        return Study.objects.none()
    member_role = StudyMember.objects.filter(study=OuterRef("pk"), user=user).values("role")[:1]
    return Study.objects.annotate(member_role=Subquery(member_role)).filter(
        Q(owner=user) | Q(member_role__isnull=False)
    )


def study_role(user, study: Study) -> str | None:
    """'owner', 'editor', 'viewer' or None; uses the annotation when the study has one."""
    if study.owner_id == user.pk:
        return OWNER
    if hasattr(study, "member_role"):
        return study.member_role
    return study.memberships.filter(user=user).values_list("role", flat=True).first()


def can_edit(user, study: Study) -> bool:
    return study_role(user, study) in (OWNER, StudyMember.Role.EDITOR)


def study_for_user(*, user, study_pk: int, write: bool = False) -> Study:
    """The study if the user may see it, else 404 — never 403, which would confirm it exists.

    With `write=True`, a viewer (who can see the study) gets PermissionDenied.
    """
    study = study_list_for_user(user).select_related("owner").filter(pk=study_pk).first()
    if study is None:
        raise Http404("No such study")
    study.user_role = study_role(user, study)
    study.user_can_edit = study.user_role in (OWNER, StudyMember.Role.EDITOR)
    if write and not study.user_can_edit:
        raise PermissionDenied(_("You can view this study but not change it."))
    return study


def with_phase(studies: QuerySet[Study]) -> QuerySet[Study]:
    """Annotate what `Study.phase` needs: rounds sent, open, waiting (draft or open) and
    closed confirmation rounds."""
    return studies.annotate(
        rounds_sent=Count("rounds", filter=~Q(rounds__status="draft"), distinct=True),
        rounds_open=Count("rounds", filter=Q(rounds__status="open"), distinct=True),
        rounds_waiting=Count(
            "rounds", filter=Q(rounds__status__in=("draft", "open")), distinct=True
        ),
        rounds_certified=Count(
            "rounds",
            filter=Q(rounds__status="closed", rounds__kind="confirmation"),
            distinct=True,
        ),
    )


def study_list_with_counts(user) -> QuerySet[Study]:
    return with_phase(
        study_list_for_user(user).annotate(
            panel_count=Count("panels", distinct=True),
            expert_count=Count("panels__experts", distinct=True),
            round_count=Count("rounds", distinct=True),
        )
    )


def panel_list_for_study(study: Study) -> QuerySet[Panel]:
    return study.panels.annotate(expert_count=Count("experts"))


def panel_for_study(study: Study, panel_pk: int) -> Panel:
    return get_object_or_404(Panel, study=study, pk=panel_pk)


def expert_for_study(study: Study, expert_pk: int) -> Expert:
    return get_object_or_404(
        Expert.objects.select_related("panel"), panel__study=study, pk=expert_pk
    )


def member_for_study(study: Study, member_pk: int) -> StudyMember:
    return get_object_or_404(StudyMember, study=study, pk=member_pk)


def expert_list_for_panel(panel: Panel) -> QuerySet[Expert]:
    return panel.experts.order_by("code")
