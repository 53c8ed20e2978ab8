"""Formerly filled the daily roll-ups; the fill now runs in 0007, after the column the live
`rollups_rebuild` writes. Kept (empty) so databases that applied it keep a consistent
history; 0007 rebuilds them anyway."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("measure", "0004_rollups"), ("monitor", "0003_websub")]

    operations = []
