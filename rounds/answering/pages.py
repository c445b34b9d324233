"""What each expert page shows: the contexts of the questionnaires (the researcher's preview
renders the same ones, with no expert), the thank-you summary and what a late post carried.

The rating questionnaire's statements themselves are rendered in `questionnaire`.
"""

import itertools
import json

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from delphi_site.templatetags.thaidate import localdatetime
from panels.models import Expert
from rounds.models import Round, Submission, statement_code

from .forms import OpenQuestionnaireForm
from .questionnaire import RatingRow, round_scale, row_html, scale_html, value_label
from .rules import MAX_OPEN_ANSWERS, answering_deadline
from .selectors import (
    round_items_with_statements,
    round_questions_by_pk,
    submission_for_expert,
    submitted_criterion_ratings,
    submitted_open_answers,
    submitted_ratings,
    submitted_suggestions,
)

# Answer boxes shown for an open question before the expert asks for more.
OPEN_ANSWER_BOXES = 3


def _study_title(study) -> str:
    if study.title_en and translation.get_language() == "en":
        return study.title_en
    return study.title


def base_context(expert: Expert | None, token: str, delphi_round: Round | None = None) -> dict:
    """What every expert page needs. `expert` None is the researcher's preview of a round: the
    study comes from the round, and the deadline is the round's own."""
    study = expert.panel.study if expert is not None else delphi_round.study
    context = {"expert": expert, "token": token, "study": study, "study_title": _study_title(study)}
    if delphi_round is not None:
        context["round"] = delphi_round
        context["deadline"] = (
            answering_deadline(delphi_round=delphi_round, expert=expert)
            if expert is not None
            else delphi_round.closes_at
        )
    return context


def group_by_domain(rows, domain_of):
    """[(domain or None, rows)] in the domains' order, keeping the rows' order inside each;
    rows without a domain come last."""

    def key(row):
        domain = domain_of(row)
        return (domain is None, domain.order if domain else 0, domain.pk if domain else 0)

    return [
        (domain_of(group[0]), group)
        for group in (
            list(members) for _key, members in itertools.groupby(sorted(rows, key=key), key)
        )
    ]


def saved_times_json(times: dict) -> str:
    """When each field was last saved, as the page's script reads it (field name → ms since
    the epoch): a draft kept in the browser is put back only when it is newer."""
    return json.dumps({name: int(time.timestamp() * 1000) for name, time in times.items()})


def saved_message(delphi_round: Round, expert: Expert) -> str:
    deadline = answering_deadline(delphi_round=delphi_round, expert=expert)
    if deadline is None:
        return _("Your answers are saved. You can come back and continue with the same link.")
    return _(
        "Your answers are saved. You can come back with the same link and continue until "
        "%(deadline)s."
    ) % {"deadline": localdatetime(deadline)}


# --------------------------------------------------------------------------- rating


def _error_links(rows: list[RatingRow], *, with_missing: bool) -> list[dict]:
    """The statements a refused submit names at the top of the page, in the page's order:
    those with a message beside them and, after a submit, those not rated yet."""
    links = []
    for row in rows:
        if row.errors:
            problem = " ".join(str(message) for message in row.errors)
        elif with_missing and not row.value:
            problem = _("Not rated yet.")
        else:
            continue
        links.append({"key": row.key, "number": row.number, "row": row, "problem": problem})
    return links


def rating_context(
    expert, token, delphi_round, rows: list[RatingRow], *, submission, submit_error=None
) -> dict:
    """The rating questionnaire's context; the researcher's preview renders the same one."""
    answered = sum(1 for row in rows if row.value)
    progress_pattern = _("%(answered)s of %(total)s answered")
    sections = group_by_domain(rows, lambda row: row.item.statement.domain)
    # Each statement is labelled with its code (S01, …), the same on every page and report.
    for row in rows:
        row.number = row.item.statement.code
    scale = round_scale(delphi_round)
    scale_key = tuple((point["value"], point["label"]) for point in scale)
    for row in rows:
        row.key = str(row.item.pk)
        row.autosave_url = reverse(
            "expert:autosave_rating",
            kwargs={"token": token, "round_pk": delphi_round.pk, "item_pk": row.item.pk},
        )
        row.scale_html = scale_html(scale, row.item.pk, row.value)
        row.html = row_html(row, delphi_round, scale_key)
    ordered = [row for _domain, group in sections for row in group]
    context = base_context(expert, token, delphi_round) | {
        "sections": sections,
        "error_links": _error_links(ordered, with_missing=submit_error is not None),
        "saved_times": saved_times_json(
            {
                f"{prefix}_{row.key}": row.saved_at
                for row in rows
                if row.saved_at is not None
                for prefix in ("rating", "comment", "reason")
            }
        ),
        "scale": scale,
        "submission": submission,
        "submit_error": submit_error,
        "has_errors": submit_error is not None or any(row.errors for row in rows),
        "answered": answered,
        "total": len(rows),
        "progress_pattern": progress_pattern,
        "progress_text": progress_pattern % {"answered": answered, "total": len(rows)},
        "previous_round": delphi_round.previous_round,
    }
    return context


# --------------------------------------------------------------------------- open


def open_boxes(
    questions, texts: dict[int, dict[int, str]], add_to: int | None, shown: int | None = None
) -> list[dict]:
    """Each question's boxes. `add_to` is the question whose "add another answer" was pressed
    without JavaScript, when the page showed `shown` boxes for it: one box more than that."""
    entries = []
    for question in questions:
        stored = texts.get(question.pk, {})
        count = max(OPEN_ANSWER_BOXES, max(stored, default=0) + 1)
        if add_to == question.pk:
            if shown:
                count = max(shown, OPEN_ANSWER_BOXES, max(stored, default=0))
            count += 1
        count = min(count, MAX_OPEN_ANSWERS)
        entries.append(
            {
                "question": question,
                "boxes": [(position, stored.get(position, "")) for position in range(1, count + 1)],
                "next_position": count + 1,
                "can_add": count < MAX_OPEN_ANSWERS,
                "errors": [],
            }
        )
    return entries


def open_context(
    expert, token, delphi_round, entries, *, submission, submit_error=None, saved_times=None
) -> dict:
    """The open questionnaire's context; the researcher's preview renders the same one.
    `saved_times`: when each box was last saved (`selectors.saved_open_boxes`)."""
    return base_context(expert, token, delphi_round) | {
        "saved_times": saved_times_json(saved_times or {}),
        "sections": group_by_domain(entries, lambda entry: entry["question"].domain),
        "submission": submission,
        "submit_error": submit_error,
        "has_errors": submit_error is not None or any(entry["errors"] for entry in entries),
        "max_answers": MAX_OPEN_ANSWERS,
    }


# --------------------------------------------------------------------------- confirmation


def _confirmation_rows(delphi_round: Round, items, values: dict) -> list[dict]:
    criteria = delphi_round.rating_criteria
    return [
        {
            "item": item,
            "cells": [
                {"criterion": criterion, "value": values.get((item.pk, criterion["code"]), "")}
                for criterion in criteria
            ],
        }
        for item in items
    ]


def confirmation_context(expert, token, delphi_round, items, values, suggestions, *, submit_error):
    """The page's context; `expert=None` gives the researcher's preview of an empty page."""
    rows = _confirmation_rows(delphi_round, items, values)
    sections = group_by_domain(rows, lambda row: row["item"].statement.domain)
    for _domain, group in sections:
        for row in group:
            row["number"] = row["item"].statement.code
    total = len(items) * len(delphi_round.rating_criteria)
    answered = sum(1 for row in rows for cell in row["cells"] if cell["value"])
    progress_pattern = _("%(answered)s of %(total)s answered")
    submission = (
        submission_for_expert(delphi_round=delphi_round, expert=expert)
        if expert is not None
        else None
    )
    return base_context(expert, token, delphi_round) | {
        "sections": [
            (domain, group, suggestions.get(domain.pk, "") if domain else "")
            for domain, group in sections
        ],
        "criteria": delphi_round.rating_criteria,
        "scale": round_scale(delphi_round),
        "submission": submission,
        "submit_error": submit_error,
        "has_errors": submit_error is not None,
        "answered": answered,
        "total": total,
        "progress_pattern": progress_pattern,
        "progress_text": progress_pattern % {"answered": answered, "total": total},
    }


# --------------------------------------------------------------------------- closed, thanks


def late_content(data, delphi_round: Round) -> tuple[dict, list[dict]]:
    """What a POST after the close carried: for the audit log, and to show it back."""
    if delphi_round.kind == Round.Kind.OPEN:
        questions = round_questions_by_pk(delphi_round)
        form = OpenQuestionnaireForm(data, questions=list(questions.values()))
        answers, shown = [], []
        for question_pk, boxes in sorted(form.posted().items()):
            texts = [boxes[p].strip() for p in sorted(boxes) if boxes[p].strip()]
            if question_pk in questions and texts:
                answers.append({"question": question_pk, "texts": texts})
                shown.append({"title": questions[question_pk].text, "texts": texts})
        return {"answers": answers}, shown
    ratings, shown = [], []
    for item in round_items_with_statements(delphi_round):
        value = data.get(f"rating_{item.pk}", "").strip()
        comment = data.get(f"comment_{item.pk}", "").strip()
        reason = data.get(f"reason_{item.pk}", "").strip()
        if value or comment or reason:
            ratings.append({"item": item.pk, "value": value, "comment": comment, "reason": reason})
            label = value_label(delphi_round, int(value)) if value.isdigit() else value
            shown.append(
                {"title": item.statement.text, "texts": [t for t in (label, comment, reason) if t]}
            )
    return {"ratings": ratings}, shown


def _confirmation_summary(delphi_round: Round, submission: Submission) -> list[dict]:
    """Each component with its rating on every criterion, then each domain's suggestion;
    two queries whatever the numbers of items and criteria."""
    criteria = delphi_round.rating_criteria
    ratings = submitted_criterion_ratings(submission, [c["code"] for c in criteria])
    by_item: dict[int, tuple] = {}
    for rating in ratings:
        by_item.setdefault(rating.item_id, (rating.item, {}))[1][rating.criterion] = rating.value
    summary = [
        {
            "code": item.statement.code,
            "title": item.statement.text,
            "notes": [
                (criterion["label"], value_label(delphi_round, values[criterion["code"]]))
                for criterion in criteria
                if criterion["code"] in values
            ],
        }
        for item, values in by_item.values()
    ]
    summary += [
        {
            "title": _("Your suggestions on “%(domain)s”") % {"domain": suggestion.domain.title},
            "texts": [suggestion.text],
        }
        for suggestion in submitted_suggestions(submission)
    ]
    return summary


def thanks_summary(delphi_round: Round, submission: Submission) -> list[dict]:
    """What the expert submitted, as the thank-you page lists it."""
    if delphi_round.kind == Round.Kind.OPEN:
        by_question = {}
        for answer in submitted_open_answers(submission):
            by_question.setdefault(answer.question, []).append(answer.text)
        return [
            {"title": question.text, "texts": texts}
            for question, texts in sorted(
                by_question.items(), key=lambda pair: (pair[0].order, pair[0].pk)
            )
        ]
    if delphi_round.kind == Round.Kind.CONFIRMATION:
        return _confirmation_summary(delphi_round, submission)
    comment_label, reason_label = _("Comment"), _("Reason")
    return [
        {
            "code": statement_code(number),
            "title": title,
            "value": value_label(delphi_round, value),
            "notes": [
                (label, text)
                for label, text in ((comment_label, comment), (reason_label, reason))
                if text
            ],
        }
        for title, value, comment, reason, number in submitted_ratings(submission)
    ]
