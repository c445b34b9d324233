"""Reads for the results page of a rating or confirmation round.

Figures come from the frozen ItemResult rows (see analysis.results) or, for what is not
frozen — stability between rounds, Kendall's W, the other consensus definitions — from
`analysis.stats` applied to the submitted ratings. This module only gathers rows (a fixed
number of queries whatever the size of the round), arranges them into the matrices
`analysis.stats` expects, and words the verdicts.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from analysis import stats
from analysis.results import previous_results_for_round
from panels.models import Study
from rounds.models import (
    DEFAULT_CRITERION,
    Domain,
    Invitation,
    ItemResult,
    Rating,
    Round,
    Submission,
)

# The consensus definitions the sensitivity view compares (stats.CONSENSUS_RULES plus
# percent agreement alone, the most common definition in the Delphi literature).
IQR = "iqr"
IQR_AND_AGREEMENT = "iqr_and_agreement"
AGREEMENT = "agreement"
DEFINITIONS = (IQR, IQR_AND_AGREEMENT, AGREEMENT)

# Leavers whose share of minority answers differs from the stayers' by more than this many
# percentage points get a remark; smaller differences are noise with panels of ~20 experts.
ATTRITION_MARGIN = 10

RATED_KINDS = (Round.Kind.RATING, Round.Kind.CONFIRMATION)


def _share(part: int, whole: int) -> int | None:
    """Whole percentage rounded down, so a share short of a threshold never reads as reaching it."""
    return None if not whole else math.floor(100 * part / whole)


def _share_half_up(part: int, whole: int) -> int | None:
    # The tracking page rounds the response rate half-up; the same round shows the same figure.
    return None if not whole else math.floor(100 * part / whole + 0.5)


def format_percent(value: Decimal) -> str:
    """80.00 -> '80', 82.50 -> '82.5': a study's percentages as a person would write them."""
    return f"{Decimal(value).normalize():f}"


# --------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class Bar:
    """One scale point of a distribution: its count, share of answers and relative height."""

    point: int
    count: int
    percent: int
    height: int


@dataclass
class ResultRow:
    """One frozen item result with what the page shows beside it."""

    result: ItemResult
    # Position in the round's questionnaire, counted from 1.
    number: int
    band_label: str
    bars: tuple[Bar, ...]
    previous: ItemResult | None = None
    stability: stats.ItemStability | None = None
    percent_agreement: float | None = None
    # Consensus of this item under each of DEFINITIONS (sensitivity view).
    definitions: dict[str, bool] = field(default_factory=dict)

    @property
    def statement(self):
        return self.result.item.statement

    @property
    def domain(self) -> Domain | None:
        return self.result.item.statement.domain

    @property
    def median_change(self) -> Decimal | None:
        if self.previous is None or self.previous.median is None or self.result.median is None:
            return None
        return self.result.median - self.previous.median

    @property
    def iqr_change(self) -> Decimal | None:
        if self.previous is None or self.previous.iqr is None or self.result.iqr is None:
            return None
        return self.result.iqr - self.previous.iqr

    @property
    def consensus_changed(self) -> bool:
        return self.previous is not None and self.previous.consensus != self.result.consensus

    @property
    def changed(self) -> bool:
        """The group's answer moved since the previous round: median, IQR or consensus."""
        return bool(self.median_change or self.iqr_change or self.consensus_changed)

    @property
    def sensitive(self) -> bool:
        """Another consensus definition would give this item a different status."""
        return any(value != self.result.consensus for value in self.definitions.values())


def _bars(counts: list[int]) -> tuple[Bar, ...]:
    total = sum(counts)
    tallest = max(counts, default=0)
    return tuple(
        Bar(
            point=point,
            count=count,
            percent=round(100 * count / total) if total else 0,
            height=round(100 * count / tallest) if tallest else 0,
        )
        for point, count in enumerate(counts, start=1)
    )


def item_results_for_round(delphi_round: Round) -> list[ItemResult]:
    """The round's frozen results with their statements and domains, in questionnaire order.

    One query.
    """
    return list(
        ItemResult.objects.filter(item__delphi_round=delphi_round)
        .select_related("item__statement__domain")
        .order_by("item__order", "item__pk", "criterion")
    )


@dataclass(frozen=True)
class DomainGroup:
    domain: Domain | None
    rows: list[ResultRow]


def rows_by_domain(rows: Iterable[ResultRow]) -> list[DomainGroup]:
    """Rows grouped by their statement's domain, domains in the study's order, none last."""
    groups: dict[int | None, DomainGroup] = {}
    for row in rows:
        domain = row.domain
        key = domain.pk if domain is not None else None
        groups.setdefault(key, DomainGroup(domain, [])).rows.append(row)
    return sorted(
        groups.values(),
        key=lambda g: (
            g.domain is None,
            g.domain.order if g.domain else 0,
            g.domain and g.domain.pk,
        ),
    )


def filter_rows(
    rows: Iterable[ResultRow],
    *,
    consensus: str = "",
    changed: bool = False,
    band: str = "",
) -> list[ResultRow]:
    """Rows matching the page's filters: consensus 'yes'/'no', changed only, one band code."""
    selected = []
    for row in rows:
        if consensus == "no" and row.result.consensus:
            continue
        if consensus == "yes" and not row.result.consensus:
            continue
        if changed and not row.changed:
            continue
        if band and row.result.band != band:
            continue
        selected.append(row)
    return selected


# --------------------------------------------------------------------------- ratings


@dataclass(frozen=True)
class RoundRatings:
    """Submitted ratings of a round and of its previous round, column by column.

    ``round_ids``, ``expert_ids``, ``statement_ids``, ``values`` are int arrays and
    ``criteria`` a str array, one entry per rating; value 0 is "cannot judge".
    """

    round_ids: np.ndarray
    expert_ids: np.ndarray
    statement_ids: np.ndarray
    criteria: np.ndarray
    values: np.ndarray

    def matrix(
        self, *, round_id: int, criterion: str, experts: np.ndarray, statements: list[int]
    ) -> np.ndarray:
        """Experts x statements matrix of one round's answers; 0 where there is none.

        ``experts`` must be sorted; answers of experts or statements not listed are ignored.
        """
        matrix = np.zeros((len(experts), len(statements)), dtype=np.int64)
        if not len(experts) or not statements:
            return matrix
        mask = (self.round_ids == round_id) & (self.criteria == criterion)
        order = np.argsort(statements, kind="stable")
        sorted_statements = np.asarray(statements, dtype=np.int64)[order]
        expert_pos = np.searchsorted(experts, self.expert_ids[mask])
        statement_pos = np.searchsorted(sorted_statements, self.statement_ids[mask])
        expert_pos = np.minimum(expert_pos, len(experts) - 1)
        statement_pos = np.minimum(statement_pos, len(statements) - 1)
        known = (experts[expert_pos] == self.expert_ids[mask]) & (
            sorted_statements[statement_pos] == self.statement_ids[mask]
        )
        matrix[expert_pos[known], order[statement_pos[known]]] = self.values[mask][known]
        return matrix

    def experts_of(self, round_id: int) -> np.ndarray:
        return np.unique(self.expert_ids[self.round_ids == round_id])


def ratings_for_rounds(round_ids: list[int]) -> RoundRatings:
    """Every submitted rating of the given rounds as (round, expert, statement, criterion,
    value) columns. One query; drafts are not answers yet, as in the frozen results.
    """
    rows = list(
        Rating.objects.filter(
            submission__delphi_round_id__in=round_ids,
            submission__status=Submission.Status.SUBMITTED,
        )
        .order_by()
        .values_list(
            "submission__delphi_round_id",
            "submission__expert_id",
            "item__statement_id",
            "criterion",
            "value",
        )
    )
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return RoundRatings(empty, empty, empty, np.zeros(0, dtype=str), empty)
    rounds, experts, statements, criteria, values = zip(*rows, strict=True)
    return RoundRatings(
        np.asarray(rounds, dtype=np.int64),
        np.asarray(experts, dtype=np.int64),
        np.asarray(statements, dtype=np.int64),
        np.asarray(criteria, dtype=str),
        np.asarray(values, dtype=np.int64),
    )


# --------------------------------------------------------------------------- measures


def round_stability(
    ratings: RoundRatings,
    *,
    delphi_round: Round,
    results: list[ItemResult],
    points: int,
) -> dict[tuple[int, str], stats.ItemStability]:
    """Per item (statement, criterion): who changed their answer since the previous round.

    Experts are paired by identity across the two rounds (`analysis.stats.stability`);
    empty when there is no previous round.
    """
    previous_id = delphi_round.previous_round_id
    if previous_id is None:
        return {}
    experts = np.unique(ratings.expert_ids)
    found = {}
    for criterion, statements in _statements_by_criterion(results).items():
        before = ratings.matrix(
            round_id=previous_id, criterion=criterion, experts=experts, statements=statements
        )
        after = ratings.matrix(
            round_id=delphi_round.pk, criterion=criterion, experts=experts, statements=statements
        )
        measured = stats.stability(before, after, points=points)
        found.update(
            ((statement, criterion), item)
            for statement, item in zip(statements, measured, strict=True)
        )
    return found


def round_kendalls_w(
    ratings: RoundRatings, *, delphi_round: Round, results: list[ItemResult], points: int
) -> list[tuple[str, stats.KendallW]]:
    """Kendall's W of the round for each criterion, over the experts who submitted it."""
    experts = ratings.experts_of(delphi_round.pk)
    return [
        (
            criterion,
            stats.kendalls_w(
                ratings.matrix(
                    round_id=delphi_round.pk,
                    criterion=criterion,
                    experts=experts,
                    statements=statements,
                ),
                points=points,
            ),
        )
        for criterion, statements in _statements_by_criterion(results).items()
    ]


def _statements_by_criterion(results: list[ItemResult]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for result in results:
        found.setdefault(result.criterion, []).append(result.item.statement_id)
    return found


def sensitivity(results: list[ItemResult], *, study: Study) -> list[dict[str, bool]]:
    """Each result's consensus under every definition of DEFINITIONS, from its frozen counts.

    IQR alone and IQR with agreement go through `stats.apply_consensus_rule`, agreement alone
    through `stats.agreement_reached`, with the study's thresholds. One dict per result.
    """
    if not results:
        return []
    counts = np.asarray([result.counts for result in results], dtype=np.int64)
    summary = stats.summarize_count_matrix(
        counts,
        points=counts.shape[1],
        cutoffs=tuple(study.band_cutoffs),
        threshold=study.consensus_iqr_threshold,
        method=results[0].method,
    )
    by_definition = {
        IQR: stats.apply_consensus_rule(
            summary, rule="iqr", threshold=study.consensus_iqr_threshold
        ),
        IQR_AND_AGREEMENT: stats.apply_consensus_rule(
            summary,
            rule="iqr_and_agreement",
            threshold=study.consensus_iqr_threshold,
            agreement_threshold=study.agreement_threshold,
        ),
        AGREEMENT: stats.agreement_reached(counts, threshold=study.agreement_threshold),
    }
    return [
        {name: bool(values[j]) for name, values in by_definition.items()}
        for j in range(len(results))
    ]


@dataclass(frozen=True)
class SensitivitySummary:
    """How many items reach consensus under each definition, and which change status."""

    labels: dict[str, str]
    counts: dict[str, int]
    changing: list[ResultRow]

    @property
    def per_definition(self) -> list[tuple[str, int]]:
        """(label, number of items with consensus) in the order of DEFINITIONS."""
        return [(self.labels[name], self.counts[name]) for name in DEFINITIONS]


def definition_labels(study: Study) -> dict[str, str]:
    threshold = study.consensus_iqr_threshold
    agreement = format_percent(study.agreement_threshold)
    return {
        IQR: _("IQR ≤ %(threshold)s") % {"threshold": threshold},
        IQR_AND_AGREEMENT: _("IQR ≤ %(threshold)s and agreement ≥ %(agreement)s %%")
        % {"threshold": threshold, "agreement": agreement},
        AGREEMENT: _("Agreement ≥ %(agreement)s %% alone") % {"agreement": agreement},
    }


def _sensitivity_summary(rows: list[ResultRow], study: Study) -> SensitivitySummary:
    return SensitivitySummary(
        labels=definition_labels(study),
        counts={
            name: sum(row.definitions.get(name, False) for row in rows) for name in DEFINITIONS
        },
        changing=[row for row in rows if row.sensitive],
    )


@dataclass(frozen=True)
class ResponseRate:
    invited: int
    submitted: int

    @property
    def percent(self) -> int | None:
        return _share_half_up(self.submitted, self.invited)


@dataclass(frozen=True)
class AttritionCheck:
    """Whether experts who left after the previous round held minority views in it.

    A minority answer lies outside the previous round's [Q1, Q3] of its item. Shares are
    whole percentages of the group's answers (None when the group gave none).
    """

    applicable: bool
    previous_number: int | None = None
    left_codes: tuple[str, ...] = ()
    stayed: int = 0
    left_share: int | None = None
    stayed_share: int | None = None

    @property
    def left(self) -> int:
        return len(self.left_codes)

    @property
    def sentence(self) -> str:
        if not self.applicable:
            return _(
                "The attrition check needs a previous rating round answered by the same "
                "panel, with frozen results."
            )
        if not self.left_codes:
            return _(
                "Every expert who answered round %(number)s answered this round too: nobody "
                "left, so the panel's views cannot have narrowed through attrition."
            ) % {"number": self.previous_number}
        said = ngettext(
            "%(count)s expert who answered round %(number)s did not answer this round (%(codes)s).",
            "%(count)s experts who answered round %(number)s did not answer this round "
            "(%(codes)s).",
            self.left,
        ) % {
            "count": self.left,
            "number": self.previous_number,
            "codes": ", ".join(self.left_codes),
        }
        if self.left_share is None or self.stayed_share is None:
            return said
        compared = ngettext(
            "%(left_share)s %% of their round-%(number)s answers lay outside the panel's "
            "middle half (Q1 to Q3), against %(stayed_share)s %% for the %(stayed)s expert "
            "who stayed.",
            "%(left_share)s %% of their round-%(number)s answers lay outside the panel's "
            "middle half (Q1 to Q3), against %(stayed_share)s %% for the %(stayed)s experts "
            "who stayed.",
            self.stayed,
        ) % {
            "left_share": self.left_share,
            "stayed_share": self.stayed_share,
            "stayed": self.stayed,
            "number": self.previous_number,
        }
        difference = self.left_share - self.stayed_share
        if difference > ATTRITION_MARGIN:
            verdict = _(
                "Those who left held minority views more often: part of this round's "
                "consensus may come from their leaving. Say so when you report it."
            )
        elif difference < -ATTRITION_MARGIN:
            verdict = _("Those who left held minority views less often than those who stayed.")
        else:
            verdict = _("Those who left held minority views about as often as those who stayed.")
        return f"{said} {compared} {verdict}"


def attrition_check(
    ratings: RoundRatings,
    *,
    delphi_round: Round,
    previous_round: Round | None,
    previous: dict[tuple[int, str], ItemResult],
    submitted: dict[int, dict[int, str]],
) -> AttritionCheck:
    """Compare the previous round's minority answers of the experts who left with the others'.

    ``submitted`` maps a round id to {expert id: code} of its submitted submissions.
    Applicable when the previous round was rated by the same panel and has frozen results.
    """
    if (
        previous_round is None
        or previous_round.kind not in RATED_KINDS
        or previous_round.panel_id != delphi_round.panel_id
        or not previous
    ):
        return AttritionCheck(applicable=False)
    before = submitted.get(previous_round.pk, {})
    after = submitted.get(delphi_round.pk, {})
    left = sorted(set(before) - set(after), key=lambda pk: before[pk])
    stayed = set(before) & set(after)

    mask = (ratings.round_ids == previous_round.pk) & (ratings.values > 0)
    experts = ratings.expert_ids[mask]
    values = ratings.values[mask]
    ranges = [
        previous.get((statement, criterion))
        for statement, criterion in zip(
            ratings.statement_ids[mask].tolist(), ratings.criteria[mask].tolist(), strict=True
        )
    ]
    q1 = np.array([_bound(r, "q1", -np.inf) for r in ranges], dtype=float)
    q3 = np.array([_bound(r, "q3", np.inf) for r in ranges], dtype=float)
    outside = (values < q1) | (values > q3)

    def share(group: set[int]) -> int | None:
        members = np.isin(experts, list(group))
        return _share(int(outside[members].sum()), int(members.sum()))

    return AttritionCheck(
        applicable=True,
        previous_number=previous_round.number,
        left_codes=tuple(before[pk] for pk in left),
        stayed=len(stayed),
        left_share=share(set(left)),
        stayed_share=share(stayed),
    )


def _bound(result: ItemResult | None, name: str, missing: float) -> float:
    # Decimal -> float is exact enough here: quartiles have two decimals, answers are whole.
    value = getattr(result, name, None) if result is not None else None
    return missing if value is None else float(value)


# --------------------------------------------------------------------------- the verdict


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
    exactly; the sentence shows them rounded down.
    """
    required = study.stopping_consensus_share
    max_change = study.stability_max_change
    rule = _stopping_rule_sentence(study)
    if not items:
        return Verdict(
            False, _("No statement was rated, so the stopping rule cannot be applied."), rule
        )
    share = _share(with_consensus, items)
    enough = Decimal(100 * with_consensus) >= required * items
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


# --------------------------------------------------------------------------- the page


def results_unavailable_reason(delphi_round: Round) -> str | None:
    """Why a round has no results page yet (a polite sentence), or None when it has one."""
    if delphi_round.kind not in RATED_KINDS:
        return _(
            "An open-question round has no ratings to summarise: its answers become "
            "statements in the content analysis."
        )
    if delphi_round.status != Round.Status.CLOSED:
        return _(
            "Results appear here once the round is closed. Closing freezes the figures that "
            "the next round's feedback and every report use."
        )
    return None


@dataclass
class RoundResults:
    """Everything the results page of a closed rating or confirmation round shows."""

    delphi_round: Round
    rows: list[ResultRow]
    criteria: list[str]
    kendall: list[tuple[str, stats.KendallW]]
    response: ResponseRate
    sensitivity: SensitivitySummary
    attrition: AttritionCheck
    verdict: Verdict
    has_previous: bool

    @property
    def items(self) -> int:
        return len(self.rows)

    @property
    def with_consensus(self) -> int:
        return sum(1 for row in self.rows if row.result.consensus)

    @property
    def consensus_share(self) -> int | None:
        return _share(self.with_consensus, self.items)

    @property
    def several_criteria(self) -> bool:
        return len(self.criteria) > 1


def _submitted_experts(round_ids: list[int]) -> dict[int, dict[int, str]]:
    found: dict[int, dict[int, str]] = {pk: {} for pk in round_ids}
    rows = Submission.objects.filter(
        delphi_round_id__in=round_ids, status=Submission.Status.SUBMITTED
    ).values_list("delphi_round_id", "expert_id", "expert__code")
    for round_id, expert_id, code in rows:
        found[round_id][expert_id] = code
    return found


def _invited(delphi_round: Round) -> int:
    return Invitation.objects.filter(delphi_round=delphi_round).count()


def round_results(*, delphi_round: Round) -> RoundResults:
    """The results page's content for a closed rating or confirmation round.

    Six queries whatever the number of statements and experts: the frozen results (with
    statements and domains), the previous round's frozen results, the submitted ratings of
    both rounds, the submitted experts of both rounds, the number invited. `delphi_round`
    must come with its study and previous round loaded (select_related) to stay at six.
    """
    study = delphi_round.study
    previous_round = delphi_round.previous_round if delphi_round.previous_round_id else None
    points = study.scale_points
    band_labels = stats.BAND_LABELS.get(study.language, stats.BAND_LABELS_EN)

    results = item_results_for_round(delphi_round)
    previous = previous_results_for_round(delphi_round)
    round_ids = [delphi_round.pk] + ([previous_round.pk] if previous_round else [])
    ratings = ratings_for_rounds(round_ids)
    submitted = _submitted_experts(round_ids)

    same_panel = previous_round is not None and previous_round.panel_id == delphi_round.panel_id
    stability = (
        round_stability(ratings, delphi_round=delphi_round, results=results, points=points)
        if same_panel
        else {}
    )
    definitions = sensitivity(results, study=study)
    agreement = (
        stats.percent_agreement(np.asarray([r.counts for r in results], dtype=np.int64))
        if results
        else []
    )

    rows = []
    for j, result in enumerate(results):
        key = (result.item.statement_id, result.criterion)
        rows.append(
            ResultRow(
                result=result,
                number=j + 1,
                band_label=band_labels.get(result.band, ""),
                bars=_bars(result.counts),
                previous=previous.get(key),
                stability=stability.get(key),
                percent_agreement=None if np.isnan(agreement[j]) else float(agreement[j]),
                definitions=definitions[j],
            )
        )

    criteria = list(dict.fromkeys(result.criterion for result in results))
    with_consensus = sum(1 for result in results if result.consensus)
    return RoundResults(
        delphi_round=delphi_round,
        rows=rows,
        criteria=criteria or [DEFAULT_CRITERION],
        kendall=round_kendalls_w(
            ratings, delphi_round=delphi_round, results=results, points=points
        ),
        response=ResponseRate(
            invited=_invited(delphi_round), submitted=len(submitted[delphi_round.pk])
        ),
        sensitivity=_sensitivity_summary(rows, study),
        attrition=attrition_check(
            ratings,
            delphi_round=delphi_round,
            previous_round=previous_round,
            previous=previous,
            submitted=submitted,
        ),
        verdict=stopping_verdict(
            study=study,
            items=len(results),
            with_consensus=with_consensus,
            stability=[row.stability for row in rows],
        ),
        has_previous=bool(previous),
    )
