"""The study's protocol: consensus and stopping rules fixed before the data come in.

When the first rating (or confirmation) round opens, the rules that decide what counts as
consensus and when to stop are locked (`Study.rules_locked_at`). The researcher may still
change them afterwards, but only with a reason: the change is a protocol deviation, kept in
the audit log with each rule's old and new value, and reports show it
(`protocol_deviations`). Deciding the rules after seeing the ratings would let the analysis
bend towards the result one hoped for; this is what makes a Delphi study's consensus claim
checkable.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AuditEvent, ConsensusRule, Study
from .services import audit

# The rules the protocol fixes, in the order the study form and the reports list them.
LOCKED_FIELDS = (
    "scale_labels",
    "band_cutoff_1",
    "band_cutoff_2",
    "band_cutoff_3",
    "band_cutoff_4",
    "consensus_iqr_threshold",
    "consensus_rule",
    "agreement_threshold",
    "stopping_consensus_share",
    "stopping_requires_stability",
    "stability_max_change",
)

DEVIATION = "protocol.deviation"
LOCK = "protocol.lock"

ERRORS = {
    "reason_required": gettext_lazy(
        "The consensus rules were fixed when the first rating round opened. Give the reason "
        "for this change: it is recorded and reported as a deviation from the protocol."
    ),
}


def _json_value(value):
    """A rule's value as the audit log stores it (JSON: decimals as text, exact)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return list(value)
    return value


def _same(old, new) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        # 1.5 and 1.50 are the same rule.
        try:
            return Decimal(str(old)) == Decimal(str(new))
        except ArithmeticError:
            return False
    if isinstance(old, list | tuple) and isinstance(new, list | tuple):
        return list(old) == list(new)
    return old == new


def protocol_values(study: Study) -> dict:
    """The study's current protocol rules, by field name."""
    return {name: getattr(study, name) for name in LOCKED_FIELDS}


def protocol_changes(before: dict, after: dict) -> list[dict]:
    """The rules that differ between two sets of values: [{field, old, new}], JSON-ready.

    Only fields present in `after` are compared, so a partial update changes only what it names.
    """
    return [
        {"field": name, "old": _json_value(before[name]), "new": _json_value(after[name])}
        for name in LOCKED_FIELDS
        if name in after and not _same(before[name], after[name])
    ]


@transaction.atomic
def protocol_lock(
    *, study: Study, actor=None, round_number: int | None = None, at: datetime | None = None
) -> bool:
    """Fix the study's rules at `at` (now by default), unless they already are; True when this
    call fixed them.

    Called when a rating or confirmation round opens, with its opening time. The audit entry
    ("protocol.lock") keeps the rules as they were fixed, so a report can always show the
    protocol's starting point.
    """
    # Lock: two rounds opening at once must not both record themselves as the moment of fixing.
    locked = Study.objects.select_for_update().get(pk=study.pk)
    if locked.rules_locked_at is not None:
        study.rules_locked_at = locked.rules_locked_at
        return False
    locked.rules_locked_at = at or timezone.now()
    locked.save(update_fields=["rules_locked_at"])
    study.rules_locked_at = locked.rules_locked_at
    audit(
        study=locked,
        actor=actor,
        action=LOCK,
        round=round_number,
        rules={name: _json_value(value) for name, value in protocol_values(locked).items()},
    )
    return True


@transaction.atomic
def study_update(*, study: Study, actor, reason: str = "", **fields) -> Study:
    """Save changed study settings; a change to a fixed rule needs `reason` and is a deviation.

    Compares the new values with the row as stored (locked, so a concurrent edit cannot slip
    between the comparison and the save). Once the rules are fixed, changing any of
    LOCKED_FIELDS without a reason raises ValidationError(code="reason_required") and saves
    nothing; with a reason the change is saved and audited as "protocol.deviation" with each
    rule's old and new value. Every save is also audited as "study.edit".
    """
    locked = Study.objects.select_for_update().get(pk=study.pk)
    changes = protocol_changes(protocol_values(locked), fields)
    reason = (reason or "").strip()
    deviation = locked.rules_locked_at is not None and bool(changes)
    if deviation and not reason:
        raise ValidationError(ERRORS["reason_required"], code="reason_required")
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save()
    audit(study=locked, actor=actor, action="study.edit")
    if deviation:
        audit(study=locked, actor=actor, action=DEVIATION, reason=reason, changes=changes)
    return locked


# --------------------------------------------------------------------------- reading deviations


@dataclass
class RuleChange:
    field: str
    label: str
    old: str
    new: str


@dataclass
class ProtocolDeviation:
    """One change of the fixed rules, ready to show: when, by whom, why, what changed."""

    at: datetime
    actor: str
    reason: str
    changes: list[RuleChange] = field(default_factory=list)


def _display(name: str, value) -> str:
    if value is None:
        return "-"
    if name == "scale_labels":
        return " / ".join(str(label) for label in value)
    if name == "consensus_rule":
        try:
            return str(ConsensusRule(value).label)
        except ValueError:
            return str(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def protocol_deviations(study: Study) -> list[ProtocolDeviation]:
    """The study's protocol deviations, oldest first; one query.

    Each change names the rule by its label in the reader's language, with the old and new
    value as text. Rules unknown to this version of the site are shown by their field name.
    """
    events = (
        AuditEvent.objects.filter(study=study, action=DEVIATION)
        .select_related("actor")
        .order_by("created_at", "pk")
    )
    deviations = []
    for event in events:
        changes = []
        for change in event.detail.get("changes", []):
            name = change.get("field", "")
            try:
                label = str(Study._meta.get_field(name).verbose_name)
            except FieldDoesNotExist:
                # A rule this version of the site no longer has: its name still says what it was.
                label = name
            changes.append(
                RuleChange(
                    field=name,
                    label=label,
                    old=_display(name, change.get("old")),
                    new=_display(name, change.get("new")),
                )
            )
        deviations.append(
            ProtocolDeviation(
                at=event.created_at,
                actor=event.actor_name,
                reason=event.detail.get("reason", ""),
                changes=changes,
            )
        )
    return deviations
