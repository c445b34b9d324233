"""What comes next: the step a researcher takes after each state of a round, and where a study is.

A first-time researcher should never wonder where to click: a closed round 1 leads to the
content analysis, finished coding to building round 2; a closed rating round to its results,
and from there to the next round or to the confirmation round. The round page, the content
analysis, the results page and the study page show these steps as buttons (the first one is
the primary call to action); `rounds.templatetags.next_steps` hands them to the templates, so
`panels` (the study page) needs no import of `rounds`.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from panels.models import Expert, Study
from rounds.models import ItemResult, Round

from .coding.selectors import coding_progress

RATED_KINDS = (Round.Kind.RATING, Round.Kind.CONFIRMATION)


@dataclass
class Step:
    key: str  # stable, for tests and styling
    label: str
    url: str
    write: bool = True  # only for those who may change the study


@dataclass
class NextSteps:
    """What the researcher sees: a sentence on where things stand, then the steps, first one
    primary. `steps` may be empty (nothing left to do for this round)."""

    where: str
    steps: list[Step] = field(default_factory=list)
    delphi_round: Round | None = None

    def for_user(self, can_edit: bool) -> "NextSteps":
        steps = [step for step in self.steps if can_edit or not step.write]
        return NextSteps(self.where, steps, self.delphi_round)

    @property
    def primary(self) -> Step | None:
        return self.steps[0] if self.steps else None

    @property
    def others(self) -> list[Step]:
        return self.steps[1:]


def _url(name: str, delphi_round: Round) -> str:
    return reverse(f"rounds:{name}", args=[delphi_round.study_id, delphi_round.pk])


def _new_round_url(study: Study, **initial) -> str:
    url = reverse("rounds:round_create", args=[study.pk])
    return f"{url}?{urlencode(initial)}" if initial else url


def _later_draft(delphi_round: Round, kinds) -> Round | None:
    return (
        Round.objects.filter(
            study_id=delphi_round.study_id,
            number__gt=delphi_round.number,
            status=Round.Status.DRAFT,
            kind__in=kinds,
        )
        .order_by("number")
        .first()
    )


def _build_next(delphi_round: Round, *, label: str, kind: str) -> Step:
    """Build the draft that follows (its statements), or create it first."""
    draft = _later_draft(delphi_round, [kind])
    if draft is not None:
        return Step(f"build_{kind}", label, _url("build", draft))
    initial = {"kind": kind, "previous_round": delphi_round.pk}
    if kind == Round.Kind.RATING:
        initial["panel"] = delphi_round.panel_id
    return Step(f"build_{kind}", label, _new_round_url(delphi_round.study, **initial))


def _where(delphi_round: Round) -> str:
    return _("%(round)s (%(kind)s): %(status)s") % {
        "round": delphi_round.display_title,
        "kind": delphi_round.get_kind_display(),
        "status": delphi_round.get_status_display(),
    }


def _draft_steps(delphi_round: Round) -> list[Step]:
    if delphi_round.kind == Round.Kind.OPEN:
        if not delphi_round.questions.exists():
            return [
                Step("add_question", _("Add the questions"), _url("question_create", delphi_round))
            ]
    elif not delphi_round.items.exists():
        return [Step("build", _("Choose the statements"), _url("build", delphi_round))]
    return [
        Step("open", _("Open the round"), _url("round_open", delphi_round)),
        Step("preview", _("Preview as an expert"), _url("preview", delphi_round), write=False),
    ]


def _closed_open_round_steps(delphi_round: Round) -> list[Step]:
    progress = coding_progress(delphi_round)
    analyse = Step("coding", _("Analyse the answers"), _url("coding", delphi_round), write=False)
    build = _build_next(
        delphi_round,
        label=_("Build round %(number)s") % {"number": delphi_round.number + 1},
        kind=Round.Kind.RATING,
    )
    if progress.total and progress.coded < progress.total:
        return [analyse, build]
    return [build, analyse]


def _closed_rated_round_steps(delphi_round: Round, *, on_results: bool) -> list[Step]:
    steps = []
    if not on_results:
        results = reverse("analysis:round_results", args=[delphi_round.study_id, delphi_round.pk])
        steps.append(Step("results", _("Results"), results, write=False))
    if delphi_round.kind == Round.Kind.CONFIRMATION:
        return steps
    unsettled = delphi_round.items.filter(
        Exists(ItemResult.objects.filter(item_id=OuterRef("pk"), consensus=False))
    ).exists()
    build = _build_next(delphi_round, label=_("Build the next round"), kind=Round.Kind.RATING)
    confirm = _build_next(delphi_round, label=_("Confirmation round"), kind=Round.Kind.CONFIRMATION)
    # Every statement settled: the next step is usually the confirmation of the model.
    steps += [build, confirm] if unsettled else [confirm, build]
    return steps


def round_next_steps(delphi_round: Round, *, on_results: bool = False) -> NextSteps:
    """The steps that follow the round's present state, the first one primary."""
    if delphi_round.is_draft:
        steps = _draft_steps(delphi_round)
    elif delphi_round.is_open:
        steps = [
            Step("tracking", _("Who has answered"), _url("tracking", delphi_round), write=False),
            Step("close", _("Close the round"), _url("round_close", delphi_round)),
        ]
    elif delphi_round.kind == Round.Kind.OPEN:
        steps = _closed_open_round_steps(delphi_round)
    else:
        steps = _closed_rated_round_steps(delphi_round, on_results=on_results)
    return NextSteps(_where(delphi_round), steps, delphi_round)


def _current_round(study: Study) -> Round | None:
    """The round the study's next step is about.

    A round that is open comes first (experts are answering); then a closed open-question
    round whose answers are not all coded (round 2 is built from them); then the first draft
    after the last closed round; then the last closed round (its results lead on); then the
    first draft.
    """
    rounds = list(study.rounds.order_by("number", "pk"))
    if not rounds:
        return None
    opened = [r for r in rounds if r.status == Round.Status.OPEN]
    if opened:
        return opened[-1]
    closed = [r for r in rounds if r.status == Round.Status.CLOSED]
    for delphi_round in reversed(closed):
        if delphi_round.kind == Round.Kind.OPEN:
            progress = coding_progress(delphi_round)
            if progress.coded < progress.total:
                return delphi_round
            break
    last_closed = closed[-1] if closed else None
    drafts = [
        r for r in rounds if r.is_draft and (last_closed is None or r.number > last_closed.number)
    ]
    if drafts:
        return drafts[0]
    return last_closed or rounds[0]


def study_next_steps(study: Study) -> NextSteps:
    """Where the study is and what comes next, for the study page."""
    if not Expert.objects.filter(panel__study=study).exists():
        panel = study.panels.order_by("pk").first()
        if panel is None:
            return NextSteps(
                _("Setting up: the study has no panel of experts yet."),
                [
                    Step(
                        "panel",
                        _("Create a panel"),
                        reverse("panels:panel_create", args=[study.pk]),
                    )
                ],
            )
        return NextSteps(
            _("Setting up: the panel has no experts yet."),
            [
                Step(
                    "experts",
                    _("Add the experts"),
                    reverse("panels:panel_detail", args=[study.pk, panel.pk]),
                )
            ],
        )
    delphi_round = _current_round(study)
    if delphi_round is None:
        return NextSteps(
            _("Setting up: no round yet."),
            [
                Step(
                    "create_round",
                    _("Create round 1"),
                    _new_round_url(study, kind=Round.Kind.OPEN),
                )
            ],
        )
    return round_next_steps(delphi_round)
