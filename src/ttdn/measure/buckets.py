"""Time buckets (day, week, month) computed inside the database, on SQLite and PostgreSQL.

Why not Django's TruncDay/TruncWeek/TruncMonth everywhere: on SQLite they call a Python
function for every row (`django_datetime_trunc`), which costs seconds at a million reports.
PostgreSQL gets Django's Trunc (its `date_trunc ... AT TIME ZONE` is native); SQLite gets the
same result from its built-in C date functions, shifted by the time zone's UTC offset.
Weeks start on Monday (ISO), as in PostgreSQL's date_trunc('week').
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import DateField, Func
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek
from django.utils import timezone

TRUNC = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}


def _utc_offset_minutes(at: dt.datetime | None = None) -> int:
    """The current time zone's UTC offset. Viet Nam has no daylight saving, so one offset is
    exact; for zones with DST a bucket edge may move by an hour around the change."""
    tz = timezone.get_current_timezone()
    moment = at or timezone.now()
    offset = moment.astimezone(tz).utcoffset() or dt.timedelta(0)
    return int(offset.total_seconds() // 60)


class Bucket(Func):
    """The local date that starts the bucket (day / Monday of the week / first of the month)
    holding `expression`, a DateTimeField stored in UTC."""

    output_field = DateField()

    def __init__(self, expression: Any, *, kind: str) -> None:
        if kind not in TRUNC:
            raise ValueError(f"unknown bucket {kind!r}")
        self.kind = kind
        super().__init__(expression)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        trunc = TRUNC[self.kind](self.source_expressions[0], output_field=DateField())
        return compiler.compile(trunc.resolve_expression(compiler.query))

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # date_trunc returns a timestamp: cast, so every backend gives a date
        sql, params = self.as_sql(compiler, connection, **extra)
        return f"({sql})::date", params

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        # whole seconds only: SQLite's date functions round to the millisecond, which would
        # move 23:59:59.9995 into the next day (while the period filter, a plain comparison
        # of the stored text, keeps it in its own day)
        sql = f"substr({sql}, 1, 19)"
        shift = f"{_utc_offset_minutes():+d} minutes"
        if self.kind == "day":
            return f"date({sql}, %s)", [*params, shift]
        if self.kind == "week":
            # next Sunday (or the same day if Sunday), then back six days: the Monday
            return f"date({sql}, %s, 'weekday 0', '-6 days')", [*params, shift]
        return f"strftime('%%Y-%%m-01', {sql}, %s)", [*params, shift]


def bucket_start(day: dt.date, kind: str) -> dt.date:
    """The bucket a local date falls in (the Python twin of `Bucket`, to fill empty ones)."""
    if kind == "day":
        return day
    if kind == "week":
        return day - dt.timedelta(days=day.weekday())
    return day.replace(day=1)


def bucket_range(date_from: dt.date, date_to: dt.date, kind: str) -> list[dt.date]:
    """Every bucket start from `date_from`'s bucket to `date_to`'s, so charts show gaps as 0."""
    out: list[dt.date] = []
    current = bucket_start(date_from, kind)
    while current <= date_to:
        out.append(current)
        if kind == "day":
            current += dt.timedelta(days=1)
        elif kind == "week":
            current += dt.timedelta(days=7)
        else:
            current = (current.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return out
