"""`ttdn bench queries [--limit N]`: dashboard and search query latency at volume.

What it does
1. Runs itself in a subprocess with its own data directory, `$TTDN_DATA_DIR/bench-queries/`
   (SQLite there, with the platform's own SQLite settings), so the benchmark never writes into
   the real database. To measure PostgreSQL, give an empty database in
   `TTDN_BENCH_DATABASE_URL=postgresql://…`.
2. Migrates that database and fills it with `limit` reports (default 1,000,000; ≈ 10 per
   story) whose languages, outlet countries, tones, places and dimensions follow realistic
   skewed distributions, over the last two years; bulk inserts in batches, a tqdm bar on
   stderr; then Measure's daily roll-ups are rebuilt from them in the database (the bulk
   inserts go around the pipeline, which keeps them otherwise). A database that already
   holds the same benchmark volume is reused as it is (roll-ups rebuilt if not current).
   It refuses a database holding any report that is not benchmark data, unless
   `TTDN_BENCH_ALLOW_EXISTING=1`.
3. Times the morning overview (`overview`: its headline figures, rising stories and map),
   each dashboard indicator and search query `TTDN_BENCH_REPEAT` times (default 15)
   after one warm-up run, and prints JSON: reports, stories, database, p50_ms / p95_ms over
   all runs, and per query.

Latency is for the selector (the SQL plus building the rows), not HTTP. The 90-day queries
are what the dashboard runs when it opens.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH_HOST = "https://bench.ttdn.invalid/"
DEFAULT_LIMIT = 1_000_000
BATCH = 5000
SPAN_DAYS = 730

LANGUAGES = {
    "en": 40, "vi": 12, "fr": 7, "zh": 8, "ja": 5, "de": 5, "es": 5, "ru": 4, "ko": 4,
    "th": 3, "id": 2, "it": 2, "pt": 1, "ar": 1, "lo": 0.5, "km": 0.5,
}  # fmt: skip
COUNTRIES = {
    "US": 18, "GB": 12, "VN": 10, "CN": 8, "FR": 7, "JP": 6, "DE": 5, "SG": 4, "AU": 4,
    "KR": 4, "TH": 3, "IN": 3, "RU": 3, "ES": 2, "IT": 2, "CA": 2, "ID": 2, "MY": 2,
    "PH": 1, "KH": 1, "LA": 0.5, "QA": 1, "BR": 1,
}  # fmt: skip
PEER_MENTIONS = {"TH": 0.10, "CN": 0.14, "SG": 0.06, "MY": 0.05, "ID": 0.05, "PH": 0.05,
                 "KH": 0.03, "LA": 0.02}  # fmt: skip
UNITS = {
    "ha-noi": 20, "ho-chi-minh": 20, "da-nang": 8, "hai-phong": 5, "quang-ninh": 5,
    "lam-dong": 4, "khanh-hoa": 4, "hue": 4, "can-tho": 3, "lao-cai": 2, "an-giang": 2,
    "dong-nai": 2, "ninh-binh": 2,
}  # fmt: skip
FORMER = {"lam-dong": "dak-nong", "ho-chi-minh": "binh-duong", "khanh-hoa": "ninh-thuan"}
DIMENSIONS = ["exports", "governance", "culture_heritage", "people", "tourism",
              "investment_immigration", "international_relations", "education_science"]  # fmt: skip
WORDS = (  # noqa: SIM905 - easier to edit as prose
    "Viet Nam Vietnam Hanoi economy growth exports investment tourism visitors government "
    "policy trade agreement coffee rice electronics factory manufacturing supply chain "
    "Đà Lạt Hạ Long Hội An Sa Pa Mekong delta culture heritage festival cuisine pho "
    "xuất khẩu đầu tư du lịch kinh tế tăng trưởng chính phủ hợp tác văn hóa lễ hội "
    "climate flood typhoon energy solar wind infrastructure railway airport port "
    "education university students technology startups semiconductors diplomacy summit"
).split()
RARE = "dã quỳ"  # appears in a few hundred reports: the "rare term" search


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


# --- parent: set up the separate data directory and run the worker ----------------------------


def main(ns: argparse.Namespace) -> dict[str, Any]:
    limit = int(getattr(ns, "limit", None) or DEFAULT_LIMIT)
    if os.environ.get("TTDN_BENCH_WORKER") == "1":
        return run(limit)
    base = Path(os.environ.get("TTDN_DATA_DIR", "data")).expanduser().resolve()
    env = dict(os.environ, TTDN_BENCH_WORKER="1", TTDN_DATA_DIR=str(base / "bench-queries"))
    env.pop("TTDN_DATABASE_URL", None)
    if os.environ.get("TTDN_BENCH_DATABASE_URL"):
        env["TTDN_DATABASE_URL"] = os.environ["TTDN_BENCH_DATABASE_URL"]
    completed = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "ttdn.benchmarks.queries", "--limit", str(limit)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise SystemExit(completed.returncode)
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


# --- worker --------------------------------------------------------------------------------


def run(limit: int) -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ttdn.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from ttdn.accounts.services import organisations_load
    from ttdn.measure.rollups import rollups_current
    from ttdn.measure.services import rollups_rebuild
    from ttdn.monitor.models import Report, Story

    call_command("migrate", "--noinput", verbosity=0)
    organisations_load()
    foreign = Report.objects.exclude(url__startswith=BENCH_HOST).count()
    if foreign and os.environ.get("TTDN_BENCH_ALLOW_EXISTING") != "1":
        raise SystemExit(
            f"bench queries: the database holds {foreign} reports that are not benchmark "
            "data; use an empty database (TTDN_BENCH_DATABASE_URL) or set "
            "TTDN_BENCH_ALLOW_EXISTING=1"
        )
    existing = Report.objects.filter(url__startswith=BENCH_HOST).count()
    rebuild_s = None
    if existing != limit:
        if existing:
            _delete_bench_data()
        _generate(limit)
    if existing != limit or not rollups_current():
        # the generator bulk-inserts around the pipeline, so the daily roll-ups are
        # computed afterwards in the database, as `ttdn manage rollups_rebuild` does
        started = time.perf_counter()
        rollups_rebuild()
        rebuild_s = round(time.perf_counter() - started, 1)
        print(f"roll-ups rebuilt in {rebuild_s} s", file=sys.stderr)
        with connection.cursor() as cursor:
            # fresh statistics (and on PostgreSQL a visibility map, so index-only scans work),
            # as a live database gets from autovacuum
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    stories = Story.objects.filter(cluster_key__startswith="bench:").count()
    queries = _time_queries(int(os.environ.get("TTDN_BENCH_REPEAT", "15")))
    all_runs = [ms for runs in queries.values() for ms in runs]
    settings_db = connection.settings_dict
    return {
        "reports": Report.objects.count(),
        "stories": stories,
        "database": f"{connection.vendor} {connection.Database.sqlite_version}"
        if connection.vendor == "sqlite"
        else f"{connection.vendor} {connection.pg_version}",
        "database_name": str(settings_db["NAME"]),
        "repeat": len(next(iter(queries.values()))),
        "rollups_current": rollups_current(),
        "rollups_rebuild_s": rebuild_s,
        "p50_ms": round(statistics.median(all_runs), 1),
        "p95_ms": round(_p95(all_runs), 1),
        "queries": {
            name: {"p50_ms": round(statistics.median(r), 1), "p95_ms": round(_p95(r), 1)}
            for name, r in queries.items()
        },
    }


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def _delete_bench_data() -> None:
    """Remove earlier benchmark rows with plain SQL: the ORM's cascade collector would load a
    million ids into Python (and walk every app's relations) first."""
    from django.db import connection, transaction

    bench = BENCH_HOST + "%"
    statements = [
        ("UPDATE monitor_story SET first_report_id = NULL WHERE cluster_key LIKE %s", "bench:%"),
        (
            "DELETE FROM monitor_placemention WHERE report_id IN "
            "(SELECT id FROM monitor_report WHERE url LIKE %s)",
            bench,
        ),
        (
            "UPDATE monitor_report SET duplicate_of_id = NULL, story_id = NULL WHERE url LIKE %s",
            bench,
        ),
        ("DELETE FROM monitor_report WHERE url LIKE %s", bench),
        ("DELETE FROM monitor_story WHERE cluster_key LIKE %s", "bench:%"),
        ("DELETE FROM monitor_source WHERE name LIKE %s", "bench %"),
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for sql, param in statements:
            cursor.execute(sql, [param])


def _generate(limit: int) -> None:
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone
    from tqdm import tqdm

    from ttdn.monitor.models import PlaceMention, Report, Source, Story

    rng = random.Random(20250701)  # noqa: S311 - reproducible synthetic data
    sources = []
    for i in range(300):
        country = _pick(rng, COUNTRIES)
        kind = "international"
        if country == "VN":
            kind = "own" if rng.random() < 0.2 else "domestic"
        sources.append(
            Source(
                name=f"bench {i}", outlet=f"Outlet {i}", country=country, kind=kind, active=False
            )
        )
    Source.objects.bulk_create(sources)
    sources = list(Source.objects.filter(name__startswith="bench ").order_by("id"))
    now = timezone.now()
    next_report = (Report.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    next_story = (Story.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    progress = tqdm(total=limit, unit=" reports", desc="bench data", file=sys.stderr)
    made = 0
    while made < limit:
        stories, reports, places = [], [], []
        while len(reports) < BATCH and made + len(reports) < limit:
            size = min(max(1, int(rng.expovariate(1 / 10)) + 1), limit - made - len(reports))
            start = now - dt.timedelta(days=SPAN_DAYS * rng.random() ** 0.8)
            language = _pick(rng, LANGUAGES)
            story_id = next_story
            next_story += 1
            first_id = next_report
            title = " ".join(rng.choices(WORDS, k=8)).capitalize()
            stories.append(
                Story(
                    id=story_id,
                    language=language,
                    title=title,
                    cluster_key=f"bench:{story_id}",
                    first_seen_at=start,
                    last_seen_at=start + dt.timedelta(days=3),
                    report_count=size,
                    unique_report_count=size,
                    tone_mean=0.0,
                    first_report_id=None,
                )
            )
            for n in range(size):
                rid = next_report
                next_report += 1
                reports.append(_report(rng, rid, story_id, first_id, n, start, language, sources))
                places.extend(_places(rng, rid))
        with transaction.atomic():
            Story.objects.bulk_create(stories)
            Report.objects.bulk_create(reports)
            PlaceMention.objects.bulk_create(places)
        made += len(reports)
        progress.update(len(reports))
    progress.close()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE monitor_story SET first_report_id = (SELECT min(r.id) FROM monitor_report r "
            "WHERE r.story_id = monitor_story.id) WHERE cluster_key LIKE 'bench:%%'"
        )
        if connection.vendor == "postgresql":
            for sql in connection.ops.sequence_reset_sql(
                no_style(), [Report, Story, PlaceMention, Source]
            ):
                cursor.execute(sql)


def _report(
    rng: random.Random,
    rid: int,
    story_id: int,
    first_id: int,
    n: int,
    start: dt.datetime,
    language: str,
    sources: list[Any],
) -> Any:
    from ttdn.monitor.models import Report

    label = rng.choices(["positive", "neutral", "negative"], weights=[30, 50, 20])[0]
    score = {
        "positive": rng.uniform(0.2, 1),
        "neutral": rng.uniform(-0.2, 0.2),
        "negative": rng.uniform(-1, -0.2),
    }[label]
    dims = {
        d: round(rng.uniform(0.5, 3), 2) for d in rng.sample(DIMENSIONS, rng.choice([0, 1, 1, 2]))
    }
    words = rng.choices(WORDS, k=40)
    if rng.random() < 0.0005:
        words.insert(5, RARE)
    url = f"{BENCH_HOST}{rid}"
    return Report(
        id=rid,
        source=rng.choice(sources),
        url=url,
        canonical_url=url,
        url_hash=f"{rid:064x}",
        title=" ".join(words[:9]),
        text=" ".join(words) + ".",
        published_at=start + dt.timedelta(hours=rng.uniform(0, 72)),
        language=language,
        language_confidence=0.95,
        duplicate_of_id=first_id if n and rng.random() < 0.15 else None,
        story_id=story_id,
        is_relevant=rng.random() < 0.9,
        relevance_score=0.8,
        tone_score=score,
        tone_label=label,
        tone_confidence=0.7,
        dimensions=dims,
    )


def _places(rng: random.Random, rid: int) -> list[Any]:
    from ttdn.monitor.models import PlaceMention

    out = []
    if rng.random() < 0.9:
        out.append(("country", "VN"))
    for code, p in PEER_MENTIONS.items():
        if rng.random() < p:
            out.append(("country", code))
    if rng.random() < 0.35:
        unit = _pick(rng, UNITS)
        if unit in FORMER and rng.random() < 0.1:
            unit = FORMER[unit]
        out.append(("unit", unit))
    return [
        PlaceMention(report_id=rid, kind=kind, key=key, alias=key, start=0, end=1)
        for kind, key in out
    ]


def _time_queries(repeat: int) -> dict[str, list[float]]:
    from ttdn.measure.filters import filters_parse
    from ttdn.measure.indicators import indicator_compute
    from ttdn.measure.overview import overview_figures, period_filters, story_rising_list
    from ttdn.measure.selectors import report_metadata_list, report_search_page, story_search
    from ttdn.monitor.story_table import story_filters_parse, story_table

    d90 = {}
    year = {"date_from": (dt.date.today() - dt.timedelta(days=364)).isoformat(), "bucket": "month"}
    week, _before = period_filters(7, dt.date.today())

    def overview() -> object:
        # what the morning overview reads on the server: the headline figures for 7 days
        # and the 7 before, the rising stories of 24 hours, and the map's coverage by country
        return (
            overview_figures(days=7),
            story_rising_list(),
            indicator_compute("coverage_by_country", week),
        )

    cases: dict[str, Callable[[], object]] = {
        "overview": overview,
        # the story list (/theo-doi/): its 100 rows with their columns, as it opens and
        # filtered by a mid-sized outlet country and by tone
        "story_list_100": lambda: story_table(story_filters_parse({})),
        "story_list_country_fr_negative": lambda: story_table(
            story_filters_parse({"country": "FR", "tone": "negative"})
        ),
        "volume_90d": lambda: indicator_compute("volume", filters_parse(d90)),
        "volume_365d_month": lambda: indicator_compute("volume", filters_parse(year)),
        "volume_90d_lang_fr": lambda: indicator_compute(
            "volume", filters_parse({"language": "fr"})
        ),
        "share_of_voice_90d": lambda: indicator_compute("share_of_voice", filters_parse(d90)),
        "tone_by_country_90d": lambda: indicator_compute("tone", filters_parse(d90)),
        "tone_by_language_90d": lambda: indicator_compute(
            "tone", filters_parse({"group_by": "language"})
        ),
        "tone_by_dimension_90d": lambda: indicator_compute(
            "tone", filters_parse({"group_by": "dimension"})
        ),
        "top_stories_90d": lambda: indicator_compute("top_stories", filters_parse(d90)),
        "coverage_by_country_90d": lambda: indicator_compute(
            "coverage_by_country", filters_parse(d90)
        ),
        "province_lam_dong_90d": lambda: indicator_compute(
            "province", filters_parse({"province": "lam-dong"})
        ),
        "open_api_reports_page_100": lambda: report_metadata_list(
            filters=filters_parse(d90), limit=101
        ),
        # what the search page runs: the capped count and the first 25 (period optional there)
        "search_common_first_page": lambda: report_search_page(query="du lịch Hội An"),
        "search_common_first_page_lang_fr": lambda: report_search_page(
            query="du lịch Hội An", filters=filters_parse({"language": "fr"}, require_period=False)
        ),
        "search_common_page_10": lambda: report_search_page(query="du lịch Hội An", page=10),
        "search_rare_first_page": lambda: report_search_page(query=RARE),
        "search_stories": lambda: list(story_search(query="Đà Lạt festival")[:10]),
    }
    timings: dict[str, list[float]] = {}
    for name, case in cases.items():
        case()  # warm-up: the first run pays for cold caches
        runs = []
        for _ in range(repeat):
            started = time.perf_counter()
            case()
            runs.append((time.perf_counter() - started) * 1000)
        timings[name] = runs
        print(f"{name}: p50 {statistics.median(runs):.1f} ms", file=sys.stderr)
    return timings


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT)
    print(json.dumps(run(parser.parse_args().limit), ensure_ascii=False))
