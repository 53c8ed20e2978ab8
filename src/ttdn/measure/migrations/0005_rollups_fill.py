"""Fill the daily roll-ups (0004) from the reports already stored.

Uses the live service on purpose: the roll-ups must be computed exactly as
`ttdn manage rollups_rebuild` computes them, and the tables it writes are the ones 0004
created. On a large database this takes a while (≈ a minute per million reports)."""

from django.db import migrations


def forward(apps, schema_editor):
    from ttdn.measure.services import rollups_rebuild

    rollups_rebuild()


class Migration(migrations.Migration):
    dependencies = [("measure", "0004_rollups"), ("monitor", "0003_websub")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
