"""Content analysis of an open round: experts' answers become the statements of the next round.

The paper's researcher did this by hand ("remove duplicates and anything outside the study's
scope, turn what remains into statements"); here every step keeps its trail. A statement
records the answers it came from (StatementSource), a merged statement points at the one that
absorbed it and hands it its sources, and an answer left out carries the researcher's reason.
Nothing is deleted, so any statement of any round can be traced back to who said what.

Rules enforced here (ValidationError with a `code`):
- only submitted, non-empty answers of a *closed* open-question round of the same study are
  coded: answers of an open round may still change;
- a statement that a round already sent to experts (open or closed) keeps its wording and its
  domain, and is never merged, split or set aside: ratings were given to those words. Items of a
  draft round may still change; a statement retired while in a draft round leaves that round;
- an answer is either the source of statements or out of scope (with a reason), not both.
Each action writes one AuditEvent "coding.<verb>".

Where things are: `checks` (the rules and locks, ERRORS), the writes by topic (`statements`,
`merging`, `scope`), `selectors` (the workspace's reads), `exports` (its Excel workbook), and
the researcher's pages (`forms`, `pages`, `views`, `urls`).
"""
