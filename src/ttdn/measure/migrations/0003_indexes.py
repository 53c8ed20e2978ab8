"""Indexes for the dashboard queries (measured with `ttdn bench queries`, see docs).

They live on monitor's tables but are Measure's concern, so they are created here with SQL
(a migration of one app cannot add an index to another app's model state):

- reports: one covering index led by published_at. Every indicator filters on a period and
  aggregates a handful of narrow columns; reading them from the index avoids touching the
  table rows, which carry the article text (kilobytes each). PostgreSQL keeps the extra
  columns as INCLUDE (allowed for jsonb); SQLite as trailing key columns.
- place mentions: (kind, key, report_id) for "reports naming X" (province filter, share of
  voice) and (report_id, kind, key) for "what does this report name".
"""

from django.db import migrations

COLUMNS = (
    "is_relevant, language, tone_label, tone_score, source_id, story_id, duplicate_of_id, "
    "dimensions"
)
SQLITE = [
    f"CREATE INDEX IF NOT EXISTS measure_report_period_idx ON monitor_report (published_at, {COLUMNS})",
]
# PostgreSQL needs the primary key in the index too for an index-only scan (SQLite's rowid is
# in every index): without it, 90 days at 1M reports read 13k heap pages (350 ms → 70 ms)
POSTGRESQL = [
    f"CREATE INDEX IF NOT EXISTS measure_report_period_idx ON monitor_report (published_at) INCLUDE (id, {COLUMNS})",
]
COMMON = [
    "CREATE INDEX IF NOT EXISTS measure_place_kind_key_idx ON monitor_placemention (kind, key, report_id)",
    "CREATE INDEX IF NOT EXISTS measure_place_report_idx ON monitor_placemention (report_id, kind, key)",
]
DROP = [
    "DROP INDEX IF EXISTS measure_report_period_idx",
    "DROP INDEX IF EXISTS measure_place_kind_key_idx",
    "DROP INDEX IF EXISTS measure_place_report_idx",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(vendor)
    if statements is None:
        return
    with schema_editor.connection.cursor() as cursor:
        for sql in statements + COMMON:
            cursor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor not in ("sqlite", "postgresql"):
        return
    with schema_editor.connection.cursor() as cursor:
        for sql in DROP:
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("measure", "0002_fulltext")]

    operations = [migrations.RunPython(forward, backward)]
