"""The rules every change to a round being built goes through, and the order experts see.

Every change is refused once the round has left the draft state: experts who have seen a
questionnaire must all have answered the same one. Each service locks the round row (see
`draft_rated_round`), which `rounds.lifecycle.services.round_open` locks too, so a change cannot
slip in while the round opens. Each refusal is a ValidationError with a `code` from ERRORS.
"""

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from rounds.models import Round

RATED_KINDS = (Round.Kind.RATING, Round.Kind.CONFIRMATION)

# The round's settings a researcher chooses while building it (all shown to the expert).
FEEDBACK_FIELDS = (
    "show_median",
    "show_iqr",
    "show_own_previous",
    "show_distribution",
    "require_reason_outside_iqr",
    "require_reason_when_unchanged",
    "allow_cannot_judge",
)

# The feedback settings that show the previous rating round's results: they mean nothing
# before a rating round has closed, so the builder offers them only from then on.
PREVIOUS_ROUND_FEEDBACK = (
    "show_median",
    "show_iqr",
    "show_own_previous",
    "show_distribution",
    "require_reason_outside_iqr",
)

ERRORS = {
    "not_draft": _(
        "The statements and feedback of a round can change only while it is a draft; this "
        "round is %(status)s."
    ),
    "not_rated": _("Only a rating or confirmation round has statements to rate."),
    "no_statements": _(
        "The study has no active statements yet. Create them from the answers of the open "
        "round first."
    ),
    "foreign_statement": _(
        "Some of the chosen statements are not active statements of this study."
    ),
    "source_missing": _("Choose a round of this study to build from."),
    "source_not_rated": _("Statements can be carried over only from a rating round."),
    "source_not_closed": _(
        "%(round)s is not closed yet: its results are final only once it is closed."
    ),
    "source_not_before": _("Build from a round that comes before this one."),
    "source_empty": _("%(round)s has no active statements to carry over."),
    "all_consensus": _(
        "Every statement of %(round)s reached consensus, so none is left to carry over. "
        "Choose “all statements” instead, or build from the study's statements."
    ),
    "text_required": _("Write the statement."),
    "foreign_domain": _("This domain belongs to another study."),
    "bad_origin": _("A statement added here comes from the researcher or from a comment."),
    "foreign_comment": _("This comment is not from this study."),
    "foreign_item": _("This statement is not in this round."),
    "bad_direction": _("A statement moves up or down."),
    "not_confirmation": _("Only a confirmation round is built from the final model."),
    "bad_bands": _("Choose the bands a statement must reach to be part of the model."),
    "model_empty": _(
        "No statement of %(round)s reached the chosen band with consensus, so the model is empty."
    ),
}

# The final model: statements whose frozen median lies in one of these bands, with consensus.
FINAL_MODEL_BANDS = ("high", "highest")


def refusal(code: str, **params) -> ValidationError:
    return ValidationError(ERRORS[code], code=code, params=params or None)


def draft_rated_round(delphi_round: Round) -> Round:
    """The round re-read under lock, if its statements may still change."""
    # Lock: round_open locks the same row, so the items an expert sees are the ones that were
    # there when the round opened — no change can land between its check and its commit.
    locked = Round.objects.select_for_update().select_related("study").get(pk=delphi_round.pk)
    if locked.kind not in RATED_KINDS:
        raise refusal("not_rated")
    if locked.status != Round.Status.DRAFT:
        raise refusal("not_draft", status=locked.get_status_display())
    return locked


def statement_order():
    # The order experts see: domain by domain (statements without a domain last), then the
    # statement's own order.
    return [F("domain__order").asc(nulls_last=True), "domain_id", "order", "pk"]


def item_order():
    return [
        F("statement__domain__order").asc(nulls_last=True),
        "statement__domain_id",
        "order",
        "pk",
    ]


def apply_feedback(delphi_round: Round, feedback: dict) -> dict:
    """Set the feedback settings named in `feedback`; return {field: [old, new]} of the changes."""
    unknown = set(feedback) - set(FEEDBACK_FIELDS)
    if unknown:
        raise TypeError(f"not feedback settings: {sorted(unknown)}")
    changed = {}
    for name, value in feedback.items():
        old = getattr(delphi_round, name)
        if old != bool(value):
            changed[name] = [old, bool(value)]
            setattr(delphi_round, name, bool(value))
    return changed


def refresh_settings(target: Round, source: Round) -> None:
    """Let the caller's instance see the settings the service changed on its locked copy."""
    for name in (*FEEDBACK_FIELDS, "previous_round_id"):
        setattr(target, name, getattr(source, name))
