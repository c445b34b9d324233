"""Frozen results keep the rule they were computed with (issue 14, item 4).

Frozen with IQR ≤ 1.50, then the threshold is changed to 1.00 (a permitted protocol
deviation): the results page, the PDF report and the workbook state the frozen verdict under
its own rule, and show the current rule's verdict only in the labelled deviation view.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from panels.models import AuditEvent
from panels.protocol import study_update
from reports import pdf
from reports.excel.round_data import round_data
from rounds.models import ItemResult, Round
from tests.reports.helpers import flat, pdf_text
from tests.rounds.factories import closed_rating_round

pytestmark = pytest.mark.django_db

# IQR 1.08 (grouped): consensus under 1.50, none under 1.00.  IQR 0.50: consensus under both.
RATINGS = {"Close to the line": [3, 4, 4, 4, 5, 5], "Clear agreement": [5, 5, 5, 5, 5, 5]}


@pytest.fixture
def deviated(study, alice):
    study.language = "en"
    study.save()
    delphi_round, items = closed_rating_round(study, ratings=RATINGS)
    study.rules_locked_at = timezone.now() - datetime.timedelta(days=1)
    study.save()
    study_update(
        study=study,
        actor=alice,
        reason="The committee asked for a stricter rule.",
        consensus_iqr_threshold=Decimal("1.00"),
    )
    return delphi_round, items


def test_each_frozen_result_keeps_its_rule(deviated):
    _round, items = deviated

    rules = {result.rule["threshold"] for result in ItemResult.objects.filter(item__in=items)}

    assert rules == {"1.50"}
    close_call = ItemResult.objects.get(item=items[0])
    assert close_call.iqr == Decimal("1.08") and close_call.consensus


def test_the_results_page_states_the_frozen_rule_and_labels_the_current_one(alice_client, deviated):
    delphi_round, _items = deviated
    alice_client.cookies.load({"django_language": "en"})

    page = alice_client.get(
        reverse(
            "analysis:round_results",
            kwargs={"study_pk": delphi_round.study_id, "round_pk": delphi_round.pk},
        )
    ).content.decode()

    assert 'data-rule="frozen">(IQR ≤ 1.50)' in page
    assert "Frozen verdict (IQR ≤ 1.50)" in page
    assert "Current rule after the deviation: IQR ≤ 1.00" in page
    # The current rule never appears as if it were the rule of the frozen verdict.
    assert ">IQR ≤ 1.00<" not in page
    assert "Consensus as frozen with these results: interquartile range at most 1.50." in page
    assert "under the current rule, IQR ≤ 1.00, 1 of 2 statements would reach consensus" in page


def test_the_pdf_report_states_the_frozen_rule_and_the_deviation(deviated):
    delphi_round, _items = deviated

    with translation.override("en"):
        text = flat(pdf_text(pdf.round_report_pdf(delphi_round=delphi_round, language="en")))

    assert (
        "2 of 2 statements reached consensus (100 %). "
        "Consensus as frozen with the results: IQR ≤ 1.50." in text
    )
    assert "under the current rule, IQR ≤ 1.00, 1 of 2 statements would reach consensus" in text


def test_the_workbook_states_the_frozen_rule_and_the_current_count(deviated):
    delphi_round, _items = deviated

    with translation.override("en"):
        data = round_data(Round.objects.select_related("study").get(pk=delphi_round.pk))

        assert (data.with_consensus, data.rule.label) == (2, "IQR ≤ 1.50")
        assert (data.rule.changed, data.rule.current_label, data.with_current_rule) == (
            True,
            "IQR ≤ 1.00",
            1,
        )


def _migration():
    """The data migration of this change, whatever number it has after a merge."""
    import importlib
    from pathlib import Path

    import rounds.migrations

    path = next(Path(rounds.migrations.__file__).parent.glob("*_closed_at_frozen_rule.py"))
    return importlib.import_module(f"rounds.migrations.{path.stem}")


def test_the_migration_gives_old_results_the_rule_in_force_when_they_were_frozen(deviated):
    """Rows frozen before rules were kept get the rule of their freeze: the study's current
    rule with the later deviation undone (1.50, not today's 1.00)."""
    from django.apps import apps

    delphi_round, items = deviated
    ItemResult.objects.filter(item__in=items).update(rule={})
    Round.objects.filter(pk=delphi_round.pk).update(closed_at=None)
    closing = AuditEvent.objects.create(
        study=delphi_round.study, action="round.close", detail={"number": delphi_round.number}
    )

    migration = _migration()
    migration._frozen_rules(apps, None)
    migration._closing_times(apps, None)

    rules = {result.rule["threshold"] for result in ItemResult.objects.filter(item__in=items)}
    assert rules == {"1.50"}
    assert Round.objects.get(pk=delphi_round.pk).closed_at == closing.created_at
