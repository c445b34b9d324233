"""The rule a round's results were frozen under, beside the study's rule today.

Each frozen result keeps its rule (`ItemResult.rule`, written by `rounds.results`). After a
protocol deviation the two differ: pages and reports state the frozen verdict under its own
rule and show the current rule's verdict only in a labelled sensitivity (deviation) view.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from panels.models import Study
from rounds.models import ItemResult


def _decimal(value, default: Decimal) -> Decimal:
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        return default


def iqr_rule_label(threshold: Decimal) -> str:
    """ "IQR ≤ 1.50": the consensus rule as a column heading or a verdict's rule."""
    return _("IQR ≤ %(threshold)s") % {"threshold": threshold}


@dataclass(frozen=True)
class FrozenRule:
    """The IQR threshold and band cut-offs the results were frozen with, and today's."""

    threshold: Decimal
    cutoffs: tuple[Decimal, ...]
    current_threshold: Decimal
    current_cutoffs: tuple[Decimal, ...]

    @property
    def label(self) -> str:
        return iqr_rule_label(self.threshold)

    @property
    def current_label(self) -> str:
        return iqr_rule_label(self.current_threshold)

    @property
    def threshold_changed(self) -> bool:
        return self.threshold != self.current_threshold

    @property
    def changed(self) -> bool:
        """The study's rule is no longer the one these results were frozen under."""
        return self.threshold_changed or self.cutoffs != self.current_cutoffs


def frozen_rule(results: list[ItemResult], study: Study) -> FrozenRule:
    """The rule of the round's frozen results (one freeze, one rule) beside the study's.

    A result frozen before rules were kept (none after the migration) counts as frozen under
    the study's current rule.
    """
    current_threshold = _decimal(study.consensus_iqr_threshold, Decimal("1.50"))
    current_cutoffs = tuple(_decimal(c, Decimal(0)) for c in study.band_cutoffs)
    rule = next((result.rule for result in results if result.rule), {})
    cutoffs = rule.get("cutoffs")
    return FrozenRule(
        threshold=_decimal(rule.get("threshold"), current_threshold),
        cutoffs=(
            tuple(_decimal(c, Decimal(0)) for c in cutoffs)
            if isinstance(cutoffs, list) and len(cutoffs) == len(current_cutoffs)
            else current_cutoffs
        ),
        current_threshold=current_threshold,
        current_cutoffs=current_cutoffs,
    )


def deviation_note(rule: FrozenRule, *, with_current: int, items: int) -> str:
    """The sentence a page or report shows when the study's rule changed after the freeze."""
    return _(
        "The study's consensus rule was changed after these results were frozen (a protocol "
        "deviation). The verdicts above keep the rule they were frozen under, %(frozen)s. "
        "Sensitivity view: under the current rule, %(current)s, %(count)s of %(total)s "
        "statements would reach consensus."
    ) % {
        "frozen": rule.label,
        "current": rule.current_label,
        "count": with_current,
        "total": items,
    }
