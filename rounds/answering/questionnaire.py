"""The rating questionnaire's statements as the page shows them: each with its feedback and
its radio buttons, rendered once and reused (see `row_html`). The page around them is built
in `pages`.
"""

import functools
from dataclasses import dataclass, field

from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from analysis import stats
from panels.models import Expert
from rounds.models import CANNOT_JUDGE, DEFAULT_CRITERION, Round
from rounds.results import previous_ratings_for_expert, previous_results_for_round

from .rules import reason_needed

RATING_POINT_TEMPLATE = "rounds/expert/partials/_rating_point.html"
# Stands for the item's pk in the radio buttons rendered once per scale. It is inserted unescaped,
# while every scale label is escaped, so this exact text can only come from the marker.
_ITEM_MARKER = mark_safe("<item-pk/>")
RATING_ITEM_TEMPLATE = "rounds/expert/partials/_rating_item.html"
# Same idea for the autosave address, which holds the expert's token: the cached statement is
# shared by every expert of the round.
_URL_MARKER = mark_safe("<autosave-url/>")
# Statements rendered without text of the expert's own, keyed by everything the template
# reads. A bound rather than an LRU: when full it starts again, which costs one render per row.
_ROW_CACHE: dict[tuple, str] = {}
ROW_CACHE_SIZE = 2000


@dataclass
class RatingRow:
    """One statement as the page shows it."""

    item: object
    # The statement's code (S01, …), as on every page and report.
    number: str = ""
    # The item's pk as text (the page uses it in a dozen ids, and ints would each go through
    # number formatting), its autosave address and its radio buttons, made ready in Python.
    key: str = ""
    autosave_url: str = ""
    scale_html: str = ""
    html: str = ""
    value: str = ""
    comment: str = ""
    reason: str = ""
    errors: list = field(default_factory=list)
    previous: object = None
    distribution: list = field(default_factory=list)
    own_previous: int | None = None
    own_previous_label: str = ""
    premarked: bool = False
    show_feedback: bool = False
    reason_rule: bool = False
    needs_reason: bool = False
    # The expert's own previous answer when the round asks no reason for keeping it ("" else).
    unchanged_value: str = ""
    # When the shown answer was saved (None: not from the database); not in the row's HTML.
    saved_at: object = None


def round_scale(delphi_round: Round) -> list[dict]:
    """The points of the round's scale as the page offers them, "cannot judge" last if asked."""
    labels = delphi_round.study.scale_labels
    scale = [
        {"value": str(point), "label": f"{point} · {label}", "short": str(point)}
        for point, label in enumerate(labels, start=1)
    ]
    if delphi_round.allow_cannot_judge:
        scale.append(
            {"value": str(CANNOT_JUDGE), "label": _("Cannot judge"), "short": _("Cannot judge")}
        )
    return scale


@functools.lru_cache(maxsize=64)
def _point_fragments(scale: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str, str], ...]:
    """(value, unchecked html, checked html) of every point, with a marker for the item.

    A 50-statement page has some 350 radio buttons; rendering each through the template was
    most of the page's cost. The key is the scale as shown (values and labels already in the
    page's language), so a changed label or another language renders afresh, never stale.
    """
    return tuple(
        (
            value,
            *(
                render_to_string(
                    RATING_POINT_TEMPLATE,
                    {"pk": _ITEM_MARKER, "value": value, "label": label, "checked": checked},
                )
                for checked in (False, True)
            ),
        )
        for value, label in scale
    )


def scale_html(scale: list[dict], pk: int, value: str) -> SafeString:
    """An item's radio buttons, the one equal to `value` checked."""
    fragments = _point_fragments(tuple((point["value"], point["label"]) for point in scale))
    html = "".join(checked if point == value else plain for point, plain, checked in fragments)
    # The fragments are template output (escaped) and the marker is replaced by digits only.
    return mark_safe(html.replace(_ITEM_MARKER, str(pk)))  # noqa: S308


def _row_key(row: RatingRow, delphi_round: Round, scale_key: tuple) -> tuple:
    """Everything _rating_item.html reads, so two rows with one key render the same HTML.

    The statement's text is part of it: an edited statement (in a reopened round) is a new
    key, never a stale page. So are the language and the scale's labels.
    """
    previous = row.previous
    return (
        translation.get_language(),
        delphi_round.pk,
        delphi_round.show_median,
        delphi_round.show_iqr,
        delphi_round.show_distribution,
        delphi_round.previous_round.number if delphi_round.previous_round else None,
        scale_key,
        row.item.pk,
        row.item.statement.text,
        row.number,
        row.value,
        None if previous is None else (previous.n, previous.median, previous.iqr),
        None if previous is None else (previous.q1, previous.q3),
        tuple(tuple(bar.values()) for bar in row.distribution),
        row.own_previous,
        row.own_previous_label,
        row.premarked,
        row.show_feedback,
        row.reason_rule,
        row.needs_reason,
        row.unchanged_value,
    )


def _render_row(row: RatingRow, delphi_round: Round) -> str:
    context = {"row": row, "round": delphi_round, "previous_round": delphi_round.previous_round}
    return get_template(RATING_ITEM_TEMPLATE).render(context)


def row_html(row: RatingRow, delphi_round: Round, scale_key: tuple) -> SafeString:
    """The statement's HTML. Rows with the expert's own text (a comment, a reason) or errors
    render afresh; the others, which are most rows of most pages, come from _ROW_CACHE."""
    if row.comment or row.reason or row.errors:
        return mark_safe(_render_row(row, delphi_round))  # noqa: S308 — template output
    url, row.autosave_url = row.autosave_url, _URL_MARKER
    key = _row_key(row, delphi_round, scale_key)
    html = _ROW_CACHE.get(key)
    if html is None:
        if len(_ROW_CACHE) >= ROW_CACHE_SIZE:
            _ROW_CACHE.clear()
        html = _ROW_CACHE[key] = _render_row(row, delphi_round)
    row.autosave_url = url
    # Template output with the marker in place of the escaped address: the same HTML.
    return mark_safe(html.replace(_URL_MARKER, escape(url)))  # noqa: S308


def value_label(delphi_round: Round, value: int | None) -> str:
    if value is None:
        return ""
    if value == CANNOT_JUDGE:
        return _("Cannot judge")
    labels = delphi_round.study.scale_labels
    if 1 <= value <= len(labels):
        return f"{value} · {labels[value - 1]}"
    return str(value)


def _distribution(counts: list[int], own: int | None) -> list[dict]:
    percents = stats.distribution_percents(counts)
    return [
        {"point": point, "count": count, "percent": percent, "own": own == point}
        for point, (count, percent) in enumerate(zip(counts, percents, strict=True), start=1)
    ]


def rating_rows(
    delphi_round: Round, expert: Expert | None, items, *, saved: dict, form=None, refused=None
) -> list[RatingRow]:
    previous_results = previous_results_for_round(delphi_round)
    # No expert: the researcher's preview, which has no own previous answer to show.
    # The reason rule needs the expert's own previous answers even when the page hides them.
    rule_needs_own = (
        delphi_round.require_reason_outside_iqr and not delphi_round.require_reason_when_unchanged
    )
    own_previous = (
        previous_ratings_for_expert(delphi_round, expert)
        if (delphi_round.show_own_previous or rule_needs_own) and expert is not None
        else {}
    )
    form_errors = form.item_errors() if form is not None else {}
    rows = []
    for item in items:
        key = (item.statement_id, DEFAULT_CRITERION)
        row = RatingRow(item=item, previous=previous_results.get(key))
        if form is not None:
            posted = form.posted(item)
            row.value, row.comment, row.reason = (
                posted["value"],
                posted["comment"],
                posted["reason"],
            )
            row.errors = list(form_errors.get(item.pk, []))
            if refused and item.pk in refused:
                row.errors += refused[item.pk].messages
        elif item.pk in saved:
            rating = saved[item.pk]
            row.value, row.comment, row.reason = str(rating.value), rating.comment, rating.reason
            row.saved_at = rating.updated_at
        previous_value = own_previous.get(key)
        if rule_needs_own and previous_value is not None:
            row.unchanged_value = str(previous_value)
        if (
            delphi_round.show_own_previous
            and previous_value is not None
            and (previous_value != CANNOT_JUDGE or delphi_round.allow_cannot_judge)
        ):
            row.own_previous = previous_value
            row.own_previous_label = value_label(delphi_round, previous_value)
            if form is None and item.pk not in saved:
                row.value, row.premarked = str(previous_value), True
        if row.previous is not None and row.previous.n:
            row.distribution = _distribution(row.previous.counts, row.own_previous)
            row.show_feedback = (
                delphi_round.show_median or delphi_round.show_iqr or delphi_round.show_distribution
            )
        previous_range = item.previous_ranges.get(DEFAULT_CRITERION)
        row.reason_rule = bool(
            delphi_round.require_reason_outside_iqr
            and previous_range
            and None not in previous_range
        )
        value = int(row.value) if row.value.isdigit() else None
        row.needs_reason = row.reason_rule and reason_needed(
            delphi_round,
            value,
            previous_range,
            unchanged=value is not None and value == previous_value,
        )
        rows.append(row)
    return rows
