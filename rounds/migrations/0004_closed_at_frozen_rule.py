"""A round's real closing time, and the rule each frozen result was computed with.

Existing closed rounds get the time of their last "round.close" audit entry, else their
deadline. Existing frozen results get the rule in force when they were frozen: the study's
current rule with every later protocol deviation undone (each deviation keeps the old value).
"""

from django.db import migrations, models

BAND_FIELDS = ("band_cutoff_1", "band_cutoff_2", "band_cutoff_3", "band_cutoff_4")
RULE_FIELDS = (*BAND_FIELDS, "consensus_iqr_threshold", "scale_labels")


def _closing_times(apps, schema_editor):
    Round = apps.get_model("rounds", "Round")
    AuditEvent = apps.get_model("panels", "AuditEvent")
    for delphi_round in Round.objects.filter(status="closed", closed_at__isnull=True):
        closed_at = None
        events = AuditEvent.objects.filter(
            study_id=delphi_round.study_id, action="round.close"
        ).order_by("created_at", "pk")
        for created_at, detail in events.values_list("created_at", "detail"):
            if isinstance(detail, dict) and detail.get("number") == delphi_round.number:
                closed_at = created_at
        delphi_round.closed_at = closed_at or delphi_round.closes_at
        delphi_round.save(update_fields=["closed_at"])


def _rule(values: dict, method: str) -> dict:
    return {
        "statistic": "iqr",
        "threshold": str(values["consensus_iqr_threshold"]),
        "cutoffs": [str(values[name]) for name in BAND_FIELDS],
        "points": len(values["scale_labels"]),
        "method": method,
    }


def _frozen_rules(apps, schema_editor):
    Study = apps.get_model("panels", "Study")
    AuditEvent = apps.get_model("panels", "AuditEvent")
    ItemResult = apps.get_model("rounds", "ItemResult")
    for study in Study.objects.filter(rounds__items__results__isnull=False).distinct():
        current = {name: getattr(study, name) for name in RULE_FIELDS}
        deviations = list(
            AuditEvent.objects.filter(study=study, action="protocol.deviation")
            .order_by("-created_at", "-pk")
            .values_list("created_at", "detail")
        )
        results = ItemResult.objects.filter(item__delphi_round__study=study, rule={})
        for result in results:
            values = dict(current)
            # Undo, newest first, every deviation made after this result was frozen.
            for created_at, detail in deviations:
                if created_at <= result.frozen_at:
                    break
                for change in (detail or {}).get("changes", []):
                    if change.get("field") in values and change.get("old") is not None:
                        values[change["field"]] = change["old"]
            result.rule = _rule(values, result.method)
            result.save(update_fields=["rule"])


class Migration(migrations.Migration):
    dependencies = [
        ("panels", "0002_study_protocol_rules"),
        ("rounds", "0003_round_criteria"),
    ]

    operations = [
        migrations.AddField(
            model_name="itemresult",
            name="rule",
            field=models.JSONField(blank=True, default=dict, verbose_name="rule when frozen"),
        ),
        migrations.AddField(
            model_name="round",
            name="closed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="closed"),
        ),
        migrations.RunPython(_closing_times, migrations.RunPython.noop),
        migrations.RunPython(_frozen_rules, migrations.RunPython.noop),
    ]
