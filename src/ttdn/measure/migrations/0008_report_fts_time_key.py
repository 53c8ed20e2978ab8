"""SQLite: key the report full-text index by publication time, so "newest first" is cheap.

Before, `measure_report_fts` used the report id as its rowid. A search for a common word
("du lịch Hội An" matches 1 report in 20) then had to collect every matching id (50,000 at
1M reports) and sort them all by date to show the first 25: about 200 ms. FTS5 can read a
match in rowid order and stop early, so the rowid is now the publication time:

    rowid = unixepoch(published_at) * 2**31 + id      (reports without a date: 1901)

The low 31 bits give the report back (`rowid & 2147483647`), the high bits sort by the
second of publication, and one rowid range (`rowid >= start * 2**31`) is a date filter.
See `ttdn/measure/fulltext.py` for the reading side. Report ids must stay below 2**31 on
SQLite; the triggers refuse a larger one rather than index it wrongly.

PostgreSQL is untouched: its GIN index answers from a bitmap, and its planner is told what
a match costs (`ttdn_fold` COST).
"""

from django.db import migrations

FOLD = "replace(replace(coalesce({col}, ''), 'đ', 'd'), 'Đ', 'd')"
#: the report's key; `{row}` is `new`, `old` or empty (the backfill's own row)
#: SQLite's date functions round to the millisecond (23:59:59.9999 becomes the next day),
#: so the second is read from the text itself: Django stores "YYYY-MM-DD HH:MM:SS[.ffffff]"
#: in UTC, and its first 19 characters are exactly the second of publication.
#: The second is clamped to [-2**32, 2**32 - 1] (years 1833 to 2106), so that the key fits
#: in SQLite's 64-bit integer whatever date a report carries (an absurd one only sorts at
#: the edge instead of making the insert fail).
KEY = (
    "(min(max(coalesce(CAST(strftime('%s', substr({row}published_at, 1, 19)) AS INTEGER), "
    "-2147483648), -4294967296), 4294967295) * 2147483648 + {row}id)"
)
GUARD = (
    "SELECT RAISE(ABORT, 'ttdn: report ids above 2147483647 cannot be indexed for search on "
    "SQLite') WHERE new.id > 2147483647;"
)


def _insert(row: str) -> str:
    return (
        "INSERT INTO measure_report_fts(rowid, title, text) VALUES ("
        f"{KEY.format(row=row)}, {FOLD.format(col=row + 'title')}, {FOLD.format(col=row + 'text')});"
    )


def _delete(row: str) -> str:
    return (
        "INSERT INTO measure_report_fts(measure_report_fts, rowid, title, text) VALUES ('delete', "
        f"{KEY.format(row=row)}, {FOLD.format(col=row + 'title')}, {FOLD.format(col=row + 'text')});"
    )


DROP = [
    "DROP TRIGGER IF EXISTS measure_report_fts_ai",
    "DROP TRIGGER IF EXISTS measure_report_fts_ad",
    "DROP TRIGGER IF EXISTS measure_report_fts_au",
    "DROP TABLE IF EXISTS measure_report_fts",
]
CREATE = (
    "CREATE VIRTUAL TABLE measure_report_fts USING fts5("
    "title, text, content='', tokenize='unicode61 remove_diacritics 2')"
)

FORWARD = [
    *DROP,
    CREATE,
    f"CREATE TRIGGER measure_report_fts_ai AFTER INSERT ON monitor_report BEGIN "
    f"{GUARD} {_insert('new.')} END",
    f"CREATE TRIGGER measure_report_fts_ad AFTER DELETE ON monitor_report BEGIN "
    f"{_delete('old.')} END",
    f"CREATE TRIGGER measure_report_fts_au AFTER UPDATE OF title, text, published_at "
    f"ON monitor_report BEGIN {GUARD} {_delete('old.')} {_insert('new.')} END",
    "INSERT INTO measure_report_fts(rowid, title, text) SELECT "
    f"{KEY.format(row='')}, {FOLD.format(col='title')}, {FOLD.format(col='text')} "
    "FROM monitor_report",
    # one b-tree per term instead of the many segments a bulk insert leaves
    "INSERT INTO measure_report_fts(measure_report_fts) VALUES ('optimize')",
]

# the 0002 table and triggers, keyed by id, for going back
BACKWARD = [
    *DROP,
    CREATE,
    "CREATE TRIGGER measure_report_fts_ai AFTER INSERT ON monitor_report BEGIN "
    "INSERT INTO measure_report_fts(rowid, title, text) VALUES (new.id, "
    f"{FOLD.format(col='new.title')}, {FOLD.format(col='new.text')}); END",
    "CREATE TRIGGER measure_report_fts_ad AFTER DELETE ON monitor_report BEGIN "
    "INSERT INTO measure_report_fts(measure_report_fts, rowid, title, text) VALUES ('delete', "
    f"old.id, {FOLD.format(col='old.title')}, {FOLD.format(col='old.text')}); END",
    "CREATE TRIGGER measure_report_fts_au AFTER UPDATE OF title, text ON monitor_report BEGIN "
    "INSERT INTO measure_report_fts(measure_report_fts, rowid, title, text) VALUES ('delete', "
    f"old.id, {FOLD.format(col='old.title')}, {FOLD.format(col='old.text')}); "
    "INSERT INTO measure_report_fts(rowid, title, text) VALUES (new.id, "
    f"{FOLD.format(col='new.title')}, {FOLD.format(col='new.text')}); END",
    "INSERT INTO measure_report_fts(rowid, title, text) SELECT id, "
    f"{FOLD.format(col='title')}, {FOLD.format(col='text')} FROM monitor_report",
]


def _run(statements: list[str]):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        with schema_editor.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("measure", "0007_rollupstate_max_report_id"),
    ]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
