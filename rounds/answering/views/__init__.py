"""The expert's pages: reached through a personal link, with no account, on a phone first.

Every view takes the link's token, and a wrong, altered or revoked token, or a round, item or
question outside the expert's own panel, gets the same friendly "link does not work" page, so
nothing tells whether an expert or a round exists. Answers autosave one statement or one
answer box at a time (HTMX); the same form works without JavaScript ("Save draft", "Submit").

Modules: `access` (the link and its refusal), `pages` (welcome, consent, closed, thank you),
`questionnaire` (the round's page), `autosave` and `confirmation` (a confirmation round's
page and its suggestions); their URLs are in `rounds.answering.urls`.
"""
