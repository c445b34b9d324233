"""Building the next round: which statements a draft rating round asks about, and what feedback
from the previous round its experts see.

Round 2 is usually built from the study's active statements (the content analysis of round 1);
round 3 and later from a closed rating round, all of its statements or only those that did not
reach consensus in its frozen results. The researcher may add statements of their own or ones
suggested in the experts' comments, remove and reorder them, and choose the feedback. A
confirmation round is built from the final model of a rating round, and rates it on criteria
the researcher chooses.

Where things are: `rules` (the draft-only lock, ERRORS, the order experts see), `services`
(filling a round), `items` (editing its list and its feedback), `criteria` (a confirmation
round's criteria), `selectors` (the reads), and the researcher's pages (`forms`, `views`,
`urls`).
"""
