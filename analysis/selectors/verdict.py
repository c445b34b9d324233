"""The study's stopping rule applied to a round."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from analysis import stats
from delphi_site.numbers import format_number
from panels.models import Study

from .percent import format_percent


@dataclass(frozen=True)
class Verdict:
    """The study's stopping rule applied to a round: stop, or another round and why."""

    stop: bool
    sentence: str
    rule: str


def stopping_verdict(
    *,
    study: Study,
    items: int,
    with_consensus: int,
    stability: Iterable[stats.ItemStability | None],
) -> Verdict:
    """Apply the study's stopping rule (stopping_consensus_share, stopping_requires_stability,
    stability_max_change) to a round with `items` results of which `with_consensus` agree.

    Answers are stable when, in every item that has experts answering both rounds, at most
    stability_max_change % of them changed their answer; without any such pair stability
    cannot be judged and a rule that requires it advises another round. Shares are compared
    exactly; the sentence shows them rounded half-up, with two decimals where a whole
    percentage would seem to reach a threshold the share falls short of (79.60 %, not 80 %).
    """
    required = study.stopping_consensus_share
    max_change = study.stability_max_change
    rule = _stopping_rule_sentence(study)
    if not items:
        return Verdict(
            False, _("No statement was rated, so the stopping rule cannot be applied."), rule
        )
    enough = Decimal(100 * with_consensus) >= required * items
    share = stats.percent_half_up(with_consensus, items)
    if not enough and share >= required:
        share = format_number(Fraction(100 * with_consensus, items))
    measured = [s for s in stability if s is not None and s.pairs]
    unstable = sum(1 for s in measured if Decimal(100 * s.changed) > max_change * s.pairs)
    params = {
        "share": share,
        "required": format_percent(required),
        "max": format_percent(max_change),
        "count": unstable,
    }
    if not study.stopping_requires_stability:
        if enough:
            sentence = _(
                "Stop: %(share)s %% of statements reached consensus (the study's rule asks for "
                "%(required)s %%)."
            )
        else:
            sentence = _(
                "Another round is advised because only %(share)s %% of statements reached "
                "consensus; the study's rule asks for %(required)s %%."
            )
        return Verdict(enough, sentence % params, rule)
    stable = bool(measured) and not unstable
    if enough and stable:
        sentence = _("Stop: %(share)s %% of statements reached consensus and answers are stable.")
    elif enough and not measured:
        sentence = _(
            "Another round is advised because stability cannot be judged yet: %(share)s %% of "
            "statements reached consensus, but the study's rule also asks for stable answers, "
            "which needs a previous rating round answered by the same experts."
        )
    elif enough:
        sentence = ngettext(
            "Another round is advised because answers are not yet stable: in %(count)s "
            "statement more than %(max)s %% of the experts changed their answer, although "
            "%(share)s %% of statements reached consensus.",
            "Another round is advised because answers are not yet stable: in %(count)s "
            "statements more than %(max)s %% of the experts changed their answer, although "
            "%(share)s %% of statements reached consensus.",
            unstable,
        )
    elif stable:
        sentence = _(
            "Another round is advised because only %(share)s %% of statements reached "
            "consensus; the study's rule asks for %(required)s %%. Answers are stable."
        )
    else:
        sentence = _(
            "Another round is advised because only %(share)s %% of statements reached "
            "consensus (the study's rule asks for %(required)s %%) and answers are not yet "
            "shown to be stable."
        )
    return Verdict(enough and stable, sentence % params, rule)


def _stopping_rule_sentence(study: Study) -> str:
    params = {
        "required": format_percent(study.stopping_consensus_share),
        "max": format_percent(study.stability_max_change),
    }
    if study.stopping_requires_stability:
        return (
            _(
                "The study's stopping rule: stop when at least %(required)s %% of statements "
                "reach consensus and, in every statement, at most %(max)s %% of the experts "
                "change their answer from the previous round."
            )
            % params
        )
    return (
        _(
            "The study's stopping rule: stop when at least %(required)s %% of statements reach "
            "consensus."
        )
        % params
    )
