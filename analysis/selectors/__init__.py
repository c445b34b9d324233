"""Reads for the results page of a rating or confirmation round.

Figures come from the frozen ItemResult rows (see rounds.results) or, for what is not
frozen — stability between rounds, Kendall's W, the other consensus definitions — from
`analysis.stats` applied to the submitted ratings. This package only gathers rows (a fixed
number of queries whatever the size of the round), arranges them into the matrices
`analysis.stats` expects, and words the verdicts. A confirmation round's page adds the reads
of `analysis.selectors.confirmation` (verdicts per criterion, suggestions per domain).
"""

from .attrition import ATTRITION_MARGIN, AttritionCheck, attrition_check
from .measures import (
    AGREEMENT,
    DEFINITIONS,
    IQR,
    IQR_AND_AGREEMENT,
    SensitivitySummary,
    definition_labels,
    round_kendalls_w,
    round_stability,
    sensitivity,
)
from .page import ResponseRate, RoundResults, results_unavailable_reason, round_results
from .percent import format_percent
from .ratings import RATED_KINDS, RoundRatings, ratings_for_rounds
from .rows import Bar, DomainGroup, ResultRow, filter_rows, item_results_for_round, rows_by_domain
from .rule import FrozenRule, frozen_rule, iqr_rule_label
from .verdict import Verdict, stopping_verdict

__all__ = [
    "AGREEMENT",
    "ATTRITION_MARGIN",
    "DEFINITIONS",
    "IQR",
    "IQR_AND_AGREEMENT",
    "RATED_KINDS",
    "AttritionCheck",
    "Bar",
    "DomainGroup",
    "FrozenRule",
    "ResponseRate",
    "ResultRow",
    "RoundRatings",
    "RoundResults",
    "SensitivitySummary",
    "Verdict",
    "attrition_check",
    "definition_labels",
    "filter_rows",
    "format_percent",
    "frozen_rule",
    "iqr_rule_label",
    "item_results_for_round",
    "ratings_for_rounds",
    "results_unavailable_reason",
    "round_kendalls_w",
    "round_results",
    "round_stability",
    "rows_by_domain",
    "sensitivity",
    "stopping_verdict",
]
