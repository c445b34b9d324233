"""The models of the rounds app, one module per part of a study; Django finds them here.

`rounds` (Round and what its items are rated on), `content` (domains, questions,
statements, round items), `participation` (invitations, submissions, open answers, ratings,
suggestions, statement sources) and `results` (ItemResult, frozen when a round closes).
"""

from .content import (
    Domain,
    OpenQuestion,
    RoundItem,
    Statement,
    next_statement_numbers,
    statement_code,
)
from .participation import (
    CANNOT_JUDGE,
    Channel,
    DomainSuggestion,
    Invitation,
    OpenAnswer,
    Rating,
    StatementSource,
    Submission,
)
from .results import ItemResult
from .rounds import (
    CONFIRMATION_CRITERIA,
    DEFAULT_CRITERION,
    ConfirmationStatistic,
    Round,
    default_confirmation_criteria,
)

__all__ = [
    "CANNOT_JUDGE",
    "CONFIRMATION_CRITERIA",
    "DEFAULT_CRITERION",
    "Channel",
    "ConfirmationStatistic",
    "Domain",
    "DomainSuggestion",
    "Invitation",
    "ItemResult",
    "OpenAnswer",
    "OpenQuestion",
    "Rating",
    "Round",
    "RoundItem",
    "Statement",
    "StatementSource",
    "Submission",
    "default_confirmation_criteria",
    "next_statement_numbers",
    "statement_code",
]
