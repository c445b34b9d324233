"""Reads of a study's audit log: the events, their filters, and their rows for the CSV."""

import codecs
import csv
import datetime
import io
import json
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from delphi_site.spreadsheets import neutralise

from ..models import AuditEvent, Study
from ..selectors import study_for_user

# The events a researcher most often looks for, by name; any other shows its code.
ACTION_LABELS = {
    "answer.late": gettext_lazy("Answer received after the round closed"),
    "expert.consent": gettext_lazy("Expert agreed to take part"),
    "round.open": gettext_lazy("Round opened"),
    "round.close": gettext_lazy("Round closed"),
    "round.reopen": gettext_lazy("Round reopened"),
    "round.deadline": gettext_lazy("Deadline changed"),
    "round.deadline_expert": gettext_lazy("Personal deadline given"),
    "invitation.send": gettext_lazy("Invitations sent"),
    "protocol.lock": gettext_lazy("Rules fixed"),
    "protocol.deviation": gettext_lazy("Protocol deviation"),
    "study.edit": gettext_lazy("Study edited"),
}

# The name shown for an event nobody signed in did: an expert through their link, or the site.
NO_ACCOUNT = "expert"


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return f"{label} ({action})" if label else action


def study_for_audit(*, user, study_pk: int) -> Study:
    """The study if the user may read its audit log (owner or editor): 404 for a researcher
    not on the study, PermissionDenied for a viewer."""
    study = study_for_user(user=user, study_pk=study_pk)
    if not study.user_can_edit:
        raise PermissionDenied(_("Only the study's owner and editors can read its audit log."))
    return study


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    # A user's pk as text, NO_ACCOUNT for events without an account, "" for everyone.
    actor: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None
    round_number: int | None = None


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_events(study: Study, filters: AuditFilters = AuditFilters()) -> QuerySet[AuditEvent]:
    """The study's events, newest first, narrowed by `filters` (dates in the site's time zone,
    both days included; a round by its number, as the events name it)."""
    events = AuditEvent.objects.filter(study=study).select_related("actor")
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.actor == NO_ACCOUNT:
        events = events.filter(actor__isnull=True)
    elif filters.actor.isdigit():
        events = events.filter(actor_id=int(filters.actor))
    if filters.since is not None:
        events = events.filter(created_at__gte=_day_start(filters.since))
    if filters.until is not None:
        events = events.filter(created_at__lt=_day_start(filters.until + datetime.timedelta(1)))
    if filters.round_number is not None:
        events = events.filter(
            Q(detail__round=filters.round_number)
            | Q(action__startswith="round.", detail__number=filters.round_number)
        )
    return events.order_by("-created_at", "-pk")


def action_choices(study: Study) -> list[tuple[str, str]]:
    """The kinds of event the study has, with their names; one query."""
    actions = (
        AuditEvent.objects.filter(study=study)
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )
    return [(action, action_label(action)) for action in actions]


def actor_choices(study: Study) -> list[tuple[str, str]]:
    """Who acted on the study: each account by name, then experts and the site; one query."""
    rows = (
        AuditEvent.objects.filter(study=study, actor__isnull=False)
        .order_by()
        .values_list("actor_id", "actor__first_name", "actor__last_name", "actor__username")
        .distinct()
    )
    people = {
        str(pk): " ".join(part for part in (first, last) if part) or username
        for pk, first, last, username in rows
    }
    return [
        *sorted(people.items(), key=lambda pair: pair[1]),
        (NO_ACCOUNT, _("Experts and the site")),
    ]


def round_of(event: AuditEvent) -> int | None:
    detail = event.detail if isinstance(event.detail, dict) else {}
    if "round" in detail:
        value = detail["round"]
    elif event.action.startswith("round."):
        value = detail.get("number")
    else:
        value = None
    return value if isinstance(value, int) else None


def _content_text(content: dict) -> str:
    """What an expert sent late, as text: each answer's texts, each rating's value, comment
    and reason, separated by " / "."""
    pieces = [" / ".join(answer.get("texts", [])) for answer in content.get("answers", [])]
    pieces += [
        " · ".join(str(rating[key]) for key in ("value", "comment", "reason") if rating.get(key))
        for rating in content.get("ratings", [])
    ]
    return " / ".join(piece for piece in pieces if piece)


def detail_text(event: AuditEvent) -> str:
    """The event's detail as one readable line: key: value; texts of late answers in full."""
    detail = event.detail if isinstance(event.detail, dict) else {}
    parts = []
    for key, value in detail.items():
        if key == AuditEvent.IMPORTED_ACTOR:
            continue
        if key == "content" and isinstance(value, dict):
            parts.append(f"{key}: {_content_text(value)}")
        elif isinstance(value, str | int | float | bool) or value is None:
            parts.append(f"{key}: {value}")
        else:
            parts.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return "; ".join(parts)


def audit_csv(events) -> bytes:
    """The events as CSV (UTF-8 with BOM for Excel on Thai Windows), every cell neutralised so
    that a text starting with = or + is shown, never run."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("When"), _("By"), _("Action"), _("Round"), _("Detail")])
    for event in events:
        number = round_of(event)
        writer.writerow(
            [
                neutralise(value)
                for value in (
                    timezone.localtime(event.created_at).isoformat(timespec="seconds"),
                    event.actor_name or _("Expert or the site"),
                    event.action,
                    "" if number is None else number,
                    detail_text(event),
                )
            ]
        )
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")
