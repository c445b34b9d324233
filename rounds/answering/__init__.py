"""Answering a round: the rules every way of answering goes through.

The expert's own pages, the researcher's proxy entry (answers received on paper, by phone, …)
and the demo data all write through these functions, so the deadline, one submission per
expert and round, one rating per item and criterion, the reason rule and the audit trail hold
whoever keys an answer in.

Who answers is told by `actor`:

- `actor=None`: the expert through their personal link. Their deadline applies (the
  invitation's personal deadline, else the round's), a submitted rating questionnaire must be
  complete, and when the round asks for it a rating outside the previous round's [Q1, Q3]
  needs a reason.
- `actor=<researcher>`: proxy entry. Allowed while the round is open, even after the expert's
  deadline. The researcher records what the expert answered, so a statement the expert left
  blank or a reason they did not give is recorded as missing rather than refused. Every
  change is audited ("answer.proxy", old → new).

Writes made by the expert are upserts (INSERT … ON CONFLICT … DO UPDATE, which Django's
`bulk_create(update_conflicts=True)` issues as one statement): a double click, a second tab
or a retried request lands on the same row, never a second one, and needs no lock. That is
also what keeps an autosave within four queries (link, target, submission, answer).
"""

from .reads import (
    invitations_mark_opened,
    question_for_expert,
    remember_previous_ranges,
    round_item_for_expert,
    round_items_with_previous_range,
    rounds_for_expert,
)
from .rules import (
    ERRORS,
    MAX_OPEN_ANSWERS,
    MAX_TEXT_LENGTH,
    RatingInput,
    RoundClosedError,
    answering_deadline,
    outside_previous_range,
    remember_expert_deadline,
    round_accepts_answers,
)
from .services import (
    QuestionnaireSaved,
    answer_late_record,
    open_answer_autosave,
    open_answers_save,
    questionnaire_save,
    rating_autosave,
    rating_save,
    submission_start,
    submission_submit,
)

__all__ = [
    "ERRORS",
    "MAX_OPEN_ANSWERS",
    "MAX_TEXT_LENGTH",
    "QuestionnaireSaved",
    "RatingInput",
    "RoundClosedError",
    "answer_late_record",
    "answering_deadline",
    "invitations_mark_opened",
    "open_answer_autosave",
    "open_answers_save",
    "outside_previous_range",
    "question_for_expert",
    "questionnaire_save",
    "rating_autosave",
    "rating_save",
    "remember_expert_deadline",
    "remember_previous_ranges",
    "round_accepts_answers",
    "round_item_for_expert",
    "round_items_with_previous_range",
    "rounds_for_expert",
    "submission_start",
    "submission_submit",
]
