"""What the reports say, gathered from the existing reads: pure reads, no rendering.

The PDF reports (reports.pdf) and the Excel workbook's Summary sheet read the same facts from
here, so a round's dates, response rate or item flow never differ between the two. Every
statistic comes from the frozen ItemResult rows through `analysis.selectors.round_results`,
or from `analysis.stats` (the worked example of the grouped formulas); this package only
counts rows (invitations, submissions, statements) and arranges them.

Texts that these functions word (band labels, kind labels, the guideline checklist, verdict
sentences) are in the active language: call them inside `translation.override(language)`.
Experts appear only by code; names are read only by `roster`, which a report calls only when
the researcher asked for a roster.

Public reads, each documented where it is defined:
`rounds_facts(study)`, `round_facts(delphi_round)`, `study_method(study)`,
`band_ranges(study)`, `worked_example(result, study=)`, `rating_round_report(delphi_round)`,
`open_round_report(delphi_round)`, `participation(study, facts)`, `item_flow(study)`,
`resulting_model(study)`, `confirmation_results(study)`, `roster(panels)`,
`final_report(study)`, `reporting_checklist(facts=, panel_sizes=, method=, item_flow=)`,
`software_version()`.
"""

from .facts import (
    NOTHING,
    RATED_KINDS,
    ChannelCount,
    ReportUnavailable,
    RoundFacts,
    round_facts,
    rounds_facts,
)
from .final import (
    MODEL_BANDS,
    Confirmation,
    FinalReport,
    ResultingModel,
    confirmation_results,
    final_report,
    resulting_model,
    roster,
)
from .flow import ItemFlowRow, ParticipationStep, item_flow, participation
from .guidelines import (
    SOFTWARE_NAME,
    ChecklistRow,
    consensus_rule_sentence,
    panel_sizes,
    reporting_checklist,
    software_version,
)
from .method import (
    BandRange,
    StudyMethod,
    TraceLine,
    WorkedExample,
    band_ranges,
    study_method,
    worked_example,
)
from .rating import Moves, RatingRoundReport, rating_round_report
from .trail import AnswerLine, DomainSection, OpenRoundReport, QuestionSection, open_round_report

__all__ = [
    "MODEL_BANDS",
    "NOTHING",
    "RATED_KINDS",
    "SOFTWARE_NAME",
    "AnswerLine",
    "BandRange",
    "ChannelCount",
    "ChecklistRow",
    "Confirmation",
    "DomainSection",
    "FinalReport",
    "ItemFlowRow",
    "Moves",
    "OpenRoundReport",
    "ParticipationStep",
    "QuestionSection",
    "RatingRoundReport",
    "ReportUnavailable",
    "ResultingModel",
    "RoundFacts",
    "StudyMethod",
    "TraceLine",
    "WorkedExample",
    "band_ranges",
    "confirmation_results",
    "consensus_rule_sentence",
    "final_report",
    "item_flow",
    "open_round_report",
    "panel_sizes",
    "participation",
    "rating_round_report",
    "reporting_checklist",
    "resulting_model",
    "roster",
    "round_facts",
    "rounds_facts",
    "software_version",
    "study_method",
    "worked_example",
]
