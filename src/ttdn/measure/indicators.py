"""Indicators: written, versioned definitions and the plain functions that compute them.

Every number Measure shows comes from one `Indicator` here. The definition (what is counted,
from which pipeline stages, in which unit) is shown at /do-luong/dinh-nghia/<key>/ and served
by the open API; `version` goes up whenever the rule that produces the number changes, and
`changes` says how, so a figure quoted in a report can be traced to the rule that made it.

Each compute function takes validated `MeasureFilters` and returns an `IndicatorResult`: a
table (`columns`, `rows`) that the charts, the CSV export and the open API all use as is,
plus a few `totals`. Queries aggregate inside the database (one or two queries per
indicator), never by loading reports into Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Avg, Count, DateField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ttdn.accounts.models import Organisation
from ttdn.measure import rollups
from ttdn.measure.buckets import Bucket, bucket_range
from ttdn.measure.filters import MeasureFilters, peer_countries
from ttdn.measure.models import DimensionRollup, MentionRollup, ReportRollup
from ttdn.monitor.models import PlaceMention, Report, Story
from ttdn.web.labels import dimension_keys, dimension_label

MAX_GROUPS = 8

Row = dict[str, Any]


@dataclass
class IndicatorResult:
    columns: list[str]
    rows: list[Row]
    totals: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"columns": self.columns, "rows": self.rows, "totals": self.totals}


@dataclass(frozen=True)
class Indicator:
    key: str
    version: int
    title: Promise
    counts: Promise  # what is counted, in words
    stages: tuple[str, ...]  # the pipeline stages the number depends on
    unit: Promise
    notes: Promise
    chart: str  # how the dashboard draws it: line | bar | map | table
    compute: Callable[[MeasureFilters], IndicatorResult]
    changes: tuple[tuple[int, Promise], ...] = ()

    def definition(self) -> dict[str, Any]:
        """The definition as plain data (strings translated to the active language)."""
        return {
            "key": self.key,
            "version": self.version,
            "title": str(self.title),
            "counts": str(self.counts),
            "stages": list(self.stages),
            "unit": str(self.unit),
            "notes": str(self.notes),
            "changes": [{"version": v, "change": str(c)} for v, c in self.changes],
        }


# --- the population every indicator starts from ---------------------------------------------


def report_queryset(filters: MeasureFilters, *, relevant_only: bool = True) -> QuerySet[Report]:
    """Reports matching the filters. `relevant_only`: only those the relevance stage judged
    to be about Viet Nam (what "coverage of Viet Nam" means); share of voice instead looks at
    every stored report, since it compares Viet Nam with its peers in the same outlets."""
    reports = Report.objects.all()
    if relevant_only:
        reports = reports.filter(is_relevant=True)
    start, end = filters.period()
    if start is not None:
        reports = reports.filter(published_at__gte=start)
    if end is not None:
        reports = reports.filter(published_at__lt=end)
    if filters.language:
        reports = reports.filter(language=filters.language)
    if filters.country:
        reports = reports.filter(source__country=filters.country)
    if filters.source_kind:
        reports = reports.filter(source__kind=filters.source_kind)
    if filters.tone:
        reports = reports.filter(tone_label=filters.tone)
    if filters.dimension:
        reports = reports.filter(dimensions__has_key=filters.dimension)
    if filters.province:
        keys = filters.province_keys or (filters.province,)
        reports = reports.filter(
            id__in=PlaceMention.objects.filter(kind="unit", key__in=keys).values("report_id")
        )
    return reports


def _tone_aggregates(prefix: str = "") -> dict[str, Any]:
    return {
        "mean_tone": Avg("tone_score"),
        "toned": Count("id", filter=Q(tone_score__isnull=False)),
        "positive": Count("id", filter=Q(tone_label="positive")),
        "negative": Count("id", filter=Q(tone_label="negative")),
    }


def tone_fields(row: dict[str, Any]) -> Row:
    """Mean tone and % positive / % negative among reports that have a tone label."""
    labelled = row.get("toned") or 0
    mean = row.get("mean_tone")
    return {
        "mean_tone": round(mean, 4) if mean is not None else None,
        "pct_positive": round(100.0 * row["positive"] / labelled, 2) if labelled else None,
        "pct_negative": round(100.0 * row["negative"] / labelled, 2) if labelled else None,
    }


def _buckets(filters: MeasureFilters) -> list[dt.date]:
    if filters.date_from is None or filters.date_to is None:
        return []
    return bucket_range(filters.date_from, filters.date_to, filters.bucket)


# --- compute functions ----------------------------------------------------------------------


def volume(filters: MeasureFilters) -> IndicatorResult:
    """Reports, unique reports and distinct stories per time bucket."""
    found = _volume_rollup(filters) or _volume_exact(filters)
    per_bucket, stories_total = found
    rows = []
    for start in _buckets(filters) or sorted(per_bucket):
        row = per_bucket.get(start, {})
        rows.append(
            {
                "bucket": start.isoformat(),
                "reports": row.get("reports", 0),
                "unique_reports": row.get("unique_reports", 0),
                "stories": row.get("stories", 0),
            }
        )
    # report counts add up across buckets; distinct stories do not, so only they are
    # counted again over the whole period
    totals = {
        "reports": sum(r["reports"] for r in per_bucket.values()),
        "unique_reports": sum(r["unique_reports"] for r in per_bucket.values()),
        "stories": stories_total,
    }
    return IndicatorResult(["bucket", "reports", "unique_reports", "stories"], rows, totals)


VolumeCounts = tuple[dict[dt.date, dict[str, int]], int]


def _volume_exact(filters: MeasureFilters) -> VolumeCounts:
    reports = report_queryset(filters)
    per_bucket = {
        row["bucket"]: row
        for row in reports.annotate(bucket=Bucket("published_at", kind=filters.bucket))
        .values("bucket")
        .annotate(
            reports=Count("id"),
            unique_reports=Count("id", filter=Q(duplicate_of__isnull=True)),
            stories=Count("story_id", distinct=True),
        )
        .order_by("bucket")
    }
    stories = reports.aggregate(stories=Count("story_id", distinct=True))["stories"]
    return per_bucket, stories


def _volume_rollup(filters: MeasureFilters) -> VolumeCounts | None:
    """The same counts from the roll-ups: reports per day summed into buckets, stories from
    the per-bucket story rows. Only period and language (stories are not split further)."""
    if filters.country or filters.source_kind or filters.tone or filters.dimension:
        return None
    if not rollups.period_supported(filters):
        return None
    days = rollups.rollup_rows(ReportRollup, rollups.REPORT_SETS, filters)
    if days is None or not rollups.rollups_current():
        return None
    sums = ("reports", "unique_reports")
    folded = rollups.fold_days(
        days.values("day").annotate(**{f: Sum(f) for f in sums}).order_by(),
        filters.bucket,
        None,
        sums,
    ).get(None, {})
    stories, stories_total = rollups.story_counts(filters)
    per_bucket = {
        start: {
            "reports": int(acc["reports"]),
            "unique_reports": int(acc["unique_reports"]),
            "stories": stories.get(start, 0),
        }
        for start, acc in folded.items()
        if acc["reports"]
    }
    return per_bucket, stories_total


def share_of_voice(filters: MeasureFilters) -> IndicatorResult:
    """For each peer country: stored reports naming it, and its share of all peer mentions."""
    peers = peer_countries()
    counts = _share_rollup(filters, peers)
    if counts is None:
        reports = report_queryset(filters, relevant_only=False)
        # joined from the (period-filtered) reports to their mentions, not the other way
        # round: the home country is named in most reports, so starting from its mentions
        # would read every mention ever stored
        counts = {
            row["places__key"]: row
            for row in reports.filter(places__kind="country", places__key__in=peers)
            .values("places__key")
            .annotate(
                reports=Count("id", distinct=True),
                unique_reports=Count("id", distinct=True, filter=Q(duplicate_of__isnull=True)),
            )
            .order_by()
        }
    total = sum(row["reports"] for row in counts.values())
    rows = [
        {
            "country": code,
            "reports": counts.get(code, {}).get("reports", 0),
            "unique_reports": counts.get(code, {}).get("unique_reports", 0),
            "share_pct": round(100.0 * counts[code]["reports"] / total, 2)
            if total and code in counts
            else 0.0,
        }
        for code in peers
    ]
    rows.sort(key=lambda r: (-r["reports"], peers.index(r["country"])))
    return IndicatorResult(
        ["country", "reports", "unique_reports", "share_pct"],
        rows,
        {"peer_mentions": total, "peers": list(peers)},
    )


def _share_rollup(filters: MeasureFilters, peers: tuple[str, ...]) -> dict[str, Row] | None:
    """Reports naming each peer from the mention roll-up (every stored report, relevant or
    not), when the filters are roll-up columns; None otherwise."""
    if filters.dimension or not rollups.period_supported(filters):
        return None
    rows = rollups.rollup_rows(MentionRollup, rollups.MENTION_SETS, filters, relevant_only=False)
    if rows is None or not rollups.rollups_current():
        return None
    return {
        row["key"]: {"reports": int(row["reports"]), "unique_reports": int(row["unique_reports"])}
        for row in rows.filter(kind="country", key__in=peers)
        .values("key")
        .annotate(reports=Sum("reports"), unique_reports=Sum("unique_reports"))
        .order_by()
        if row["reports"]
    }


GROUP_FIELDS = {"country": "source__country", "language": "language"}
# the roll-up column for each tone grouping
GROUP_COLUMNS = {"country": "outlet_country", "language": "language"}
# `group_by` for one line over all the filtered reports (group ""): the national tone chart
# of a periodic report. Not offered by the dashboard form or the open API, whose charts split.
TONE_ALL = "all"


def tone(filters: MeasureFilters) -> IndicatorResult:
    """Mean tone and % positive / negative per time bucket, split by outlet country, language
    or nation-brand dimension (the largest groups only, so a chart stays readable), or not
    split (`group_by=TONE_ALL`: one group "", every bucket)."""
    buckets = _buckets(filters)
    found = _tone_rollup(filters) or _tone_exact(filters)
    per_group, totals = found
    # largest first; equal sizes by name, so the order never depends on the query plan
    ranked = sorted(per_group, key=lambda g: (-sum(r["reports"] for r in per_group[g].values()), g))
    rows: list[Row] = []
    for group in ranked[:MAX_GROUPS]:
        found_rows = per_group[group]
        for start in buckets or sorted(found_rows):
            row = found_rows.get(start)
            rows.append(
                {
                    "bucket": start.isoformat(),
                    "group": group,
                    "group_label": dimension_label(group)
                    if filters.group_by == "dimension"
                    else group,
                    "reports": row["reports"] if row else 0,
                    **(
                        tone_fields(row)
                        if row
                        else {"mean_tone": None, "pct_positive": None, "pct_negative": None}
                    ),
                }
            )
    return IndicatorResult(
        [
            "bucket",
            "group",
            "group_label",
            "reports",
            "mean_tone",
            "pct_positive",
            "pct_negative",
        ],
        rows,
        {"reports": totals["reports"], **tone_fields(totals), "group_by": filters.group_by},
    )


ToneCounts = tuple[dict[str, dict[dt.date, Row]], Row]


def _tone_exact(filters: MeasureFilters) -> ToneCounts:
    reports = report_queryset(filters).filter(tone_score__isnull=False)
    per_group: dict[str, dict[dt.date, Row]] = {}
    if filters.group_by == "dimension":
        for row in _tone_by_dimension(reports, filters):
            per_group.setdefault(row["group"], {})[row["bucket"]] = row
    else:
        # reports without a source and sources without a country are one group, ""
        if filters.group_by == TONE_ALL:
            reports = reports.annotate(tone_group=Value(""))
        else:
            field_name = GROUP_FIELDS[filters.group_by]
            reports = reports.annotate(tone_group=Coalesce(field_name, Value("")))
        largest = [
            row["tone_group"]
            for row in reports.values("tone_group")
            .annotate(n=Count("id"))
            .order_by("-n", "tone_group")[:MAX_GROUPS]
        ]
        for row in (
            reports.filter(tone_group__in=largest)
            .annotate(bucket=Bucket("published_at", kind=filters.bucket))
            .values("bucket", "tone_group")
            .annotate(reports=Count("id"), **_tone_aggregates())
        ):
            per_group.setdefault(row["tone_group"], {})[row["bucket"]] = row
    totals = reports.aggregate(reports=Count("id"), **_tone_aggregates())
    return per_group, totals


def _tone_rollup(filters: MeasureFilters) -> ToneCounts | None:
    """The same groups and buckets from the roll-ups: by dimension (or with a dimension
    filter) from DimensionRollup, by outlet country / language from ReportRollup; per-day
    sums folded into buckets in Python (a few hundred rows)."""
    if not rollups.period_supported(filters):
        return None
    by_dimension = filters.group_by == "dimension"
    ungrouped = filters.group_by == TONE_ALL
    group_column = None if by_dimension or ungrouped else GROUP_COLUMNS[filters.group_by]
    if by_dimension or filters.dimension:
        base = rollups.rollup_rows(
            DimensionRollup, rollups.DIMENSION_SETS, filters, group_column=group_column
        )
    else:
        base = rollups.rollup_rows(
            ReportRollup, rollups.REPORT_SETS, filters, group_column=group_column
        )
    if filters.dimension:
        totals_rows = rollups.rollup_rows(DimensionRollup, rollups.DIMENSION_SETS, filters)
    else:
        totals_rows = rollups.rollup_rows(ReportRollup, rollups.REPORT_SETS, filters)
    if base is None or totals_rows is None or not rollups.rollups_current():
        return None
    if filters.dimension:
        base = base.filter(dimension=filters.dimension)
        totals_rows = totals_rows.filter(dimension=filters.dimension)
    fields = tuple(rollups.TONE_SUMS)
    group: str | None
    if ungrouped:
        group = None
        days = base
    elif by_dimension:
        keys = {filters.dimension} if filters.dimension else set(dimension_keys())
        group = "dimension"
        days = base.filter(dimension__in=keys)
    else:
        assert group_column is not None
        group = group_column
        largest = [
            row[group]
            for row in base.values(group)
            .annotate(n=Sum("toned"))
            .filter(n__gt=0)
            .order_by("-n", group)[:MAX_GROUPS]
        ]
        days = base.filter(**{f"{group}__in": largest})
    folded = rollups.fold_days(
        days.values(*([group] if group else []), "day").annotate(**rollups.TONE_SUMS).order_by(),
        filters.bucket,
        group,
        fields,
    )
    per_group: dict[str, dict[dt.date, Row]] = {}
    for key, per_bucket in folded.items():
        kept = {b: rollups.tone_row(acc) for b, acc in per_bucket.items() if acc["toned"]}
        if kept:
            per_group["" if key is None else key] = kept
    sums = totals_rows.aggregate(**rollups.TONE_SUMS)
    totals = rollups.tone_row({f: sums[f] or 0 for f in fields})
    return per_group, totals


# One pass over the reports, one row per (dimension key, bucket): the keys of the JSON
# object are expanded by the database (json_each / jsonb_object_keys), so the cost does not
# grow with the number of dimensions. The inner query is the ORM's, parameters included.
_DIMENSION_SQL = {
    "sqlite": (
        "SELECT j.key, r.bucket, COUNT(*), AVG(r.tone_score), "
        "SUM(CASE WHEN r.tone_label = 'positive' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN r.tone_label = 'negative' THEN 1 ELSE 0 END) "
        "FROM ({inner}) r, json_each(r.dimensions) j "
        "WHERE json_valid(r.dimensions) AND j.key IS NOT NULL GROUP BY j.key, r.bucket"
    ),
    "postgresql": (
        "SELECT j.key, r.bucket, COUNT(*), AVG(r.tone_score), "
        "SUM(CASE WHEN r.tone_label = 'positive' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN r.tone_label = 'negative' THEN 1 ELSE 0 END) "
        "FROM ({inner}) r CROSS JOIN LATERAL jsonb_object_keys("
        "CASE WHEN jsonb_typeof(r.dimensions) = 'object' THEN r.dimensions ELSE '{{}}' END"
        ") AS j(key) GROUP BY j.key, r.bucket"
    ),
}


def _tone_by_dimension(reports: QuerySet[Report], filters: MeasureFilters) -> list[Row]:
    keys = {filters.dimension} if filters.dimension else set(dimension_keys())
    inner = (
        reports.annotate(bucket=Bucket("published_at", kind=filters.bucket))
        .values("bucket", "tone_score", "tone_label", "dimensions")
        .order_by()
    )
    sql, params = inner.query.sql_with_params()
    template = _DIMENSION_SQL.get(connection.vendor)
    rows: list[Row] = []
    if template is None:  # another database: one query per dimension
        for key in sorted(keys):
            for row in (
                reports.filter(dimensions__has_key=key)
                .annotate(bucket=Bucket("published_at", kind=filters.bucket))
                .values("bucket")
                .annotate(reports=Count("id"), **_tone_aggregates())
            ):
                rows.append({"group": key, **row})
        return rows
    date_field = DateField()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # the planner guesses 100 keys per report for jsonb_object_keys, thinks the query
            # is huge and spends ~1 s JIT-compiling a 60 ms query
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(template.format(inner=sql), params)
        for key, bucket, n, mean, positive, negative in cursor.fetchall():
            if key not in keys:
                continue
            if isinstance(bucket, str):
                bucket = date_field.to_python(bucket)
            elif isinstance(bucket, dt.datetime):
                bucket = bucket.date()
            rows.append(
                {
                    "group": key,
                    "bucket": bucket,
                    "reports": n,
                    "toned": n,
                    "mean_tone": mean,
                    "positive": positive,
                    "negative": negative,
                }
            )
    return rows


def top_stories(filters: MeasureFilters) -> IndicatorResult:
    """Stories with the most unique reports matching the filters."""
    reports = report_queryset(filters).filter(story__isnull=False)
    ranked = list(
        reports.values("story_id")
        .annotate(
            unique_reports=Count("id", filter=Q(duplicate_of__isnull=True)),
            reports=Count("id"),
            outlet_countries=Count("source__country", distinct=True),
            **_tone_aggregates(),
        )
        .order_by("-unique_reports", "-reports", "story_id")[: filters.top]
    )
    stories = Story.objects.in_bulk([r["story_id"] for r in ranked])
    rows = []
    for rank, row in enumerate(ranked, 1):
        story = stories[row["story_id"]]
        rows.append(
            {
                "rank": rank,
                "story_id": story.pk,
                "title": story.title,
                "language": story.language,
                "first_seen_at": story.first_seen_at.isoformat(),
                "reports": row["reports"],
                "unique_reports": row["unique_reports"],
                "outlet_countries": row["outlet_countries"],
                **tone_fields(row),
            }
        )
    return IndicatorResult(
        [
            "rank",
            "story_id",
            "title",
            "language",
            "first_seen_at",
            "reports",
            "unique_reports",
            "outlet_countries",
            "mean_tone",
            "pct_positive",
            "pct_negative",
        ],
        rows,
    )


def coverage_by_country(filters: MeasureFilters) -> IndicatorResult:
    """Reports per outlet country (Source.country; "" when the source or its country is
    unknown), largest first."""
    counts = _coverage_rollup(filters)
    if counts is None:
        counts = _coverage_exact(filters)
    rows = [
        {
            "country": country,
            "reports": int(row["reports"]),
            "unique_reports": int(row["unique_reports"]),
            "stories": int(row["stories"]),
            **tone_fields(row),
        }
        for country, row in sorted(counts.items(), key=lambda kv: (-kv[1]["reports"], kv[0]))
        if row["reports"]
    ]
    return IndicatorResult(
        [
            "country",
            "reports",
            "unique_reports",
            "stories",
            "mean_tone",
            "pct_positive",
            "pct_negative",
        ],
        rows,
        {"countries": sum(1 for r in rows if r["country"])},
    )


def _coverage_exact(filters: MeasureFilters) -> dict[str, Row]:
    toned = Q(tone_score__isnull=False)
    return {
        row["outlet_country"]: row
        for row in report_queryset(filters)
        .annotate(outlet_country=Coalesce("source__country", Value("")))
        .values("outlet_country")
        .annotate(
            reports=Count("id"),
            unique_reports=Count("id", filter=Q(duplicate_of__isnull=True)),
            stories=Count("story_id", distinct=True),
            mean_tone=Avg("tone_score"),
            toned=Count("id", filter=toned),
            positive=Count("id", filter=toned & Q(tone_label="positive")),
            negative=Count("id", filter=toned & Q(tone_label="negative")),
        )
        .order_by()
    }


def _coverage_rollup(filters: MeasureFilters) -> dict[str, Row] | None:
    """The same rows from the roll-ups: report counts and tone sums per outlet country from
    ReportRollup, distinct stories per outlet country from StoryCountryRollup. Period,
    language and outlet country only (the story rows are not split further)."""
    if filters.source_kind or filters.tone or filters.dimension:
        return None
    if not rollups.period_supported(filters):
        return None
    base = rollups.rollup_rows(
        ReportRollup, rollups.REPORT_SETS, filters, group_column="outlet_country"
    )
    if base is None or not rollups.rollups_current():
        return None
    stories = rollups.story_country_counts(filters)
    out: dict[str, Row] = {}
    for row in (
        base.values("outlet_country")
        .annotate(reports=Sum("reports"), unique_reports=Sum("unique_reports"), **rollups.TONE_SUMS)
        .order_by()
    ):
        toned = int(row["toned"] or 0)
        out[row["outlet_country"]] = {
            "reports": int(row["reports"] or 0),
            "unique_reports": int(row["unique_reports"] or 0),
            "stories": stories.get(row["outlet_country"], 0),
            "mean_tone": float(row["tone_sum"]) / toned if toned else None,
            "toned": toned,
            "positive": int(row["positive"] or 0),
            "negative": int(row["negative"] or 0),
        }
    return out


def _province_name(slug: str) -> str:
    organisation = Organisation.objects.filter(slug=slug).first()
    return organisation.display_name if organisation else slug


def province(filters: MeasureFilters) -> IndicatorResult:
    """What the world says about one province: reports naming it (or one of the former units
    now part of it) per time bucket, with tone. Needs `filters.province`."""
    if not filters.province:
        return IndicatorResult(
            ["bucket", "reports", "unique_reports", "stories", "mean_tone"], [], {}
        )
    reports = report_queryset(filters)
    found = {
        row["bucket"]: row
        for row in reports.annotate(bucket=Bucket("published_at", kind=filters.bucket))
        .values("bucket")
        .annotate(
            reports=Count("id"),
            unique_reports=Count("id", filter=Q(duplicate_of__isnull=True)),
            stories=Count("story_id", distinct=True),
            **_tone_aggregates(),
        )
    }
    rows = []
    for start in _buckets(filters) or sorted(found):
        row = found.get(start)
        rows.append(
            {
                "bucket": start.isoformat(),
                "reports": row["reports"] if row else 0,
                "unique_reports": row["unique_reports"] if row else 0,
                "stories": row["stories"] if row else 0,
                **(
                    tone_fields(row)
                    if row
                    else {"mean_tone": None, "pct_positive": None, "pct_negative": None}
                ),
            }
        )
    totals = reports.aggregate(
        reports=Count("id"),
        unique_reports=Count("id", filter=Q(duplicate_of__isnull=True)),
        stories=Count("story_id", distinct=True),
        **_tone_aggregates(),
    )
    return IndicatorResult(
        [
            "bucket",
            "reports",
            "unique_reports",
            "stories",
            "mean_tone",
            "pct_positive",
            "pct_negative",
        ],
        rows,
        {
            "province": filters.province,
            "province_name": _province_name(filters.province),
            "unit_keys": list(filters.province_keys),
            "reports": totals["reports"],
            "unique_reports": totals["unique_reports"],
            "stories": totals["stories"],
            **tone_fields(totals),
        },
    )


# --- the registry ---------------------------------------------------------------------------

_RELEVANT = _(
    "Chỉ tính bài báo mà khâu đánh giá mức liên quan xác định là nói về Việt Nam "
    "(is_relevant), theo ngày đăng (giờ Việt Nam)."
)

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        key="volume",
        version=2,
        title=_("Lượng tin: bài báo và câu chuyện"),
        counts=_(
            "Theo từng ngày/tuần/tháng: số bài báo; số bài gốc (không phải bản sao của bài "
            "khác: duplicate_of trống); số câu chuyện khác nhau mà các bài đó thuộc về. Một "
            "câu chuyện kéo dài qua hai kỳ được tính ở cả hai kỳ; cột tổng đếm mỗi câu chuyện "
            "một lần."
        ),
        stages=("fetch", "normalize", "language", "dedupe", "relevance", "cluster"),
        unit=_("bài báo; câu chuyện"),
        notes=_RELEVANT,
        chart="line",
        compute=volume,
        changes=(
            (1, _("Định nghĩa đầu tiên.")),
            (
                2,
                _(
                    "Tính từ bảng tổng hợp theo ngày khi bộ lọc cho phép (cùng kết quả như khi "
                    "tính từ từng bài); bài đăng trong phần nghìn giây cuối của một ngày không "
                    "còn bị xếp sang ngày hôm sau (SQLite)."
                ),
            ),
        ),
    ),
    Indicator(
        key="share_of_voice",
        version=2,
        title=_("Tỷ lệ tiếng nói so với các nước"),
        counts=_(
            "Với mỗi nước trong nhóm so sánh (cấu hình TTDN_PEER_COUNTRIES, mặc định VN, TH, "
            "ID, MY, PH, SG, KH, LA, CN): số bài báo đã lưu có nhắc đến nước đó (địa danh loại "
            "quốc gia); tỷ lệ = số đó chia cho tổng số lượt bài nhắc đến các nước trong nhóm. "
            "Một bài nhắc hai nước được tính cho cả hai."
        ),
        stages=("fetch", "normalize", "language", "dedupe", "relevance"),
        unit=_("bài báo; phần trăm"),
        notes=_(
            "Tính trên mọi bài báo đã lưu từ các nguồn đang theo dõi (không chỉ bài về Việt "
            "Nam), để so sánh các nước trên cùng một tập báo chí."
        ),
        chart="bar",
        compute=share_of_voice,
        changes=(
            (1, _("Định nghĩa đầu tiên.")),
            (
                2,
                _("Tính từ bảng tổng hợp theo ngày khi bộ lọc cho phép; các con số không đổi."),
            ),
        ),
    ),
    Indicator(
        key="tone",
        version=2,
        title=_("Sắc thái theo thời gian"),
        counts=_(
            "Theo từng kỳ và từng nhóm (quốc gia của cơ quan báo chí, ngôn ngữ hoặc khía cạnh "
            "hình ảnh quốc gia): điểm sắc thái trung bình của bài báo (từ −1 đến 1); phần trăm "
            "bài tích cực và tiêu cực trong số bài có nhãn sắc thái. Chỉ hiện 8 nhóm lớn nhất."
        ),
        stages=("fetch", "normalize", "language", "relevance", "tone", "dimensions"),
        unit=_("điểm (−1…1); phần trăm"),
        notes=_RELEVANT,
        chart="line",
        compute=tone,
        changes=(
            (1, _("Định nghĩa đầu tiên.")),
            (
                2,
                _(
                    "Tính từ bảng tổng hợp theo ngày khi bộ lọc cho phép; bài không có nguồn và "
                    "nguồn không rõ quốc gia gộp thành một nhóm; các nhóm bằng nhau xếp theo "
                    "tên."
                ),
            ),
        ),
    ),
    Indicator(
        key="top_stories",
        version=1,
        title=_("Câu chuyện nổi bật"),
        counts=_(
            "Các câu chuyện có nhiều bài gốc nhất trong kỳ theo bộ lọc; kèm số bài, số quốc "
            "gia của cơ quan báo chí và sắc thái trung bình của các bài đó."
        ),
        stages=("fetch", "dedupe", "relevance", "cluster", "tone"),
        unit=_("bài báo"),
        notes=_RELEVANT,
        chart="table",
        compute=top_stories,
        changes=((1, _("Định nghĩa đầu tiên.")),),
    ),
    Indicator(
        key="coverage_by_country",
        version=2,
        title=_("Đưa tin theo quốc gia của cơ quan báo chí"),
        counts=_(
            "Số bài báo, bài gốc và câu chuyện theo quốc gia của nguồn tin (Source.country), "
            "kèm sắc thái. Bài nhập từ tệp không có nguồn được tính vào nhóm “không rõ”."
        ),
        stages=("fetch", "dedupe", "relevance", "cluster", "tone"),
        unit=_("bài báo"),
        notes=_RELEVANT,
        chart="map",
        compute=coverage_by_country,
        changes=(
            (1, _("Định nghĩa đầu tiên.")),
            (
                2,
                _(
                    "Tính từ bảng tổng hợp theo ngày khi bộ lọc cho phép (cùng kết quả như khi "
                    "tính từ từng bài); bài không có nguồn và nguồn không rõ quốc gia gộp thành "
                    "một nhóm; phần trăm tích cực, tiêu cực chỉ tính bài có điểm sắc thái."
                ),
            ),
        ),
    ),
    Indicator(
        key="province",
        version=1,
        title=_("Thế giới nói gì về một tỉnh, thành phố"),
        counts=_(
            "Bài báo nhắc đến tỉnh, thành phố (địa danh loại đơn vị hành chính, theo 34 đơn vị "
            "từ 1/7/2025), theo từng kỳ, kèm sắc thái. Tên của các tỉnh cũ đã sáp nhập được "
            "tính cho tỉnh mới (ví dụ Đắk Nông, Bình Thuận → Lâm Đồng)."
        ),
        stages=("fetch", "dedupe", "relevance", "cluster", "tone"),
        unit=_("bài báo"),
        notes=_RELEVANT,
        chart="line",
        compute=province,
        changes=((1, _("Định nghĩa đầu tiên.")),),
    ),
)

INDICATOR_KEYS = tuple(i.key for i in INDICATORS)


def indicator_get(key: str) -> Indicator:
    for indicator in INDICATORS:
        if indicator.key == key:
            return indicator
    raise KeyError(key)


def indicator_compute(key: str, filters: MeasureFilters) -> IndicatorResult:
    return indicator_get(key).compute(filters)
