"""Writes for Measure: saved searches, open-data API keys and the daily roll-ups."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import secrets
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.db.models import Count, F, FloatField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ttdn.accounts.models import Organisation, User
from ttdn.accounts.permissions import can_act_for, is_administrator, is_central
from ttdn.measure.buckets import Bucket, bucket_start
from ttdn.measure.filters import FilterError, filters_parse
from ttdn.measure.models import (
    ApiKey,
    DimensionRollup,
    MentionRollup,
    ReportRollup,
    RollupState,
    SavedSearch,
    StoryCountryRollup,
    StoryRollup,
)
from ttdn.measure.rollups import (
    ALL,
    COLUMNS,
    DIMENSION_SETS,
    DIMS,
    MENTION_KINDS,
    MENTION_SETS,
    REPORT_SETS,
    STORY_KINDS,
    key_values,
    report_day,
)
from ttdn.monitor.models import PlaceMention, Report

logger = logging.getLogger(__name__)

KEY_PREFIX = "ttdn_"
#: The rate of a key without its own limit (TTDN_OPEN_API_KEY_RATE overrides it).
DEFAULT_KEY_RATE = "600/min"
RATE_RE = re.compile(r"^\d{1,7}/(s|sec|m|min|h|hour|d|day)$")
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def saved_search_create(
    *, user: User, name: str, query: str, filters: dict[str, Any] | None = None
) -> SavedSearch:
    """Save a search for the user's organisation. The filters are validated now (so a saved
    search always runs) and stored as the parameters the person gave."""
    name, query = (name or "").strip(), (query or "").strip()
    if not name:
        raise ValidationError({"name": _("Hãy đặt tên cho tìm kiếm.")})
    if not query:
        raise ValidationError({"query": _("Hãy nhập từ khóa tìm kiếm.")})
    params = {k: str(v) for k, v in (filters or {}).items() if v not in (None, "")}
    try:
        parsed = filters_parse(params, require_period=False)
    except FilterError as exc:
        raise ValidationError(exc.errors) from exc
    saved = SavedSearch(
        user=user,
        organisation_id=user.organisation_id,
        name=name[:200],
        query=query[:500],
        # what the person chose, normalised (e.g. "us" → "US"), without the defaults
        filters={k: v for k, v in parsed.as_params().items() if k in params},
    )
    saved.full_clean()
    saved.save()
    return saved


def saved_search_delete(*, user: User, saved_search: SavedSearch) -> None:
    """Its author, or a central role, may delete a saved search."""
    if not (is_central(user) or saved_search.user_id == user.pk):
        raise PermissionDenied("Only its author may delete this saved search.")
    saved_search.delete()


def _per_second(rate: str) -> float:
    """Requests per second of a "N/period" rate (django-ninja's reading: s, m, h, d)."""
    count, _sep, period = rate.partition("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}.get(period.strip()[:1].lower(), 1)
    return int(count) / seconds


def _hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()


@transaction.atomic
def api_key_create(
    *, user: User, organisation: Organisation, name: str, rate_limit: str = ""
) -> tuple[ApiKey, str]:
    """Create a key for `organisation`; returns the key object and the key itself, which is
    shown once and never stored (only its SHA-256)."""
    if not can_act_for(user, organisation):
        raise PermissionDenied("You may not create keys for this organisation.")
    rate_limit = (rate_limit or "").strip()
    if rate_limit and not RATE_RE.match(rate_limit):
        raise ValidationError({"rate_limit": _("Giới hạn phải có dạng 600/min hoặc 10000/day.")})
    default = str(
        getattr(settings, "TTDN_OPEN_API_KEY_RATE", None)
        or os.environ.get("TTDN_OPEN_API_KEY_RATE")
        or DEFAULT_KEY_RATE
    )
    if rate_limit and _per_second(rate_limit) > _per_second(default) and not is_administrator(user):
        # a key's rate is a share of this server's capacity: only an administrator hands
        # out more than the default (a provincial officer once made a 9,999,999/s key)
        raise ValidationError(
            {
                "rate_limit": _(
                    "Chỉ quản trị viên mới đặt được giới hạn cao hơn mặc định (%(rate)s)."
                )
                % {"rate": default}
            }
        )
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(
        organisation=organisation,
        name=(name or "").strip()[:200] or _("Khóa API"),
        prefix=raw[: len(KEY_PREFIX) + 6],
        key_hash=_hash(raw),
        rate_limit=rate_limit,
        created_by=user,
    )
    key.full_clean()
    key.save()
    return key, raw


def api_key_revoke(*, user: User, api_key: ApiKey) -> ApiKey:
    if not can_act_for(user, api_key.organisation):
        raise PermissionDenied("You may not revoke this organisation's keys.")
    api_key.active = False
    api_key.save(update_fields=["active"])
    return api_key


def api_key_authenticate(raw_key: str) -> ApiKey | None:
    """The active key with this value, or None. Records when it was last used (at most once
    a minute per key, so a busy client does not turn every read into a write)."""
    if not raw_key or len(raw_key) > 200:
        return None
    key = ApiKey.objects.filter(key_hash=_hash(raw_key), active=True).first()
    if key is None:
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key


# --- daily roll-ups ---------------------------------------------------------------------------
# What they hold and when they are read: ttdn/measure/rollups.py.

_REPORT_KEYS = ("grouping", "day", "is_relevant", *COLUMNS)
_REPORT_VALUES = ("reports", "unique_reports", "toned", "tone_sum", "positive", "negative")
_DIMENSION_KEYS = ("grouping", "day", "dimension", "is_relevant", *COLUMNS)
_DIMENSION_VALUES = ("reports", "toned", "tone_sum", "positive", "negative")
_MENTION_KEYS = ("grouping", "kind", "key", "day", "is_relevant", *COLUMNS)
_MENTION_VALUES = ("reports", "unique_reports")
_STORY_KEYS = ("kind", "start", "story_id", "language")
_STORY_VALUES = ("reports", "relevant_reports")
_STORY_COUNTRY_KEYS = ("kind", "start", "outlet_country", "story_id", "language")


def _upsert(
    cursor: Any,
    model: type[models.Model],
    keys: tuple[str, ...],
    values: tuple[str, ...],
    rows: list[list[Any]],
) -> None:
    """Add `rows` (key columns then value columns) to the table in one statement.

    INSERT … ON CONFLICT DO UPDATE SET v = v + excluded.v (SQLite ≥ 3.24, PostgreSQL ≥ 9.5)
    increments in the database, so two workers adding to the same row both count (Django's
    bulk_create(update_conflicts=True) would overwrite instead). Rows are sorted so that
    concurrent transactions lock shared rows in the same order and cannot deadlock."""
    if not rows:
        return
    q = connection.ops.quote_name
    table = q(model._meta.db_table)
    columns = (*keys, *values)
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    rows = sorted(rows, key=lambda r: tuple(str(v) for v in r[: len(keys)]))
    sql = (
        f"INSERT INTO {table} ({', '.join(q(c) for c in columns)}) "  # noqa: S608 - table/column names and constants; values are parameters
        f"VALUES {', '.join([one] * len(rows))} "
        f"ON CONFLICT ({', '.join(q(c) for c in keys)}) DO UPDATE SET "
        + ", ".join(f"{q(v)} = {table}.{q(v)} + excluded.{q(v)}" for v in values)
    )
    cursor.execute(sql, [v for row in rows for v in row])


def rollups_add_report(report: Report) -> None:
    """Add one just-stored report to the daily roll-ups, in the caller's transaction (called
    at the end of monitor's `_report_save`, after its places and story are saved), so the
    roll-ups never count a report that was rolled back, nor miss one that was committed."""
    rollups_add_reports([report])


def rollups_add_reports(reports: Sequence[Report]) -> None:
    """Add just-stored reports (a chunk the story consumer saved in one transaction) to the
    daily roll-ups, in the caller's transaction: the same counts as `rollups_add_report`
    for each, with one query for their places and one statement per table for all of them
    (rows of the same key are summed first: one INSERT … ON CONFLICT may touch a row once)."""
    if not reports:
        return
    rows: dict[str, list[list[Any]]] = {
        "report": [], "dimension": [], "mention": [], "story": [], "story_country": []
    }  # fmt: skip
    places: dict[int, set[tuple[str, str]]] = {}
    for report_id, kind, key in PlaceMention.objects.filter(
        report_id__in=[r.pk for r in reports], kind__in=MENTION_KINDS
    ).values_list("report_id", "kind", "key"):
        places.setdefault(report_id, set()).add((kind, key))
    for report in reports:
        _rollup_rows(report, places.get(report.pk, set()), rows)
    with connection.cursor() as cursor:
        for table, model, keys, values in (
            ("report", ReportRollup, _REPORT_KEYS, _REPORT_VALUES),
            ("dimension", DimensionRollup, _DIMENSION_KEYS, _DIMENSION_VALUES),
            ("mention", MentionRollup, _MENTION_KEYS, _MENTION_VALUES),
            ("story", StoryRollup, _STORY_KEYS, _STORY_VALUES),
            ("story_country", StoryCountryRollup, _STORY_COUNTRY_KEYS, _STORY_VALUES),
        ):
            _upsert(cursor, model, keys, values, _summed(rows[table], len(keys)))
        # last: the one row every report touches is held for the shortest time
        table = connection.ops.quote_name(RollupState._meta.db_table)
        cursor.execute(
            f"INSERT INTO {table} (id, reports, max_report_id, stale) VALUES (1, %s, %s, %s) "  # noqa: S608 - table/column names and constants; values are parameters
            f"ON CONFLICT (id) DO UPDATE SET reports = {table}.reports + excluded.reports, "
            f"max_report_id = CASE WHEN excluded.max_report_id > {table}.max_report_id "
            f"THEN excluded.max_report_id ELSE {table}.max_report_id END",
            [len(reports), max(r.pk for r in reports), False],
        )


def _rollup_rows(
    report: Report, places: set[tuple[str, str]], rows: dict[str, list[list[Any]]]
) -> None:
    """Append one report's roll-up rows (key columns, then value columns) to `rows`."""
    if report.published_at is None:
        return
    day = report_day(report.published_at)
    source = report.source
    values = {
        "language": report.language,
        "outlet_country": (source.country if source else "") or "",
        "source_kind": (source.kind if source else "") or "",
        "tone_label": report.tone_label,
    }
    toned = report.tone_score is not None
    score = float(report.tone_score) if report.tone_score is not None else 0.0
    positive = int(toned and report.tone_label == "positive")
    negative = int(toned and report.tone_label == "negative")
    unique = int(report.duplicate_of_id is None)
    relevant = bool(report.is_relevant)
    for g in REPORT_SETS:
        rows["report"].append(
            [g, day, relevant, *key_values(g, values), 1, unique, int(toned), score]
            + [positive, negative]
        )
    dimensions = report.dimensions if isinstance(report.dimensions, dict) else {}
    for name in dimensions:
        for g in DIMENSION_SETS:
            rows["dimension"].append(
                [g, day, str(name), relevant, *key_values(g, values), 1, int(toned), score]
                + [positive, negative]
            )
    for kind, key in places:
        for g in MENTION_SETS:
            rows["mention"].append([g, kind, key, day, relevant, *key_values(g, values), 1, unique])
    if report.story_id is not None:
        for kind in STORY_KINDS:
            start = bucket_start(day, kind)
            rows["story"].append([kind, start, report.story_id, report.language, 1, int(relevant)])
            rows["story_country"].append(
                [kind, start, values["outlet_country"], report.story_id, report.language]
                + [1, int(relevant)]
            )


def _summed(rows: list[list[Any]], key_count: int) -> list[list[Any]]:
    """Rows of equal key merged, their values added (first-seen order)."""
    merged: dict[tuple[Any, ...], list[Any]] = {}
    for row in rows:
        key = tuple(row[:key_count])
        held = merged.get(key)
        if held is None:
            merged[key] = list(row)
        else:
            for i in range(key_count, len(row)):
                held[i] += row[i]
    return list(merged.values())


def rollups_mark_stale(reason: str) -> None:
    """Something changed under the roll-ups (e.g. a source's country): indicators use the
    exact queries until `rollups_rebuild` runs."""
    updated = RollupState.objects.filter(pk=1, stale=False).update(stale=True)
    if updated:
        logger.warning(
            "measure roll-ups marked stale (%s): run `ttdn manage rollups_rebuild`", reason
        )


def _select_dims(grouping: int, alias: str) -> str:
    """The key columns of a grouping set in a rebuild SELECT: the column or '*'."""
    return ", ".join(
        f"{alias}.r_{column}" if grouping & bit else f"'{ALL}'" for _attr, column, bit in DIMS
    )


def _group_dims(grouping: int) -> list[str]:
    return [f"r_{column}" for _attr, column, bit in DIMS if grouping & bit]


def _report_base(prefix: str = "") -> dict[str, Any]:
    """Per-report columns of the rebuild queries, named r_*, from Report (prefix "") or from
    a relation to it (prefix "report__")."""
    return {
        "r_day": Bucket(f"{prefix}published_at", kind="day"),
        "r_rel": F(f"{prefix}is_relevant"),
        "r_language": F(f"{prefix}language"),
        "r_outlet_country": Coalesce(f"{prefix}source__country", Value("")),
        "r_source_kind": Coalesce(f"{prefix}source__kind", Value("")),
        "r_tone_label": F(f"{prefix}tone_label"),
    }


def _insert_select(model: type[models.Model], columns: Sequence[str], select: str,
                   params: Sequence[Any]) -> None:  # fmt: skip
    """`INSERT INTO <model's table> (<columns>) <select>`: the one statement of every rebuild,
    so the database aggregates and nothing passes through Python."""
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(model._meta.db_table)} "  # noqa: S608 - table/column names and constants; values are parameters
            f"({', '.join(q(c) for c in columns)}) {select}",
            params,
        )


def _rebuild_reports() -> None:
    toned = Q(tone_score__isnull=False)
    for g in REPORT_SETS:
        inner = (
            Report.objects.filter(published_at__isnull=False)
            .annotate(**_report_base())
            .values("r_day", "r_rel", *_group_dims(g))
            .annotate(
                n=Count("id"),
                n_unique=Count("id", filter=Q(duplicate_of__isnull=True)),
                n_toned=Count("id", filter=toned),
                s_tone=Coalesce(Sum("tone_score"), Value(0.0), output_field=FloatField()),
                n_pos=Count("id", filter=toned & Q(tone_label="positive")),
                n_neg=Count("id", filter=toned & Q(tone_label="negative")),
            )
            .order_by()
        )
        sql, params = inner.query.sql_with_params()
        _insert_select(
            ReportRollup, (*_REPORT_KEYS, *_REPORT_VALUES),
            f"SELECT {g}, s.r_day, s.r_rel, {_select_dims(g, 's')}, "  # noqa: S608 - names and constants; values are parameters
            f"s.n, s.n_unique, s.n_toned, s.s_tone, s.n_pos, s.n_neg FROM ({sql}) s",
            params,
        )  # fmt: skip


def _rebuild_mentions() -> None:
    unique = Q(report__duplicate_of__isnull=True)
    for g in MENTION_SETS:
        inner = (
            PlaceMention.objects.filter(kind__in=MENTION_KINDS, report__published_at__isnull=False)
            .annotate(m_kind=F("kind"), m_key=F("key"), **_report_base("report__"))
            .values("m_kind", "m_key", "r_day", "r_rel", *_group_dims(g))
            .annotate(
                n=Count("report_id", distinct=True),
                n_unique=Count("report_id", distinct=True, filter=unique),
            )
            .order_by()
        )
        sql, params = inner.query.sql_with_params()
        _insert_select(
            MentionRollup, (*_MENTION_KEYS, *_MENTION_VALUES),
            f"SELECT {g}, s.m_kind, s.m_key, s.r_day, s.r_rel, {_select_dims(g, 's')}, "  # noqa: S608 - names and constants; values are parameters
            f"s.n, s.n_unique FROM ({sql}) s",
            params,
        )  # fmt: skip


# the JSON object's keys expanded by the database, as in indicators._DIMENSION_SQL
_DIMENSION_FROM = {
    "sqlite": (
        "FROM ({inner}) r, json_each(CASE WHEN json_type(r.r_dims) = 'object' "
        "THEN r.r_dims ELSE '{}' END) j"
    ),
    "postgresql": (
        "FROM ({inner}) r CROSS JOIN LATERAL jsonb_object_keys("
        "CASE WHEN jsonb_typeof(r.r_dims) = 'object' THEN r.r_dims ELSE '{}' END) AS j(key)"
    ),
}


def _rebuild_dimensions() -> None:
    source = _DIMENSION_FROM.get(connection.vendor)
    if source is None:
        raise NotImplementedError(f"roll-ups need SQLite or PostgreSQL, not {connection.vendor}")
    inner = (
        Report.objects.filter(published_at__isnull=False)
        .annotate(r_score=F("tone_score"), r_dims=F("dimensions"), **_report_base())
        .values("r_day", "r_rel", *(f"r_{c}" for c in COLUMNS), "r_score", "r_dims")
        .order_by()
    )
    sql, params = inner.query.sql_with_params()
    toned = "r.r_score IS NOT NULL"
    for g in DIMENSION_SETS:
        group = ", ".join(["r.r_day", "j.key", "r.r_rel", *(f"r.{c}" for c in _group_dims(g))])
        _insert_select(
            DimensionRollup, (*_DIMENSION_KEYS, *_DIMENSION_VALUES),
            f"SELECT {g}, r.r_day, j.key, r.r_rel, {_select_dims(g, 'r')}, COUNT(*), "
            f"SUM(CASE WHEN {toned} THEN 1 ELSE 0 END), COALESCE(SUM(r.r_score), 0.0), "
            f"SUM(CASE WHEN {toned} AND r.r_tone_label = 'positive' THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN {toned} AND r.r_tone_label = 'negative' THEN 1 ELSE 0 END) "
            + source.replace("{inner}", sql)
            + f" GROUP BY {group}",
            params,
        )  # fmt: skip


def _rebuild_story_table(
    model: type[models.Model], keys: tuple[str, ...], *, by_country: bool
) -> None:
    """Fill one story roll-up table from the reports, per period kind: stories per language,
    and with `by_country` also per outlet country ("" for none), in one INSERT ... SELECT."""
    for kind in STORY_KINDS:
        extra = {"r_country": Coalesce("source__country", Value(""))} if by_country else {}
        inner = (
            Report.objects.filter(published_at__isnull=False, story__isnull=False)
            .annotate(r_start=Bucket("published_at", kind=kind), **extra, r_story=F("story_id"))
            .annotate(r_language=F("language"))
            .values("r_start", *extra, "r_story", "r_language")
            .annotate(n=Count("id"), n_relevant=Count("id", filter=Q(is_relevant=True)))
            .order_by()
        )
        sql, params = inner.query.sql_with_params()
        country = "s.r_country, " if by_country else ""
        _insert_select(
            model, (*keys, *_STORY_VALUES),
            f"SELECT %s, s.r_start, {country}s.r_story, s.r_language, s.n, s.n_relevant "  # noqa: S608 - names and constants; values are parameters
            f"FROM ({sql}) s",
            [kind, *params],
        )  # fmt: skip


def _rebuild_stories() -> None:
    _rebuild_story_table(StoryRollup, _STORY_KEYS, by_country=False)


def _rebuild_story_countries() -> None:
    _rebuild_story_table(StoryCountryRollup, _STORY_COUNTRY_KEYS, by_country=True)


def rollups_rebuild() -> dict[str, int]:
    """Recompute every roll-up from the stored reports, in one transaction (used by the
    data migration, `ttdn manage rollups_rebuild` and the benchmark's generator).

    Aggregated by the database (INSERT … SELECT … GROUP BY, one statement per grouping set),
    with the same day buckets as the exact queries. On PostgreSQL the reports are locked
    against writes meanwhile (SHARE mode: reads go on), so no report is stored between two
    statements and counted in one table but not another; SQLite's write lock does the same."""
    tables = (
        ReportRollup, DimensionRollup, MentionRollup, StoryRollup, StoryCountryRollup, RollupState
    )  # fmt: skip
    with timezone.override(settings.TIME_ZONE), transaction.atomic():
        with connection.cursor() as cursor:
            for model in tables:  # first: takes SQLite's write lock before reading
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - a model's table name
            if connection.vendor == "postgresql":
                cursor.execute(
                    "LOCK TABLE monitor_report, monitor_placemention, monitor_source IN SHARE MODE"
                )
        _rebuild_reports()
        _rebuild_dimensions()
        _rebuild_mentions()
        _rebuild_stories()
        _rebuild_story_countries()
        reports = Report.objects.count()
        newest = Report.objects.order_by("-id").values_list("id", flat=True).first() or 0
        RollupState.objects.create(
            pk=1,
            reports=reports,
            max_report_id=newest,
            stale=False,
            rebuilt_at=timezone.now(),
        )
    counts = {m._meta.model_name or "": m.objects.count() for m in tables[:-1]}  # type: ignore[attr-defined]
    return {"reports": reports, **counts}
