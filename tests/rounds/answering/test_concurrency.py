"""Experts answering while the researcher closes the round, on real concurrent connections.

Every answer the expert is told was saved must be in the results the close froze; every other
one must be refused as late (RoundClosedError). Needs PostgreSQL: SQLite has no row locks and
serialises its writers anyway.
"""

import threading
from collections import Counter, defaultdict

import pytest
from django.db import connection, connections

from rounds.answering.rules import RatingInput, RoundClosedError
from rounds.answering.selectors import round_item_for_expert
from rounds.answering.services import rating_autosave
from rounds.answering.submission import questionnaire_save
from rounds.lifecycle.services import round_close
from rounds.models import ItemResult, Rating, Round, Submission
from tests.panels.factories import PanelFactory
from tests.rounds.factories import answer, consented_expert, rating_round

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks and concurrent connections",
    ),
]

EXPERTS = 8
STATEMENTS = 10
# Saves made by all the experts together before the researcher presses "Close".
SAVES_BEFORE_CLOSE = 120
# Refusals an expert sees before giving up (more than one: later saves must stay refused).
REFUSALS = 3


def _autosave(delphi_round, expert, item, value):
    target = round_item_for_expert(expert=expert, round_pk=delphi_round.pk, item_pk=item.pk)
    rating_autosave(delphi_round=target.delphi_round, expert=expert, item=target, value=value)


def _save_draft(delphi_round, expert, item, value):
    # "Save draft" on the page of an expert who had already submitted: the answer counts.
    fresh = Round.objects.select_related("study").get(pk=delphi_round.pk)
    questionnaire_save(delphi_round=fresh, expert=expert, ratings=[RatingInput(item, value)])


@pytest.mark.parametrize("save", [_autosave, _save_draft], ids=["autosave", "save_draft"])
def test_every_answer_saved_while_the_round_closes_is_in_the_frozen_results(study, alice, save):
    panel = PanelFactory(study=study)
    delphi_round, items = rating_round(study, panel, statements=STATEMENTS)
    experts = [consented_expert(panel, code=f"E{n + 1:02d}")[0] for n in range(EXPERTS)]
    # Everyone has submitted, so each later change counts in the results.
    answer(delphi_round, {expert: [3] * STATEMENTS for expert in experts})

    start = threading.Barrier(EXPERTS + 1)
    enough = threading.Event()
    saved_count = Counter()
    outcomes: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    errors: list[BaseException] = []

    def expert_answers(number, expert):
        try:
            start.wait()
            refused = 0
            for n in range(100_000):
                item = items[(n + number) % STATEMENTS]
                # Each visit to a statement changes its value, so every save changes a count.
                value = 1 + (n // STATEMENTS + number) % 5
                try:
                    save(delphi_round, expert, item, value)
                except RoundClosedError:
                    outcomes[expert.pk].append((item.pk, value, "refused"))
                    refused += 1
                    if refused == REFUSALS:
                        return
                else:
                    outcomes[expert.pk].append((item.pk, value, "saved"))
                    saved_count["all"] += 1
                    if saved_count["all"] >= SAVES_BEFORE_CLOSE:
                        enough.set()
        except BaseException as error:
            errors.append(error)
            enough.set()
        finally:
            connections.close_all()

    def researcher_closes():
        try:
            start.wait()
            enough.wait(timeout=60)
            round_close(delphi_round=Round.objects.get(pk=delphi_round.pk), actor=alice)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=expert_answers, args=(number, expert))
        for number, expert in enumerate(experts)
    ]
    threads.append(threading.Thread(target=researcher_closes))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors, errors
    assert not any(thread.is_alive() for thread in threads)

    # What each expert was last told was saved is what is stored; a refusal changed nothing,
    # and once refused, every later save of theirs was refused too.
    stored = {
        (expert_pk, item_pk): value
        for expert_pk, item_pk, value in Rating.objects.values_list(
            "submission__expert_id", "item_id", "value"
        )
    }
    for expert in experts:
        told = {item.pk: 3 for item in items}
        states = [state for _item, _value, state in outcomes[expert.pk]]
        assert "refused" in states
        assert "saved" not in states[states.index("refused") :], expert.code
        for item_pk, value, state in outcomes[expert.pk]:
            if state == "saved":
                told[item_pk] = value
        assert {pk: stored[(expert.pk, pk)] for pk in told} == told, expert.code

    # The frozen counts are exactly the stored answers: none stored outside the results.
    assert Submission.objects.exclude(status=Submission.Status.SUBMITTED).count() == 0
    counted = defaultdict(lambda: [0] * 5)
    for (_expert_pk, item_pk), value in stored.items():
        counted[item_pk][value - 1] += 1
    frozen = dict(ItemResult.objects.values_list("item_id", "counts"))
    differing = [pk for pk in frozen if frozen[pk] != counted[pk]]
    assert differing == [], f"{len(differing)} of {STATEMENTS} statements froze other counts"
