"""What a study export covers (transfer.tables): every model that belongs to a study, in an
order the rows can be created in."""

from django.apps import apps

from panels.models import Study
from transfer import tables
from transfer.tables import TABLE_OF_MODEL


def _belongs_to_a_study(model, seen=()) -> bool:
    if model is Study:
        return True
    return any(
        field.many_to_one
        and field.related_model not in seen
        and field.related_model is not model
        and _belongs_to_a_study(field.related_model, (*seen, model))
        for field in model._meta.concrete_fields
    )


def test_every_model_that_belongs_to_a_study_is_exported_or_left_out_with_a_reason():
    owned = {model for model in apps.get_models() if _belongs_to_a_study(model)} - {Study}

    missing = owned - set(TABLE_OF_MODEL) - set(tables.NOT_EXPORTED)

    assert not missing, f"add to transfer/tables.py: {sorted(m.__name__ for m in missing)}"
    assert len(owned) >= 15


def test_tables_come_after_every_table_they_point_to():
    order = [table.model for table in tables.TABLES]
    for position, table in enumerate(tables.TABLES):
        for column in table.columns:
            if column.is_reference:
                assert order.index(column.field.related_model) <= position, (
                    table.name,
                    column.name,
                )
