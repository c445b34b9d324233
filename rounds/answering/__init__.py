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
or a retried request lands on the same row, never a second one. Every write of an answer
first holds the round (`store.round_hold`, a shared row lock) and checks its status and
deadline again under it, so closing the round waits for the answers in flight and freezes
them, and an answer after the close is refused: an acknowledged answer is never stored
outside the frozen results. An autosave stays within five queries (link, target, hold,
submission, answer).

The package: `rules` (the checks), `selectors` (reads), `services` (the writes every way of
answering goes through, and the expert's autosaves), `submission` (a whole questionnaire saved
and submitted as the expert's page posts it), `suggestions` (a confirmation round's
suggestions per domain), `store` (the statements those writes are built from), `pages` and
`questionnaire` (what the expert's pages show, also used by the researcher's preview), `forms`,
`views` and `urls` (the expert's pages under /e/). Proxy entry is `rounds.proxy`.
"""
