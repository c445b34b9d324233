"""The expert's pages: reached through a personal link, with no account, on a phone first.

Every view takes the link's token, and a wrong, altered or revoked token, or a round, item or
question outside the expert's own panel, gets the same friendly "link does not work" page, so
nothing tells whether an expert or a round exists. Answers autosave one statement or one
answer box at a time (HTMX); the same form works without JavaScript ("Save draft", "Submit").
"""

from .access import BAD_TOKEN_LIMIT, BAD_TOKEN_WINDOW, expert_page
from .autosave import autosave_open, autosave_rating, open_box
from .confirmation import autosave_suggestion
from .pages import consent, round_page, start, thanks

__all__ = [
    "BAD_TOKEN_LIMIT",
    "BAD_TOKEN_WINDOW",
    "autosave_open",
    "autosave_rating",
    "autosave_suggestion",
    "consent",
    "expert_page",
    "open_box",
    "round_page",
    "start",
    "thanks",
]
