"""Proxy entry's reads: the round's experts with their submissions, what one expert's entry
form shows, and the proxy audit trail in words."""

from dataclasses import dataclass, field

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from panels.models import AuditEvent, Expert, Study
from rounds.answering.selectors import round_domains, submission_for_expert
from rounds.answering.store import PROXY_ACTION
from rounds.models import (
    DEFAULT_CRITERION,
    Channel,
    Domain,
    OpenAnswer,
    OpenQuestion,
    Round,
    RoundItem,
    Submission,
)
from rounds.results import previous_ratings_for_expert, previous_results_for_round

# Shown where there was nothing before (or nothing after) a change.
NOTHING = "\N{EN DASH}"


def proxy_rows(delphi_round: Round) -> list[tuple[Expert, Submission | None]]:
    """Each expert of the round's panel, by code, with their submission if they have one."""
    submissions = {
        submission.expert_id: submission
        for submission in delphi_round.submissions.select_related("entered_by")
    }
    experts = delphi_round.panel.experts.order_by("code")
    return [(expert, submissions.get(expert.pk)) for expert in experts]


def panel_expert(*, delphi_round: Round, expert_pk: int) -> Expert:
    """An expert of the round's panel (404 otherwise)."""
    return get_object_or_404(Expert, panel_id=delphi_round.panel_id, pk=expert_pk)


def answers_by_question(answers: list[OpenAnswer]) -> dict[int, list[str]]:
    """Stored answers as {question id: [text, …]} in position order, for the form's initial."""
    grouped: dict[int, list[str]] = {}
    for answer in sorted(answers, key=lambda a: (a.question_id, a.position)):
        grouped.setdefault(answer.question_id, []).append(answer.text)
    return grouped


@dataclass
class ProxyEntry:
    """What one expert's entry form is built from: the questionnaire and what is stored."""

    submission: Submission | None
    questions: list[OpenQuestion] = field(default_factory=list)
    items: list[RoundItem] = field(default_factory=list)
    domains: list[Domain] = field(default_factory=list)
    answers: dict = field(default_factory=dict)
    ratings: dict = field(default_factory=dict)
    suggestions: dict[int, str] = field(default_factory=dict)


def _questionnaire(delphi_round: Round):
    if delphi_round.kind == Round.Kind.OPEN:
        return list(delphi_round.questions.select_related("domain")), []
    items = delphi_round.items.select_related("statement__domain").order_by(
        "statement__domain__order", "order", "pk"
    )
    return [], list(items)


def proxy_entry_data(*, delphi_round: Round, expert: Expert) -> ProxyEntry:
    """The round's questionnaire and the expert's stored answers, keyed as the form wants
    them: open answers by question, ratings by item (by item and criterion in a
    confirmation round), suggestions by domain."""
    submission = submission_for_expert(delphi_round=delphi_round, expert=expert)
    questions, items = _questionnaire(delphi_round)
    entry = ProxyEntry(submission=submission, questions=questions, items=items)
    confirmation = delphi_round.kind == Round.Kind.CONFIRMATION
    if confirmation:
        entry.domains = round_domains(delphi_round)
    if submission is not None and questions:
        entry.answers = answers_by_question(list(submission.answers.all()))
    elif submission is not None and confirmation:
        entry.ratings = {(r.item_id, r.criterion): r for r in submission.ratings.all()}
        entry.suggestions = dict(submission.suggestions.values_list("domain_id", "text"))
    elif submission is not None:
        entry.ratings = {rating.item_id: rating for rating in submission.ratings.all()}
    if items and not confirmation:
        _remember_previous_answers(delphi_round, expert, items)
    return entry


def _remember_previous_answers(delphi_round: Round, expert: Expert, items: list[RoundItem]):
    """Put on each item what the expert's paper sheet of a later round shows beside it: the
    group's frozen result of the previous round (`previous_result`) and the expert's own
    answer there (`own_previous`, 0 for "cannot judge"); two queries, none for round 2."""
    results = previous_results_for_round(delphi_round)
    own = previous_ratings_for_expert(delphi_round, expert) if results else {}
    for item in items:
        item.previous_result = results.get((item.statement_id, DEFAULT_CRITERION))
        item.own_previous = own.get((item.statement_id, DEFAULT_CRITERION))


# --------------------------------------------------------------------------- the audit trail


@dataclass
class LogRow:
    event: AuditEvent
    expert: str
    subject: str
    old: str
    new: str


def _rating_text(value: dict | None, scale_labels: list[str]) -> str:
    if not value:
        return NOTHING
    points = value.get("value")
    if points == 0:
        text = _("Cannot judge")
    elif isinstance(points, int) and 1 <= points <= len(scale_labels):
        text = f"{points} · {scale_labels[points - 1]}"
    else:
        text = str(points)
    for key, label in (("comment", _("comment")), ("reason", _("reason"))):
        if value.get(key):
            text += f" · {label}: {value[key]}"
    return text


def _log_rows(events, delphi_round: Round) -> list[LogRow]:
    """What each proxy event changed, in words: the service stores pks and raw values."""
    questions = {q.pk: q.text for q in delphi_round.questions.all()}
    items = {i.pk: i.statement.text for i in delphi_round.items.select_related("statement")}
    labels = delphi_round.study.scale_labels
    channels = dict(Channel.choices)
    criteria = {}
    domains = {}
    if delphi_round.kind == Round.Kind.CONFIRMATION:
        criteria = {c["code"]: c["label"] for c in delphi_round.rating_criteria}
        domains = dict(
            Domain.objects.filter(study_id=delphi_round.study_id).values_list("pk", "title")
        )
    rows = []
    for event in events:
        detail = event.detail
        old = new = ""
        if detail.get("change") == "start":
            subject = _("Began entering answers")
            new = str(channels.get(detail.get("channel"), detail.get("channel", "")))
        elif detail.get("change") == "channel":
            subject = _("Channel")
            old = str(channels.get(detail.get("old"), detail.get("old")))
            new = str(channels.get(detail.get("new"), detail.get("new")))
        elif detail.get("change") == "submit":
            subject = _("Marked as submitted")
        elif "question" in detail:
            subject = questions.get(detail["question"], _("A question that was removed"))
            old = "\n".join(detail.get("old") or []) or NOTHING
            new = "\n".join(detail.get("new") or []) or NOTHING
        elif "item" in detail:
            subject = items.get(detail["item"], _("A statement that was removed"))
            if detail.get("criterion") in criteria:
                subject = f"{subject} · {criteria[detail['criterion']]}"
            old = _rating_text(detail.get("old"), labels)
            new = _rating_text(detail.get("new"), labels)
        elif "domain" in detail:
            subject = _("Suggestions on “%(domain)s”") % {
                "domain": domains.get(detail["domain"], detail["domain"])
            }
            old = detail.get("old") or NOTHING
            new = detail.get("new") or NOTHING
        else:
            subject = ", ".join(f"{key}: {value}" for key, value in detail.items())
        rows.append(LogRow(event, detail.get("expert", ""), subject, old, new))
    return rows


def proxy_log_rows(*, study: Study, delphi_round: Round) -> list[LogRow]:
    """The round's proxy audit trail, each change in words."""
    events = AuditEvent.objects.filter(
        study=study, action=PROXY_ACTION, detail__round=delphi_round.number
    ).select_related("actor")
    return _log_rows(events, delphi_round)
