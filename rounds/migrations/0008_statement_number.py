"""Each statement gets a number fixed for the study's life (shown as S01, S02, …).

Existing statements keep the numbers the coding workspace already showed them with: their
order of creation within the study (by primary key).
"""

from django.db import migrations, models


def number_existing(apps, schema_editor):
    Statement = apps.get_model("rounds", "Statement")
    counters: dict[int, int] = {}
    changed = []
    for statement in Statement.objects.order_by("study_id", "pk").only("pk", "study_id"):
        counters[statement.study_id] = counters.get(statement.study_id, 0) + 1
        statement.number = counters[statement.study_id]
        changed.append(statement)
    Statement.objects.bulk_update(changed, ["number"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("rounds", "0007_statement_out_of_scope_reason"),
    ]

    operations = [
        migrations.AddField(
            model_name="statement",
            name="number",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True, verbose_name="number"),
        ),
        migrations.RunPython(number_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="statement",
            name="number",
            field=models.PositiveIntegerField(blank=True, editable=False, verbose_name="number"),
        ),
        migrations.AddConstraint(
            model_name="statement",
            constraint=models.UniqueConstraint(
                fields=("study", "number"), name="unique_statement_number_per_study"
            ),
        ),
    ]
