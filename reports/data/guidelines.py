"""The reporting guidelines (ACCORD, CREDES) answered from the study's records."""

import datetime
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from analysis import selectors
from delphi_site.templatetags.thaidate import localdate
from panels.models import Expert, Panel
from rounds.models import Round

from .facts import NOTHING, RATED_KINDS, RoundFacts, rated_rounds, sent_rounds
from .flow import ItemFlowRow
from .method import StudyMethod

SOFTWARE_NAME = "delphi-site"


@lru_cache(maxsize=1)
def software_version() -> str:
    """The version in pyproject.toml ("0.1.0"), or "unknown" when the file is not shipped."""
    try:
        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as file:
            return str(tomllib.load(file)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


@dataclass(frozen=True)
class ChecklistRow:
    """One reporting-guideline item and what this study says about it (or where)."""

    item: str
    guidelines: str
    answer: str


def _date(value: datetime.datetime | None) -> str:
    # The template filter is the one place dates get their era (Buddhist in Thai).
    return localdate(value) if value else NOTHING


def reporting_checklist(
    *,
    facts: list[RoundFacts],
    panel_sizes: list[tuple[Panel, int]],
    method: StudyMethod,
    item_flow: list[ItemFlowRow],
) -> list[ChecklistRow]:
    """The items of ACCORD (2024) and CREDES (2017) that the site knows, answered from the
    study's records in the active language: the rounds' facts, the panels' sizes, the method
    and the item flow (as `final_report` gathers them). Items the site cannot know
    (rationale, funding, the literature review) are left to the researcher's own text."""
    sent = sent_rounds(facts)
    panels = "; ".join(
        ngettext(
            "%(panel)s: %(count)s expert",
            "%(panel)s: %(count)s experts",
            count,
        )
        % {"panel": panel.name, "count": count}
        for panel, count in panel_sizes
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
        for fact in rated_rounds(facts)
        if _feeds_back(fact.delphi_round)
    ) or _("No round showed feedback from a previous round.")
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
        for row in item_flow
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
        ChecklistRow(_("How items were generated"), "ACCORD, CREDES", _items_generated(item_flow)),
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


def _items_generated(item_flow: list[ItemFlowRow]) -> str:
    opened = [row for row in item_flow if row.facts.kind == Round.Kind.OPEN]
    if not opened:
        return _("The statements were written by the researcher; no open round was held.")
    # The statements the study went on with; the merged and set-aside ones are named apart.
    parts = [
        ngettext(
            "Round %(number)s asked open questions; content analysis of the answers gave "
            "%(active)s statement, keeping the answers it came from (besides %(merged)s merged "
            "into others and %(out)s set aside as out of scope).",
            "Round %(number)s asked open questions; content analysis of the answers gave "
            "%(active)s statements, each keeping the answers it came from (besides %(merged)s "
            "merged into others and %(out)s set aside as out of scope).",
            row.added - row.merged - row.out_of_scope,
        )
        % {
            "number": row.facts.number,
            "active": row.added - row.merged - row.out_of_scope,
            "merged": row.merged,
            "out": row.out_of_scope,
        }
        for row in opened
    ]
    return " ".join(parts)
