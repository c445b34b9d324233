"""What the reports say, gathered from the existing reads: pure reads, no rendering.

The PDF reports (reports.pdf) and the Excel workbook's Summary sheet read the same facts from
here, so a round's dates, response rate or item flow never differ between the two. Every
statistic comes from the frozen ItemResult rows through `analysis.selectors.round_results`,
or from `analysis.stats` (the worked example of the grouped formulas); this module only
counts rows (invitations, submissions, statements) and arranges them.

Texts that these functions word (band labels, kind labels, the guideline checklist, verdict
sentences) are in the active language: call them inside `translation.override(language)`.
Experts appear only by code; names are read only by `roster`, which a report calls only when
the researcher asked for a roster.

Public reads, each documented below:
`rounds_facts(study)`, `round_facts(delphi_round)`, `study_method(study)`,
`band_ranges(study)`, `worked_example(result, study=)`, `rating_round_report(delphi_round)`,
`open_round_report(delphi_round)`, `participation(study, facts)`, `item_flow(study)`,
`resulting_model(study)`, `confirmation_results(study)`, `roster(panels)`,
`final_report(study)`, `reporting_checklist(report)`, `software_version()`.
"""

import datetime
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from analysis import selectors, selectors_confirmation, stats
from analysis.selectors import DomainGroup, ResponseRate, ResultRow, RoundResults
from analysis.selectors_confirmation import ConfirmationResults
from panels.models import AuditEvent, Expert, Panel, Study
from panels.protocol import ProtocolDeviation, protocol_deviations
from rounds.models import (
    Channel,
    Domain,
    Invitation,
    ItemResult,
    OpenQuestion,
    Round,
    RoundItem,
    Statement,
    StatementSource,
    Submission,
)
from rounds.selectors_coding import AnswerView, SourceView, StatementView, coding_workspace

SOFTWARE_NAME = "delphi-site"
# What a report prints where a figure does not apply or is missing.
NOTHING = "\N{EN DASH}"
RATED_KINDS = (Round.Kind.RATING, Round.Kind.CONFIRMATION)


class ReportUnavailable(ValueError):
    """A round has nothing to report yet (a rating round not closed, an open round in a rating
    report): the message says why, politely, in the active language."""


# The bands a statement must reach, with consensus, to enter the resulting model.
MODEL_BANDS = ("high", "highest")


@lru_cache(maxsize=1)
def software_version() -> str:
    """The version in pyproject.toml ("0.1.0"), or "unknown" when the file is not shipped."""
    try:
        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as file:
            return str(tomllib.load(file)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


# --------------------------------------------------------------------------- round facts


@dataclass(frozen=True)
class ChannelCount:
    """How many returned questionnaires came through one channel (web, paper, LINE, …)."""

    code: str
    label: str
    count: int


@dataclass(frozen=True)
class RoundFacts:
    """A round as a report introduces it: when it ran, who was asked, who answered, how.

    `closed_at` is when the researcher last closed the round (from the study's log), None for
    a round never closed through the site (e.g. loaded data). `returned` counts submitted
    questionnaires only: a draft is not an answer.
    """

    delphi_round: Round
    panel: Panel
    opens_at: datetime.datetime | None
    closes_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    invited: int
    returned: int
    channels: tuple[ChannelCount, ...]

    @property
    def number(self) -> int:
        return self.delphi_round.number

    @property
    def kind(self) -> str:
        return self.delphi_round.kind

    @property
    def kind_label(self) -> str:
        return str(self.delphi_round.get_kind_display())

    @property
    def is_closed(self) -> bool:
        return self.delphi_round.status == Round.Status.CLOSED

    @property
    def is_draft(self) -> bool:
        return self.delphi_round.status == Round.Status.DRAFT

    @property
    def ends_at(self) -> datetime.datetime | None:
        """The deadline, or the closing when the round was closed before its deadline."""
        if self.closed_at is not None and (
            self.closes_at is None or self.closed_at < self.closes_at
        ):
            return self.closed_at
        return self.closes_at

    @property
    def days_open(self) -> int | None:
        """Calendar days from opening to end, both counted, in the site's time zone."""
        if self.opens_at is None or self.ends_at is None:
            return None
        start = timezone.localtime(self.opens_at).date()
        end = timezone.localtime(self.ends_at).date()
        return (end - start).days + 1

    @property
    def response_rate(self) -> int | None:
        """Whole percent, rounded half-up as on the tracking and results pages."""
        return ResponseRate(invited=self.invited, submitted=self.returned).percent


def _facts(rounds: list[Round]) -> list[RoundFacts]:
    ids = [delphi_round.pk for delphi_round in rounds]
    invited = dict(
        Invitation.objects.filter(delphi_round_id__in=ids)
        .order_by()
        .values("delphi_round_id")
        .annotate(count=Count("pk"))
        .values_list("delphi_round_id", "count")
    )
    channels: dict[int, Counter] = defaultdict(Counter)
    submitted = (
        Submission.objects.filter(delphi_round_id__in=ids, status=Submission.Status.SUBMITTED)
        .order_by()
        .values("delphi_round_id", "channel")
        .annotate(count=Count("pk"))
        .values_list("delphi_round_id", "channel", "count")
    )
    for round_id, channel, count in submitted:
        channels[round_id][channel] += count
    closed_at = _closing_times(rounds)
    labels = dict(Channel.choices)
    facts = []
    for delphi_round in rounds:
        used = channels[delphi_round.pk]
        facts.append(
            RoundFacts(
                delphi_round=delphi_round,
                panel=delphi_round.panel,
                opens_at=delphi_round.opens_at,
                closes_at=delphi_round.closes_at,
                closed_at=closed_at.get(delphi_round.number),
                invited=invited.get(delphi_round.pk, 0),
                returned=sum(used.values()),
                # Channels in the order the site lists them, each with its label.
                channels=tuple(
                    ChannelCount(code=code, label=str(labels[code]), count=used[code])
                    for code in Channel.values
                    if used[code]
                ),
            )
        )
    return facts


def _closing_times(rounds: list[Round]) -> dict[int, datetime.datetime]:
    """When each round (by number) was last closed, from the "round.close" audit entries."""
    if not rounds:
        return {}
    study_id = rounds[0].study_id
    numbers = {delphi_round.number for delphi_round in rounds}
    found: dict[int, datetime.datetime] = {}
    events = AuditEvent.objects.filter(study_id=study_id, action="round.close").order_by(
        "created_at", "pk"
    )
    for created_at, detail in events.values_list("created_at", "detail"):
        number = detail.get("number") if isinstance(detail, dict) else None
        if number in numbers:
            found[number] = created_at
    return found


def rounds_facts(study: Study) -> list[RoundFacts]:
    """Facts of every round of the study, in round order; four queries whatever the size."""
    rounds = list(
        Round.objects.filter(study=study)
        .select_related("panel", "previous_round")
        .order_by("number")
    )
    return _facts(rounds)


def round_facts(delphi_round: Round) -> RoundFacts:
    """Facts of one round (dates, days open, invited, returned, response rate, channels)."""
    if "panel" not in delphi_round._state.fields_cache:
        delphi_round = Round.objects.select_related("panel").get(pk=delphi_round.pk)
    return _facts([delphi_round])[0]


# --------------------------------------------------------------------------- method


@dataclass(frozen=True)
class BandRange:
    """A band of medians: its code, label in the active language, and inclusive limits."""

    band: str
    label: str
    lower: Decimal
    upper: Decimal


def band_ranges(study: Study) -> list[BandRange]:
    """The study's bands from lowest to highest, each with the medians it covers.

    A band runs from the previous cut-off plus 0.01 (medians have two decimals) to its own
    cut-off; the lowest starts at 1, the highest ends at the top of the scale.
    """
    labels = _band_labels()
    cutoffs = list(study.band_cutoffs)
    lowers = [Decimal("1.00")] + [cut + Decimal("0.01") for cut in cutoffs]
    uppers = [*cutoffs, Decimal(study.scale_points).quantize(Decimal("0.01"))]
    return [
        BandRange(band=band, label=labels[band], lower=lower, upper=upper)
        for band, lower, upper in zip(stats.BANDS, lowers, uppers, strict=True)
    ]


def _band_labels() -> dict[str, str]:
    return dict(stats.BAND_LABELS.get(get_language() or "", stats.BAND_LABELS_EN))


@dataclass(frozen=True)
class StudyMethod:
    """How the study analyses answers, as fixed in its protocol, and every later change."""

    study: Study
    scale: tuple[tuple[int, str], ...]
    bands: tuple[BandRange, ...]
    consensus_rule: str
    consensus_threshold: Decimal
    agreement_threshold: Decimal
    rules_locked_at: datetime.datetime | None
    deviations: tuple[ProtocolDeviation, ...]
    stopping_rule: str

    @property
    def agreement_applies(self) -> bool:
        return self.consensus_rule == "iqr_and_agreement"

    @property
    def points(self) -> int:
        return len(self.scale)


def study_method(study: Study) -> StudyMethod:
    """The study's scale, bands, consensus and stopping rules, and its protocol deviations.

    One query (the deviations). The stopping rule is worded by `analysis.selectors`.
    """
    verdict = selectors.stopping_verdict(study=study, items=0, with_consensus=0, stability=[])
    return StudyMethod(
        study=study,
        scale=tuple(enumerate((str(label) for label in study.scale_labels), start=1)),
        bands=tuple(band_ranges(study)),
        consensus_rule=study.consensus_rule,
        consensus_threshold=study.consensus_iqr_threshold,
        agreement_threshold=study.agreement_threshold,
        rules_locked_at=study.rules_locked_at,
        deviations=tuple(protocol_deviations(study)),
        stopping_rule=verdict.rule,
    )


@dataclass(frozen=True)
class TraceLine:
    """One quantile of the worked example, every term of L + i * (p - F) / f as text."""

    name: str
    quarters: int
    position: str
    k: int
    L: str
    F: int
    f: int
    width: int
    exact: str
    rounded: Decimal


@dataclass(frozen=True)
class WorkedExample:
    """The grouped-data computation of one frozen result, recomputed by `analysis.stats`.

    `matches` is True when the recomputed values equal the frozen ones (they always should; a
    report says so rather than show a computation that disagrees with its table).
    """

    row: ResultRow
    n: int
    lines: tuple[TraceLine, ...]
    iqr: Decimal
    matches: bool


def _text(value: Fraction) -> str:
    """A position or boundary as a person writes it: 4.5, 13.5, 3.5; thirds as 4.33…"""
    if value.denominator in (1, 2, 4, 5, 10, 20, 25, 50, 100):
        return f"{Decimal(value.numerator) / Decimal(value.denominator):f}"
    return f"{float(value):.4f}"


def _two_places(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"))


def worked_example(row: ResultRow, *, study: Study) -> WorkedExample | None:
    """Q1, median and Q3 of one frozen result with every number of the grouped formula.

    None when the result has no answers or was not frozen with the grouped method.
    """
    result = row.result
    if not result.n or result.method != "grouped":
        return None
    summary = stats.summarize_counts(
        result.counts,
        points=len(result.counts),
        cutoffs=tuple(study.band_cutoffs),
        threshold=study.consensus_iqr_threshold,
        method=result.method,
    )
    quarters = {"q1": 1, "median": 2, "q3": 3}
    lines = tuple(
        TraceLine(
            name=trace.name,
            quarters=quarters[trace.name],
            position=_text(trace.position),
            k=trace.k,
            L=_text(trace.L),
            F=trace.F,
            f=trace.f,
            width=trace.width,
            exact=_text(trace.value),
            rounded=_two_places(trace.rounded),
        )
        for trace in summary.trace
    )
    by_name = {line.name: line.rounded for line in lines}
    iqr = Decimal(repr(summary.iqr)).quantize(Decimal("0.01"))
    matches = (
        by_name.get("median") == result.median
        and by_name.get("q1") == result.q1
        and by_name.get("q3") == result.q3
        and iqr == result.iqr
    )
    return WorkedExample(row=row, n=summary.n, lines=lines, iqr=iqr, matches=matches)


# --------------------------------------------------------------------------- rating rounds


@dataclass(frozen=True)
class Moves:
    """How many compared statements saw a figure go up, down or stay (no figure: left out)."""

    up: int
    down: int
    same: int


def _moves(changes) -> Moves:
    known = [change for change in changes if change is not None]
    return Moves(
        up=sum(1 for change in known if change > 0),
        down=sum(1 for change in known if change < 0),
        same=sum(1 for change in known if change == 0),
    )


@dataclass
class RatingRoundReport:
    """Everything a rating (or confirmation) round's report shows, in the active language.

    `groups` are the results by domain (as on the results page), `without_consensus` the
    statements that did not reach consensus, `reached` and `lost` the statements whose
    consensus changed since the previous round.
    """

    study: Study
    facts: RoundFacts
    method: StudyMethod
    results: RoundResults
    groups: list[DomainGroup]
    without_consensus: list[ResultRow]
    example: WorkedExample | None
    band_labels: dict[str, str]
    # Criterion code -> label (confirmation rounds rate on several criteria).
    criterion_labels: dict[str, str] = field(default_factory=dict)

    @property
    def delphi_round(self) -> Round:
        return self.facts.delphi_round

    @property
    def previous_round(self) -> Round | None:
        return self.delphi_round.previous_round if self.results.has_previous else None

    @property
    def compared(self) -> list[ResultRow]:
        return [row for row in self.results.rows if row.previous is not None]

    @property
    def reached(self) -> list[ResultRow]:
        return [row for row in self.compared if row.result.consensus and row.consensus_changed]

    @property
    def lost(self) -> list[ResultRow]:
        return [row for row in self.compared if not row.result.consensus and row.consensus_changed]

    @property
    def median_moves(self) -> Moves:
        return _moves(row.median_change for row in self.compared)

    @property
    def iqr_moves(self) -> Moves:
        return _moves(row.iqr_change for row in self.compared)

    @property
    def new_items(self) -> list[ResultRow]:
        return [row for row in self.results.rows if row.previous is None]


def _loaded(delphi_round: Round) -> Round:
    """The round with what `round_results` and the facts need loaded in one query."""
    return Round.objects.select_related("study", "panel", "previous_round").get(pk=delphi_round.pk)


def rating_round_report(delphi_round: Round) -> RatingRoundReport:
    """A closed rating or confirmation round's report data; raises ReportUnavailable otherwise.

    Reuses `analysis.selectors.round_results` (frozen results, previous round, Kendall's W,
    verdict) and adds the round facts, the study's method and a worked example of the
    grouped formulas (the round's first statement with answers).
    """
    delphi_round = _loaded(delphi_round)
    reason = selectors.results_unavailable_reason(delphi_round)
    if reason is not None:
        raise ReportUnavailable(reason)
    study = delphi_round.study
    results = selectors.round_results(delphi_round=delphi_round)
    labels = _band_labels()
    for row in results.rows:
        # The report's language, not the study's: an English report says "High".
        row.band_label = labels.get(row.result.band, "")
    example_row = next((row for row in results.rows if row.result.n), None)
    return RatingRoundReport(
        study=study,
        facts=round_facts(delphi_round),
        method=study_method(study),
        results=results,
        groups=selectors.rows_by_domain(results.rows),
        without_consensus=[row for row in results.rows if not row.result.consensus],
        example=worked_example(example_row, study=study) if example_row else None,
        band_labels=labels,
        criterion_labels={
            criterion["code"]: criterion["label"] or criterion["code"]
            for criterion in delphi_round.rating_criteria
        },
    )


# --------------------------------------------------------------------------- open rounds


@dataclass(frozen=True)
class AnswerLine:
    """One answer of an open round with its label (E03·2: expert E03, question 2)."""

    answer: AnswerView
    label: str


@dataclass(frozen=True)
class QuestionSection:
    question: OpenQuestion
    number: int
    answers: list[AnswerLine]


@dataclass(frozen=True)
class DomainSection:
    domain: Domain | None
    questions: list[QuestionSection]


@dataclass
class OpenRoundReport:
    """An open round's report: questions with answers by expert code, and the statements
    derived from them with their sources (the content-analysis trail).

    `sections` are the round's questions by domain with their submitted answers;
    `statements` the study's statements with at least one source among those answers,
    active ones by domain first, then merged and out-of-scope ones.
    """

    study: Study
    facts: RoundFacts
    sections: list[DomainSection]
    statements: list[StatementView]

    @property
    def answers(self) -> list[AnswerLine]:
        return [
            line
            for section in self.sections
            for question in section.questions
            for line in question.answers
        ]

    @property
    def set_aside(self) -> int:
        return sum(1 for line in self.answers if line.answer.is_out_of_scope)


def _answer_label(view: AnswerView) -> str:
    # The same label as the content-analysis workspace gives a source (E03·2, E03·2b).
    return SourceView(
        answer_id=view.pk,
        code=view.code,
        question_number=view.question_number,
        position=view.answer.position,
        text="",
    ).label


def open_round_report(delphi_round: Round) -> OpenRoundReport:
    """The content-analysis trail of an open round, from `rounds.selectors_coding`
    (seven queries) plus the round facts. Raises ReportUnavailable for another kind."""
    delphi_round = _loaded(delphi_round)
    if delphi_round.kind != Round.Kind.OPEN:
        raise ReportUnavailable(_("Only an open-question round has answers to report."))
    workspace = coding_workspace(delphi_round=delphi_round)
    sections = [
        DomainSection(
            domain=group.domain,
            questions=[
                QuestionSection(
                    question=question.question,
                    number=question.number,
                    answers=[AnswerLine(view, _answer_label(view)) for view in question.answers],
                )
                for question in group.questions
            ],
        )
        for group in workspace.answer_groups
    ]
    answer_ids = {
        line.answer.pk for section in sections for q in section.questions for line in q.answers
    }
    board = workspace.board
    derived = [
        view
        for view in (*board.active, *board.retired)
        if any(source.answer_id in answer_ids for source in view.sources)
    ]
    return OpenRoundReport(
        study=delphi_round.study,
        facts=round_facts(delphi_round),
        sections=sections,
        statements=derived,
    )


# --------------------------------------------------------------------------- the whole study


@dataclass(frozen=True)
class ParticipationStep:
    """One round in the participation flow: invited → returned, and who left since the
    previous round of the same panel (answered it, did not answer this one)."""

    facts: RoundFacts
    previous_number: int | None
    left: int | None


def participation(study: Study, facts: list[RoundFacts]) -> list[ParticipationStep]:
    """The flow of experts through the rounds that were sent (drafts are left out).

    One query: the submitted questionnaires of the study, to count who left between rounds.
    """
    sent = [fact for fact in facts if not fact.is_draft]
    answered: dict[int, set[int]] = defaultdict(set)
    rows = Submission.objects.filter(
        delphi_round__study=study, status=Submission.Status.SUBMITTED
    ).values_list("delphi_round_id", "expert_id")
    for round_id, expert_id in rows:
        answered[round_id].add(expert_id)
    last_of_panel: dict[int, RoundFacts] = {}
    steps = []
    for fact in sent:
        before = last_of_panel.get(fact.panel.pk)
        left = None
        if before is not None:
            left = len(answered[before.delphi_round.pk] - answered[fact.delphi_round.pk])
        steps.append(
            ParticipationStep(
                facts=fact, previous_number=before.number if before else None, left=left
            )
        )
        last_of_panel[fact.panel.pk] = fact
    return steps


@dataclass(frozen=True)
class ItemFlowRow:
    """What happened to the statements in one round.

    Open round: statements created from its answers (`added`), of which `merged` were merged
    into others and `out_of_scope` set aside. Rated round: statements asked (`rated`), new
    since the previous rated round (`added`: for the first one, every statement), left out
    from it (`dropped`), and with consensus (`consensus`, closed rounds only: a statement
    with several criteria counts when it reached consensus on every one). None = not
    applicable.
    """

    facts: RoundFacts
    rated: int | None = None
    added: int | None = None
    merged: int | None = None
    out_of_scope: int | None = None
    dropped: int | None = None
    consensus: int | None = None


def item_flow(study: Study, facts: list[RoundFacts]) -> list[ItemFlowRow]:
    """Item flow of the rounds that were sent; four queries whatever the size."""
    sent = [fact for fact in facts if not fact.is_draft]
    first_round_of: dict[int, int] = {}
    sources = (
        StatementSource.objects.filter(statement__study=study)
        .order_by("answer__question__delphi_round__number")
        .values_list("statement_id", "answer__question__delphi_round_id")
    )
    for statement_id, round_id in sources:
        first_round_of.setdefault(statement_id, round_id)
    status = dict(Statement.objects.filter(study=study).values_list("pk", "status"))
    items: dict[int, set[int]] = defaultdict(set)
    for round_id, statement_id in RoundItem.objects.filter(delphi_round__study=study).values_list(
        "delphi_round_id", "statement_id"
    ):
        items[round_id].add(statement_id)
    agreed: dict[int, dict[int, bool]] = defaultdict(dict)
    results = ItemResult.objects.filter(item__delphi_round__study=study).values_list(
        "item__delphi_round_id", "item__statement_id", "consensus"
    )
    for round_id, statement_id, consensus in results:
        before = agreed[round_id].get(statement_id, True)
        agreed[round_id][statement_id] = before and consensus

    rows = []
    previous_rated: set[int] | None = None
    for fact in sent:
        round_id = fact.delphi_round.pk
        if fact.kind == Round.Kind.OPEN:
            created = [pk for pk, first in first_round_of.items() if first == round_id]
            rows.append(
                ItemFlowRow(
                    facts=fact,
                    added=len(created),
                    merged=sum(1 for pk in created if status[pk] == Statement.Status.MERGED),
                    out_of_scope=sum(
                        1 for pk in created if status[pk] == Statement.Status.OUT_OF_SCOPE
                    ),
                )
            )
            continue
        asked = items[round_id]
        rows.append(
            ItemFlowRow(
                facts=fact,
                rated=len(asked),
                added=len(asked - previous_rated) if previous_rated is not None else len(asked),
                dropped=len(previous_rated - asked) if previous_rated is not None else None,
                consensus=(
                    sum(1 for value in agreed[round_id].values() if value)
                    if fact.is_closed
                    else None
                ),
            )
        )
        previous_rated = asked
    return rows


@dataclass
class ResultingModel:
    """The statements of the last closed rating round that reached the high or highest band
    with consensus, by domain. `source` is None when no rating round is closed yet."""

    source: RatingRoundReport | None
    groups: list[DomainGroup] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(group.rows) for group in self.groups)


def _last_closed(study: Study, kind: str) -> Round | None:
    return (
        Round.objects.filter(study=study, kind=kind, status=Round.Status.CLOSED)
        .order_by("-number")
        .first()
    )


def resulting_model(study: Study) -> ResultingModel:
    """The model the study arrived at (see ResultingModel), from the frozen results."""
    last = _last_closed(study, Round.Kind.RATING)
    if last is None:
        return ResultingModel(source=None)
    report = rating_round_report(last)
    chosen = [
        row
        for row in report.results.rows
        if row.result.consensus and row.result.band in MODEL_BANDS
    ]
    return ResultingModel(source=report, groups=selectors.rows_by_domain(chosen))


@dataclass
class Confirmation:
    """The confirmation stage: the last closed confirmation round's report with its verdict
    per criterion (`analysis.selectors_confirmation`), or, when none is closed, the
    confirmation round that exists (draft or open) or None."""

    report: RatingRoundReport | None
    pending: Round | None
    results: ConfirmationResults | None = None


def confirmation_results(study: Study) -> Confirmation:
    """The second panel's confirmation, when it has taken place (see Confirmation)."""
    closed = _last_closed(study, Round.Kind.CONFIRMATION)
    if closed is not None:
        report = rating_round_report(closed)
        return Confirmation(
            report=report,
            pending=None,
            results=selectors_confirmation.confirmation_results(results=report.results),
        )
    pending = (
        Round.objects.filter(study=study, kind=Round.Kind.CONFIRMATION)
        .select_related("panel")
        .order_by("-number")
        .first()
    )
    return Confirmation(report=None, pending=pending)


def roster(panels: list[Panel]) -> list[Expert]:
    """The experts of the panels with names, positions and organisations, for a roster the
    researcher asked for explicitly. Contact details are not part of any report."""
    return list(
        Expert.objects.filter(panel__in=panels)
        .select_related("panel")
        .only("code", "name", "position", "organisation", "panel__name", "panel__order")
        .order_by("panel__order", "panel_id", "code")
    )


@dataclass
class FinalReport:
    """The whole study for the final report: rounds, participation, item flow, the model,
    the confirmation and the method; `checklist` answers the reporting guidelines."""

    study: Study
    panels: list[Panel]
    facts: list[RoundFacts]
    method: StudyMethod
    participation: list[ParticipationStep]
    item_flow: list[ItemFlowRow]
    model: ResultingModel
    confirmation: Confirmation
    generated_at: datetime.datetime
    panel_sizes: list[tuple[Panel, int]] = field(default_factory=list)
    checklist: list["ChecklistRow"] = field(default_factory=list)

    @property
    def sent_rounds(self) -> list[RoundFacts]:
        return [fact for fact in self.facts if not fact.is_draft]

    @property
    def rated_rounds(self) -> list[RoundFacts]:
        return [fact for fact in self.sent_rounds if fact.kind in RATED_KINDS]


def final_report(study: Study) -> FinalReport:
    """Everything the final report shows. A fixed number of queries plus those of
    `round_results` for the last closed rating and confirmation rounds."""
    facts = rounds_facts(study)
    report = FinalReport(
        study=study,
        panels=list(Panel.objects.filter(study=study).order_by("order", "pk")),
        facts=facts,
        method=study_method(study),
        participation=participation(study, facts),
        item_flow=item_flow(study, facts),
        model=resulting_model(study),
        confirmation=confirmation_results(study),
        generated_at=timezone.now(),
    )
    report.panel_sizes = panel_sizes(report.panels)
    report.checklist = reporting_checklist(report)
    return report


# --------------------------------------------------------------------------- the guidelines


@dataclass(frozen=True)
class ChecklistRow:
    """One reporting-guideline item and what this study says about it (or where)."""

    item: str
    guidelines: str
    answer: str


def _date(value: datetime.datetime | None) -> str:
    # Imported here: the template filter module is the one place dates get their era.
    from delphi_site.templatetags.thaidate import localdate

    return localdate(value) if value else NOTHING


def reporting_checklist(report: FinalReport) -> list[ChecklistRow]:
    """The items of ACCORD (2024) and CREDES (2017) that the site knows, answered from the
    study's records in the active language. Items the site cannot know (rationale, funding,
    the literature review) are left to the researcher's own text."""
    sent = report.sent_rounds
    panels = "; ".join(
        ngettext(
            "%(panel)s: %(count)s expert",
            "%(panel)s: %(count)s experts",
            count,
        )
        % {"panel": panel.name, "count": count}
        for panel, count in report.panel_sizes
    )
    rounds_text = "; ".join(
        _("Round %(number)s (%(kind)s, %(panel)s): %(start)s to %(end)s")
        % {
            "number": fact.number,
            "kind": fact.kind_label,
            "panel": fact.panel.name,
            "start": _date(fact.opens_at),
            "end": _date(fact.ends_at),
        }
        for fact in sent
    )
    rates = "; ".join(
        _("Round %(number)s: %(returned)s of %(invited)s (%(rate)s %%)")
        % {
            "number": fact.number,
            "returned": fact.returned,
            "invited": fact.invited,
            "rate": fact.response_rate if fact.response_rate is not None else NOTHING,
        }
        for fact in sent
    )
    feedback = "; ".join(
        _("Round %(number)s: %(shown)s") % {"number": fact.number, "shown": _feedback_shown(fact)}
        for fact in report.rated_rounds
        if _feeds_back(fact.delphi_round)
    ) or _("No round showed feedback from a previous round.")
    method = report.method
    if method.rules_locked_at:
        a_priori = _(
            "%(rule)s Fixed on %(date)s, when the first rating round opened, before any "
            "rating was seen."
        ) % {"rule": consensus_rule_sentence(method), "date": _date(method.rules_locked_at)}
    else:
        a_priori = _("%(rule)s Not yet fixed: no rating round has opened.") % {
            "rule": consensus_rule_sentence(method)
        }
    if method.deviations:
        a_priori += " " + ngettext(
            "%(count)s later change, with its reason, is listed under protocol deviations.",
            "%(count)s later changes, with their reasons, are listed under protocol deviations.",
            len(method.deviations),
        ) % {"count": len(method.deviations)}
    else:
        a_priori += " " + _("No protocol deviation was recorded.")
    per_round = "; ".join(
        _("Round %(number)s: %(count)s") % {"number": row.facts.number, "count": row.rated}
        for row in report.item_flow
        if row.rated is not None
    ) or _("No rating round has been sent yet.")
    return [
        ChecklistRow(
            _("Panels, selection and recruitment of experts"), "ACCORD, CREDES", panels or NOTHING
        ),
        ChecklistRow(
            _("Number of rounds and their dates"), "ACCORD, CREDES", rounds_text or NOTHING
        ),
        ChecklistRow(_("Response rate in each round"), "ACCORD, CREDES", rates or NOTHING),
        ChecklistRow(_("How items were generated"), "ACCORD, CREDES", _items_generated(report)),
        ChecklistRow(_("Items in each round"), "ACCORD, CREDES", per_round),
        ChecklistRow(_("Feedback given to experts between rounds"), "ACCORD, CREDES", feedback),
        ChecklistRow(
            _("Anonymity of the experts"),
            "ACCORD, CREDES",
            _(
                "Experts answered individually through personal links or entries made by the "
                "researcher; they saw only group figures. In every report and export they "
                "appear only by code (e.g. E01)."
            ),
        ),
        ChecklistRow(_("Definition of consensus, set a priori"), "ACCORD, CREDES", a_priori),
        ChecklistRow(
            _("Analysis of the ratings"),
            "ACCORD, CREDES",
            _(
                "Median, first and third quartile with the grouped-data formulas; interquartile "
                "range; bands of the median. See the section on method."
            ),
        ),
        ChecklistRow(_("Stopping rule"), "ACCORD, CREDES", method.stopping_rule),
        ChecklistRow(
            _("Flow of experts and items through the rounds"),
            "CREDES",
            _("See the sections on participation and on item flow."),
        ),
        ChecklistRow(
            _("Software used"),
            "ACCORD",
            _("%(name)s version %(version)s")
            % {"name": SOFTWARE_NAME, "version": software_version()},
        ),
    ]


def consensus_rule_sentence(method: StudyMethod) -> str:
    """The consensus rule in one sentence, with the study's thresholds."""
    if method.agreement_applies:
        return _(
            "Consensus: interquartile range at most %(threshold)s and at least %(agreement)s %% "
            "of answers in the top two points."
        ) % {
            "threshold": method.consensus_threshold,
            "agreement": selectors.format_percent(method.agreement_threshold),
        }
    return _("Consensus: interquartile range at most %(threshold)s.") % {
        "threshold": method.consensus_threshold
    }


def panel_sizes(panels: list[Panel]) -> list[tuple[Panel, int]]:
    """Each panel with its number of experts; one query."""
    counts = dict(
        Expert.objects.filter(panel__in=panels)
        .order_by()
        .values("panel_id")
        .annotate(count=Count("pk"))
        .values_list("panel_id", "count")
    )
    return [(panel, counts.get(panel.pk, 0)) for panel in panels]


def _feeds_back(delphi_round: Round) -> bool:
    """Whether the round showed its experts figures of a previous rated round."""
    previous = delphi_round.previous_round if delphi_round.previous_round_id else None
    return previous is not None and previous.kind in RATED_KINDS


def _feedback_shown(fact: RoundFacts) -> str:
    delphi_round = fact.delphi_round
    shown = [
        label
        for flag, label in (
            (delphi_round.show_median, _("the group's median")),
            (delphi_round.show_iqr, _("the interquartile range")),
            (delphi_round.show_distribution, _("the distribution of answers")),
            (delphi_round.show_own_previous, _("the expert's own previous answer")),
        )
        if flag
    ]
    text = ", ".join(shown) if shown else _("nothing")
    if delphi_round.require_reason_outside_iqr:
        text += "; " + _("a reason was asked for answers moving outside the group's range")
    return text


def _items_generated(report: FinalReport) -> str:
    opened = [row for row in report.item_flow if row.facts.kind == Round.Kind.OPEN]
    if not opened:
        return _("The statements were written by the researcher; no open round was held.")
    parts = [
        _(
            "Round %(number)s asked open questions; content analysis of the answers gave "
            "%(added)s statements (%(merged)s merged with others, %(out)s set aside as out of "
            "scope), each keeping the answers it came from."
        )
        % {
            "number": row.facts.number,
            "added": row.added,
            "merged": row.merged,
            "out": row.out_of_scope,
        }
        for row in opened
    ]
    return " ".join(parts)
