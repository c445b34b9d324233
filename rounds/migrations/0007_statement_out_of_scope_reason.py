from django.db import migrations, models


def reasons_from_the_log(apps, schema_editor):
    """Statements set aside before the reason was stored get the one the log kept, if any."""
    Statement = apps.get_model("rounds", "Statement")
    AuditEvent = apps.get_model("panels", "AuditEvent")
    aside = Statement.objects.filter(status="out_of_scope")
    for statement in aside.iterator():
        event = (
            AuditEvent.objects.filter(
                study_id=statement.study_id,
                action="coding.statement_out_of_scope",
                detail__statement=statement.pk,
            )
            .order_by("-created_at", "-pk")
            .first()
        )
        reason = ((event.detail or {}).get("reason") or "").strip() if event else ""
        if reason:
            statement.out_of_scope_reason = reason
            statement.save(update_fields=["out_of_scope_reason"])


class Migration(migrations.Migration):
    dependencies = [
        ("panels", "0001_initial"),
        ("rounds", "0006_round_reason_when_unchanged"),
    ]

    operations = [
        migrations.AddField(
            model_name="statement",
            name="out_of_scope_reason",
            field=models.TextField(blank=True, verbose_name="why it is out of scope"),
        ),
        migrations.RunPython(reasons_from_the_log, migrations.RunPython.noop),
    ]
