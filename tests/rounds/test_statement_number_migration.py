"""The migration that gives statements their codes keeps the numbers existing studies showed:
their order of creation within the study."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.panels.factories import StudyFactory

BEFORE = [("rounds", "0007_statement_out_of_scope_reason")]
AFTER = [("rounds", "0008_statement_number")]


@pytest.mark.django_db(transaction=True)
def test_existing_statements_are_numbered_in_creation_order_per_study():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    Statement = executor.loader.project_state(BEFORE).apps.get_model("rounds", "Statement")
    # The panels tables are the same before and after: today's factory makes the studies.
    first, second = StudyFactory(), StudyFactory()
    for study, text, order in [
        (first, "a1", 5),
        (second, "b1", 1),
        (first, "a2", 1),
        (second, "b2", 0),
        (first, "a3", 3),
    ]:
        Statement.objects.create(study_id=study.pk, text=text, order=order)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("rounds", "Statement")

    numbers = dict(new.objects.values_list("text", "number"))
    assert numbers == {"a1": 1, "a2": 2, "a3": 3, "b1": 1, "b2": 2}
