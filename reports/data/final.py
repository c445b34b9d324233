"""The final report: the resulting model, the confirmation, the roster and the whole study."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from analysis import selectors
from analysis.selectors import DomainGroup
from analysis.selectors import confirmation as selectors_confirmation
from analysis.selectors.confirmation import ConfirmationResults
from panels.models import Expert, Panel, Study
from rounds.models import Round

from .facts import RoundFacts, rated_rounds, rounds_facts, sent_rounds
from .flow import ItemFlowRow, ParticipationStep, item_flow, participation
from .guidelines import ChecklistRow, panel_sizes, reporting_checklist
from .method import StudyMethod, study_method
from .rating import RatingRoundReport, rating_round_report

# The bands a statement must reach, with consensus, to enter the resulting model.
MODEL_BANDS = ("high", "highest")


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
    per criterion (`analysis.selectors.confirmation`), or, when none is closed, the
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
            results=selectors_confirmation.confirmation_results(
                results=report.results, band_labels=report.band_labels
            ),
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
    checklist: list[ChecklistRow] = field(default_factory=list)

    @property
    def sent_rounds(self) -> list[RoundFacts]:
        return sent_rounds(self.facts)

    @property
    def rated_rounds(self) -> list[RoundFacts]:
        return rated_rounds(self.facts)


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
    report.checklist = reporting_checklist(
        facts=report.facts,
        panel_sizes=report.panel_sizes,
        method=report.method,
        item_flow=report.item_flow,
    )
    return report
