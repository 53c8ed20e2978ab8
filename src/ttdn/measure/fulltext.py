"""Full-text search that works the same on SQLite (FTS5) and PostgreSQL (tsvector).

Both sides fold text the same way before indexing and before matching: lower case, every
diacritic removed and "đ" → "d", so "Da Lat", "Đà Lạt" and "ĐÀ LẠT" find each other.

- SQLite: contentless FTS5 tables `measure_report_fts` (title, text) and `measure_story_fts`
  (title) with the `unicode61 remove_diacritics 2` tokenizer, filled by triggers on
  monitor_report / monitor_story (migration 0002). unicode61 does not fold "đ" (it is a
  letter of its own, not d + a mark), so the triggers replace it before indexing. The
  report index's rowid is the publication time (second × 2**31 + report id, migration
  0008), so the newest matches can be read first and the reading stopped early: what the
  search page needs, since a common word matches one report in twenty.
- PostgreSQL: stored generated `search_vector` columns on monitor_report / monitor_story,
  `to_tsvector('simple', ttdn_fold(...))`, with GIN indexes (migration 0009), where
  `ttdn_fold` is an IMMUTABLE function using the `unaccent` extension when it can be
  installed, and otherwise `translate()` over the Vietnamese alphabet (migration 0002).

User input never reaches either query language as syntax: it is split into word tokens
(letters and digits only), each token quoted; a phrase in double quotes stays a phrase.
Quotes, NEAR(, *, ^, column filters and SQL quotes therefore search for nothing special.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

if TYPE_CHECKING:
    from ttdn.monitor.models import Report

WORD = re.compile(r"\w+", re.UNICODE)
PHRASE = re.compile(r'"([^"]*)"|([^"\s]+)')
MAX_TERMS = 16

# the stored vectors of migration 0009
PG_REPORT_MATCH = "monitor_report.search_vector @@ to_tsquery('simple'::regconfig, %s)"
PG_STORY_MATCH = (
    "SELECT s.id FROM monitor_story s WHERE s.search_vector @@ to_tsquery('simple'::regconfig, %s)"
)
#: SQLite report index keys: publication second × KEY_SECOND + report id (migration 0008)
KEY_SECOND = 2**31
SQLITE_REPORT_MATCH = (
    "SELECT rowid & 2147483647 FROM measure_report_fts WHERE measure_report_fts MATCH %s"
)
SQLITE_NEWEST_KEY = (
    "SELECT rowid FROM measure_report_fts WHERE measure_report_fts MATCH %s{range} "
    "ORDER BY rowid DESC LIMIT 1 OFFSET %s"
)
SQLITE_STORY_MATCH = "SELECT rowid FROM measure_story_fts WHERE measure_story_fts MATCH %s"


def fold(text: str) -> str:
    """Lower case, no diacritics, đ → d (the Python twin of the database-side folding)."""
    text = text.replace("đ", "d").replace("Đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", stripped).lower()


def terms(query: str) -> list[list[str]]:
    """The query as phrases of folded word tokens: `"ha long" bay` → [["ha", "long"], ["bay"]].

    Everything that is not a letter or digit is dropped, so no operator survives."""
    out: list[list[str]] = []
    for quoted, bare in PHRASE.findall(query or ""):
        words = WORD.findall(fold(quoted or bare).replace("_", " "))
        if quoted:
            if words:
                out.append(words)
        else:
            out.extend([w] for w in words)
        if len(out) >= MAX_TERMS:
            break
    return out[:MAX_TERMS]


def fts5_query(phrases: list[list[str]]) -> str:
    """FTS5 MATCH text: every phrase quoted, all required (implicit AND)."""
    return " ".join('"' + " ".join(p).replace('"', '""') + '"' for p in phrases)


def tsquery(phrases: list[list[str]]) -> str:
    """PostgreSQL to_tsquery text: each token a quoted lexeme, phrases joined with <->."""

    def lexeme(word: str) -> str:
        return "'" + word.replace("'", "''").replace("\\", "") + "'"

    return " & ".join("(" + " <-> ".join(lexeme(w) for w in p) + ")" for p in phrases)


@dataclass(frozen=True)
class Matches:
    """Which reports match: on SQLite a subquery of their ids, on PostgreSQL a condition on
    monitor_report's own stored vector; `complete`: every match in the period is there, or
    only the newest ones (SQLite, when `newest` was asked)."""

    sql: RawSQL
    complete: bool

    def restrict(self, reports: QuerySet[Report]) -> QuerySet[Report]:
        """`reports` (a queryset over monitor_report, unaliased) narrowed to the matches."""
        if connection.vendor == "postgresql":
            return reports.filter(self.sql)
        return reports.filter(id__in=self.sql)


#: The seconds the SQLite key can hold (migration 0008 clamps to them as well).
KEY_SECONDS = (-(2**32), 2**32 - 1)


def _second_key(moment: dt.datetime) -> int:
    """The smallest index key of a report published in `moment`'s second (UTC)."""
    second = calendar.timegm(moment.utctimetuple())
    return min(max(second, KEY_SECONDS[0]), KEY_SECONDS[1]) * KEY_SECOND


def report_matches(
    query: str,
    *,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    newest: int | None = None,
) -> Matches | None:
    """Reports whose title or text match `query`, published in [start, end) when given (the
    caller filters by period too; here it only narrows what the index reads).

    `newest`: on SQLite, read only the `newest` newest matches (widened to the whole second
    of the last one, so that ordering by exact time stays right) and say so with
    `complete=False`; the caller widens if its other filters leave too few. PostgreSQL
    always answers with every match: its GIN index returns them as one bitmap anyway.
    None when the query has no searchable word (the caller then returns nothing)."""
    phrases = terms(query)
    if not phrases:
        return None
    if connection.vendor == "postgresql":
        condition = RawSQL(PG_REPORT_MATCH, [tsquery(phrases)], output_field=BooleanField())  # noqa: S611 - constant SQL; input is a parameter
        return Matches(condition, complete=True)
    params: list[object] = [fts5_query(phrases)]
    bounds = ""
    if start is not None:
        bounds += " AND rowid >= %s"
        params.append(_second_key(start))
    if end is not None:
        # rounded up to a whole second; the caller's own period filter is the exact one
        bounds += " AND rowid < %s"
        params.append(_second_key(end + dt.timedelta(microseconds=999_999)))
    complete = True
    if newest is not None:
        with connection.cursor() as cursor:
            cursor.execute(SQLITE_NEWEST_KEY.format(range=bounds), [*params, max(newest, 1) - 1])
            row = cursor.fetchone()
        if row is not None:
            complete = False
            bounds += " AND rowid >= %s"
            params.append(row[0] // KEY_SECOND * KEY_SECOND)
    return Matches(RawSQL(SQLITE_REPORT_MATCH + bounds, params), complete=complete)  # noqa: S611 - constant SQL; input is a parameter


def story_ids_matching(query: str) -> RawSQL | None:
    """A subquery of monitor_story ids whose title matches."""
    phrases = terms(query)
    if not phrases:
        return None
    if connection.vendor == "postgresql":
        return RawSQL(PG_STORY_MATCH, [tsquery(phrases)])  # noqa: S611 - constant SQL; input is a parameter
    return RawSQL(SQLITE_STORY_MATCH, [fts5_query(phrases)])  # noqa: S611 - constant SQL; input is a parameter
