"""Two statements created at the same moment in one study never get the same code: creating
a statement locks the study row while it takes the next number."""

import threading

import pytest
from django.db import connection, connections, transaction

from rounds.models import Statement
from tests.panels.factories import StudyFactory


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row locks and real concurrency"
)
@pytest.mark.django_db(transaction=True)
def test_statements_created_at_once_get_different_codes():
    study = StudyFactory()
    ready = threading.Barrier(4)
    errors = []

    def create(n: int) -> None:
        try:
            ready.wait(timeout=10)
            with transaction.atomic():
                Statement.objects.create(study_id=study.pk, text=f"ข้อ {n}")
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    numbers = sorted(Statement.objects.filter(study=study).values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4]
