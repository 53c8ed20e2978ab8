"""SQLite: put back the story title triggers that monitor 0006 dropped, and re-index titles.

Monitor 0006 added two JSON fields with a callable default to `monitor_story`. SQLite cannot
add such a column in place, so Django rebuilt the table (create, copy, drop, rename), and a
rebuilt table loses its triggers. From then on new and renamed stories were not indexed and
story title search found nothing new. This migration runs after every monitor migration
that exists now; `tests/measure/test_fulltext_triggers.py` fails if a later rebuild of
`monitor_story` or `monitor_report` drops them again, so the next one is caught in CI.

The story index is contentless, so it is emptied with FTS5's 'delete-all' and filled again
from the titles as they are now (stories created or renamed while the triggers were gone).
PostgreSQL is untouched: its stored search vector is a generated column, kept by the table.
"""

from django.db import migrations

FOLD = "replace(replace(coalesce({col}, ''), 'đ', 'd'), 'Đ', 'd')"

FORWARD = [
    "CREATE TRIGGER IF NOT EXISTS measure_story_fts_ai AFTER INSERT ON monitor_story BEGIN "
    f"INSERT INTO measure_story_fts(rowid, title) VALUES (new.id, {FOLD.format(col='new.title')}); END",
    "CREATE TRIGGER IF NOT EXISTS measure_story_fts_ad AFTER DELETE ON monitor_story BEGIN "
    "INSERT INTO measure_story_fts(measure_story_fts, rowid, title) "
    f"VALUES ('delete', old.id, {FOLD.format(col='old.title')}); END",
    "CREATE TRIGGER IF NOT EXISTS measure_story_fts_au AFTER UPDATE OF title ON monitor_story BEGIN "
    "INSERT INTO measure_story_fts(measure_story_fts, rowid, title) "
    f"VALUES ('delete', old.id, {FOLD.format(col='old.title')}); "
    f"INSERT INTO measure_story_fts(rowid, title) VALUES (new.id, {FOLD.format(col='new.title')}); END",
    "INSERT INTO measure_story_fts(measure_story_fts) VALUES ('delete-all')",
    f"INSERT INTO measure_story_fts(rowid, title) SELECT id, {FOLD.format(col='title')} FROM monitor_story",
]


def restore(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        for sql in FORWARD:
            cursor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ("measure", "0010_burst_events"),
        ("monitor", "0008_story_list_indexes"),
    ]

    operations = [migrations.RunPython(restore, migrations.RunPython.noop)]
