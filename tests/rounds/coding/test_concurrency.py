"""Two researchers saving the same statement at the same moment, on real concurrent connections.

Both opened the edit form at the same version: exactly one save wins, the other is refused as
stale, and the winner's wording is what stays. Needs PostgreSQL row locks.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from panels.models import AuditEvent
from rounds.coding.statements import statement_edit
from rounds.models import Statement
from tests.panels.factories import UserFactory
from tests.rounds.factories import answered_round, statement_from

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks and concurrent connections",
    ),
]

TRIALS = 5


def test_two_saves_from_the_same_version_one_wins_the_other_is_refused(study, alice):
    bob = UserFactory(username="bob")
    answered = answered_round(study, experts=2, questions=1)

    for trial in range(TRIALS):
        statement = statement_from(answered.answers[:1], text=f"เดิม {trial}")
        start = threading.Barrier(2)
        outcomes: dict[str, str] = {}

        def save(actor, text, statement=statement, start=start, outcomes=outcomes):
            try:
                start.wait()
                statement_edit(
                    statement=Statement.objects.get(pk=statement.pk),
                    text=text,
                    domain=None,
                    actor=actor,
                    version=1,
                )
                outcomes[text] = "saved"
            except ValidationError as error:
                outcomes[text] = error.code
            except BaseException as error:
                outcomes[text] = repr(error)
            finally:
                connections.close_all()

        threads = [
            threading.Thread(target=save, args=(actor, f"ของ {actor.username} {trial}"))
            for actor in (alice, bob)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        assert sorted(outcomes.values()) == ["saved", "stale"], outcomes
        (winner,) = [text for text, outcome in outcomes.items() if outcome == "saved"]
        statement.refresh_from_db()
        assert (statement.text, statement.version) == (winner, 2)
        edits = AuditEvent.objects.filter(action="coding.edit", detail__statement=statement.pk)
        assert edits.count() == 1
