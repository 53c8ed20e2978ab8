"""Full-text search that works the same on SQLite (FTS5) and PostgreSQL (tsvector).

Both sides fold text the same way before indexing and before matching: lower case, every
diacritic removed and "đ" → "d", so "Da Lat", "Đà Lạt" and "ĐÀ LẠT" find each other.

- SQLite: contentless FTS5 tables `measure_report_fts` (title, text) and `measure_story_fts`
  (title) with the `unicode61 remove_diacritics 2` tokenizer, filled by triggers on
  monitor_report / monitor_story (migration 0002). unicode61 does not fold "đ" (it is a
  letter of its own, not d + a mark), so the triggers replace it before indexing.
- PostgreSQL: GIN expression indexes over `to_tsvector('simple', ttdn_fold(...))`, where
  `ttdn_fold` is an IMMUTABLE function using the `unaccent` extension when it can be
  installed, and otherwise `translate()` over the Vietnamese alphabet (migration 0002).

User input never reaches either query language as syntax: it is split into word tokens
(letters and digits only), each token quoted; a phrase in double quotes stays a phrase.
Quotes, NEAR(, *, ^, column filters and SQL quotes therefore search for nothing special.
"""

from __future__ import annotations

import re
import unicodedata

from django.db import connection
from django.db.models.expressions import RawSQL

WORD = re.compile(r"\w+", re.UNICODE)
PHRASE = re.compile(r'"([^"]*)"|([^"\s]+)')
MAX_TERMS = 16

# the document expressions must stay identical to the GIN index expressions (0002_fulltext)
PG_REPORT_MATCH = (
    "SELECT r.id FROM monitor_report r WHERE to_tsvector('simple'::regconfig, "
    "ttdn_fold(coalesce(r.title, '') || ' ' || coalesce(r.text, ''))) "
    "@@ to_tsquery('simple'::regconfig, %s)"
)
PG_STORY_MATCH = (
    "SELECT s.id FROM monitor_story s WHERE to_tsvector('simple'::regconfig, "
    "ttdn_fold(coalesce(s.title, ''))) @@ to_tsquery('simple'::regconfig, %s)"
)
SQLITE_REPORT_MATCH = "SELECT rowid FROM measure_report_fts WHERE measure_report_fts MATCH %s"
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


def report_ids_matching(query: str) -> RawSQL | None:
    """A subquery of monitor_report ids whose title or text match; None when the query has
    no searchable word (the caller then returns nothing)."""
    phrases = terms(query)
    if not phrases:
        return None
    if connection.vendor == "postgresql":
        return RawSQL(PG_REPORT_MATCH, [tsquery(phrases)])  # noqa: S611 - constant SQL; input is a parameter
    return RawSQL(SQLITE_REPORT_MATCH, [fts5_query(phrases)])  # noqa: S611 - constant SQL; input is a parameter


def story_ids_matching(query: str) -> RawSQL | None:
    """A subquery of monitor_story ids whose title matches."""
    phrases = terms(query)
    if not phrases:
        return None
    if connection.vendor == "postgresql":
        return RawSQL(PG_STORY_MATCH, [tsquery(phrases)])  # noqa: S611 - constant SQL; input is a parameter
    return RawSQL(SQLITE_STORY_MATCH, [fts5_query(phrases)])  # noqa: S611 - constant SQL; input is a parameter
