"""A confirmation round's criteria: what the model is rated on, and how the verdict reads it.

A confirmation round asks a second panel (the study's qualified persons) to certify the final
model: each component is rated on several criteria at once (appropriateness, usefulness,
feasibility by default), and each domain gets a free-text suggestion. The criteria are part of
the questionnaire, so like its statements they change only while the round is a draft: every
expert of a round must have answered the same questions. Building the items from the final
model of a rating round is in `rounds.building.services.round_build_final_model`.
"""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from panels.services import audit
from rounds.models import ConfirmationStatistic, Round

MAX_CRITERIA = 10
MAX_LABEL_LENGTH = 100
_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")

ERRORS = {
    "not_confirmation": _("Only a confirmation round rates statements on several criteria."),
    "locked": _(
        "The criteria can change only while the round is a draft: experts have already seen "
        "this round."
    ),
    "no_criteria": _("Keep at least one criterion."),
    "too_many": _("A round rates on at most %(limit)s criteria."),
    "label_required": _("Give every criterion a name."),
    "label_too_long": _("Keep each criterion's name under %(limit)s characters."),
    "duplicate": _("Two criteria have the same name: “%(label)s”."),
    "bad_code": _("A criterion's code is made of small letters, digits, “-” and “_”."),
    "foreign_domain": _("This domain is not part of this round."),
}


def _error(code: str, **params) -> ValidationError:
    return ValidationError(ERRORS[code], code=code, params=params or None)


def _clean_criteria(criteria) -> list[dict]:
    """[{"code", "label"}] with labels stripped and a code for each new criterion.

    A criterion that keeps its code keeps its identity through a rename; a new one gets the
    first free "criterion-N" (Thai names make poor slugs, and the code is never shown).
    """
    cleaned = []
    for criterion in criteria:
        label = " ".join(str(criterion.get("label") or "").split())
        code = str(criterion.get("code") or "").strip()
        if not label:
            raise _error("label_required")
        if len(label) > MAX_LABEL_LENGTH:
            raise _error("label_too_long", limit=MAX_LABEL_LENGTH)
        if code and not _CODE.match(code):
            raise _error("bad_code")
        cleaned.append({"code": code, "label": label})
    if not cleaned:
        raise _error("no_criteria")
    if len(cleaned) > MAX_CRITERIA:
        raise _error("too_many", limit=MAX_CRITERIA)
    seen_labels: set[str] = set()
    for criterion in cleaned:
        if criterion["label"].casefold() in seen_labels:
            raise _error("duplicate", label=criterion["label"])
        seen_labels.add(criterion["label"].casefold())
    used = {criterion["code"] for criterion in cleaned if criterion["code"]}
    if len(used) != sum(1 for criterion in cleaned if criterion["code"]):
        raise _error("bad_code")
    number = 0
    for criterion in cleaned:
        if not criterion["code"]:
            number += 1
            while f"criterion-{number}" in used:
                number += 1
            criterion["code"] = f"criterion-{number}"
            used.add(criterion["code"])
    return cleaned


@transaction.atomic
def round_criteria_set(
    *, delphi_round: Round, criteria, actor, statistic: str | None = None
) -> list[dict]:
    """Set what a draft confirmation round rates each item on; return the stored criteria.

    `criteria` is a list of {"code", "label"} in the order the expert sees them; an empty or
    missing code makes a new criterion. `statistic` ("median" | "mean") chooses how the
    verdict reads the answers. Raises ValidationError `not_confirmation`, `locked` (the round
    has been opened: criteria are fixed from then on), `no_criteria`, `too_many`,
    `label_required`, `label_too_long`, `duplicate`, `bad_code`. Audited as "round.criteria"
    (old → new) when anything changed.
    """
    # Lock: round_open locks the same row, so a rename cannot land while the round opens.
    locked = Round.objects.select_for_update().select_related("study").get(pk=delphi_round.pk)
    if locked.kind != Round.Kind.CONFIRMATION:
        raise _error("not_confirmation")
    if locked.status != Round.Status.DRAFT:
        raise _error("locked")
    cleaned = _clean_criteria(criteria)
    if statistic is not None and statistic not in ConfirmationStatistic.values:
        raise ValueError(f"not a statistic: {statistic!r}")
    old = {"criteria": locked.rating_criteria, "statistic": locked.confirmation_statistic}
    stored_before = bool(locked.criteria)
    locked.criteria = cleaned
    if statistic is not None:
        locked.confirmation_statistic = statistic
    new = {"criteria": cleaned, "statistic": locked.confirmation_statistic}
    if old != new or not stored_before:
        locked.save(update_fields=["criteria", "confirmation_statistic"])
    if old != new:
        audit(
            study=locked.study,
            actor=actor,
            action="round.criteria",
            number=locked.number,
            old=old,
            new=new,
        )
    delphi_round.criteria = locked.criteria
    delphi_round.confirmation_statistic = locked.confirmation_statistic
    return cleaned
