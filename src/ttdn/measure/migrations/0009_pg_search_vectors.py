"""PostgreSQL: store each report's and story's search vector instead of indexing an expression.

0002 indexed `to_tsvector('simple', ttdn_fold(title || text))` as an expression and told the
planner that folding is dear (`ttdn_fold` COST 1000), so that it would not walk reports by
date re-folding each one. But the same cost is charged for every row a GIN bitmap returns,
so for a common word the planner then preferred sorting all reports by date and re-folding
the newest ones one by one: 450 ms for the first 25 of 50,000 matches at 1M reports.

A stored generated column (`search_vector`) is folded once, when the row is written; a
match is then a cheap `@@` on the stored vector whichever plan is chosen, and the planner's
choice between "bitmap of all matches, then sort" (rare words) and "newest first, test each"
(common words) is made on honest costs. The column is invisible to Django's models (it is
not a model field; the database fills it). SQLite is untouched (its FTS5 tables, 0002/0008).

Search lists undated reports last on both databases; PostgreSQL puts NULL first in a
descending order unless told, and a plain index on `published_at` cannot serve
`DESC NULLS LAST`, so the "newest first, test each" plan gets an index of that order.
"""

from django.db import migrations

REPORT_DOCUMENT = "ttdn_fold(coalesce(title, '') || ' ' || coalesce(text, ''))"
STORY_DOCUMENT = "ttdn_fold(coalesce(title, ''))"

FORWARD = [
    "ALTER TABLE monitor_report ADD COLUMN IF NOT EXISTS search_vector tsvector "
    f"GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, {REPORT_DOCUMENT})) STORED",
    "CREATE INDEX IF NOT EXISTS measure_report_search_gin ON monitor_report "
    "USING gin (search_vector)",
    "DROP INDEX IF EXISTS measure_report_fts_gin",
    "ALTER TABLE monitor_story ADD COLUMN IF NOT EXISTS search_vector tsvector "
    f"GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, {STORY_DOCUMENT})) STORED",
    "CREATE INDEX IF NOT EXISTS measure_story_search_gin ON monitor_story "
    "USING gin (search_vector)",
    "DROP INDEX IF EXISTS measure_story_fts_gin",
    "CREATE INDEX IF NOT EXISTS measure_report_newest_idx ON monitor_report "
    "(published_at DESC NULLS LAST, id DESC)",
    "ANALYZE monitor_report",
    "ANALYZE monitor_story",
]

BACKWARD = [
    "CREATE INDEX IF NOT EXISTS measure_report_fts_gin ON monitor_report USING gin "
    f"((to_tsvector('simple'::regconfig, {REPORT_DOCUMENT})))",
    "CREATE INDEX IF NOT EXISTS measure_story_fts_gin ON monitor_story USING gin "
    f"((to_tsvector('simple'::regconfig, {STORY_DOCUMENT})))",
    "DROP INDEX IF EXISTS measure_report_newest_idx",
    "DROP INDEX IF EXISTS measure_report_search_gin",
    "DROP INDEX IF EXISTS measure_story_search_gin",
    "ALTER TABLE monitor_report DROP COLUMN IF EXISTS search_vector",
    "ALTER TABLE monitor_story DROP COLUMN IF EXISTS search_vector",
]


def _run(statements: list[str]):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("measure", "0008_report_fts_time_key"),
    ]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
