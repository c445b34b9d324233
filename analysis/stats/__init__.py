"""Delphi statistics: grouped median, quartiles, IQR, bands, consensus and related measures.

This package is the arithmetic a thesis committee re-does by hand, so it follows the seed
paper's formulas literally and keeps every intermediate value. It imports only the standard
library and numpy (scipy is imported lazily inside the two functions that need a p-value),
so it works the same from Django, a notebook or the shell. Import from the package
(``from analysis.stats import summarize_counts``); the modules are:

- `rounding` — exact decimals and half-up rounding to two decimals;
- `bands` — the bands of a median or a mean and their cut-offs;
- `options` — scale points, consensus threshold and method, checked once;
- `grouped` — one statement from its counts: the grouped formulas with their trace
  (the module docstring states the method and its boundary rule);
- `ratings` — reading an experts x items ratings matrix and counting its answers;
- `matrix` — every statement at once, vectorised, identical to `grouped` column by column;
- `agreement` — percent agreement and the consensus rules;
- `mean` — mean, sample SD and coefficient of variation;
- `ranks` — Kendall's W and the stability between rounds;
- `shares` — whole-number percentages as pages and reports print them.
"""

from .agreement import (
    CONSENSUS_RULES,
    DEFAULT_AGREEMENT_THRESHOLD,
    DEFAULT_TOP,
    agreement_reached,
    apply_consensus_rule,
    percent_agreement,
)
from .bands import (
    BAND_LABELS,
    BAND_LABELS_EN,
    BAND_LABELS_TH,
    BANDS,
    DEFAULT_CUTOFFS,
    MEAN_CUTOFFS,
    band_for,
    mean_band,
)
from .grouped import ItemSummary, QuantileTrace, summarize_counts
from .matrix import RatingsSummary, summarize_count_matrix, summarize_ratings
from .mean import coefficient_of_variation, mean_sd
from .options import DEFAULT_POINTS, DEFAULT_THRESHOLD, METHODS
from .ranks import ItemStability, KendallW, kendalls_w, stability
from .ratings import count_ratings
from .rounding import round_half_up
from .shares import distribution_percents, percent_half_up

__all__ = [
    "BANDS",
    "BAND_LABELS",
    "BAND_LABELS_EN",
    "BAND_LABELS_TH",
    "CONSENSUS_RULES",
    "DEFAULT_AGREEMENT_THRESHOLD",
    "DEFAULT_CUTOFFS",
    "DEFAULT_POINTS",
    "DEFAULT_THRESHOLD",
    "DEFAULT_TOP",
    "MEAN_CUTOFFS",
    "METHODS",
    "ItemStability",
    "ItemSummary",
    "KendallW",
    "QuantileTrace",
    "RatingsSummary",
    "agreement_reached",
    "apply_consensus_rule",
    "band_for",
    "coefficient_of_variation",
    "count_ratings",
    "distribution_percents",
    "kendalls_w",
    "mean_band",
    "mean_sd",
    "percent_agreement",
    "percent_half_up",
    "round_half_up",
    "stability",
    "summarize_count_matrix",
    "summarize_counts",
    "summarize_ratings",
]
