"""`ttdn bench queries [--limit N]`: dashboard and search query latency at volume.

What it does
1. Runs itself in a subprocess with its own data directory, `$TTDN_DATA_DIR/bench-queries/`
   (SQLite there, with the platform's own SQLite settings), so the benchmark never writes into
   the real database. To measure PostgreSQL, give an empty database in
   `TTDN_BENCH_DATABASE_URL=postgresql://…`.
2. Migrates that database and fills it with `limit` reports (default 1,000,000; ≈ 10 per
   story) whose languages, outlet countries, tones, places and dimensions follow realistic
   skewed distributions, over the last two years (`bulkdata.py`: plain-row inserts in large
   transactions, a tqdm bar on stderr); then Measure's daily roll-ups are rebuilt from them
   in the database (the bulk inserts go around the pipeline, which keeps them otherwise).
   A database that already holds the same benchmark volume is reused as it is (roll-ups
   rebuilt if not current).
   It refuses a database holding any report that is not benchmark data, unless
   `TTDN_BENCH_ALLOW_EXISTING=1`.
3. Times the morning overview (`overview`: its headline figures, rising stories and map;
   `overview_http_page` and `overview_http_map`: the page and its map's data as the server
   answers them, signed in), each dashboard indicator and search query `TTDN_BENCH_REPEAT`
   times (default 15) after one warm-up run, and prints JSON: reports, stories, database,
   p50_ms / p95_ms over all runs, and per query.

Latency is for the selector (the SQL plus building the rows), not HTTP. The 90-day queries
are what the dashboard runs when it opens.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ttdn.benchmarks.bulkdata import BENCH_HOST, RARE, generate

DEFAULT_LIMIT = 1_000_000


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
    from tqdm import tqdm

    progress = tqdm(total=limit, unit=" reports", desc="bench data", file=sys.stderr)
    generate(limit, progress=progress)
    progress.close()


def _overview_requests(week: Any) -> tuple[Callable[[], object], Callable[[], object]]:
    """GET the overview page and its map's data through Django's request handler, signed
    in as a central analyst of the steering committee (made once in the bench database)."""
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from ttdn.accounts.models import Organisation, Role, User

    user = User.objects.filter(username="bench-analyst").first()
    if user is None:
        user = User.objects.create_user(
            "bench-analyst",
            role=Role.CENTRAL_ANALYST,
            organisation=Organisation.objects.get(slug="ban-chi-dao-ttdn"),
        )
    client = Client()
    client.force_login(user)
    map_url = reverse("measure_data", args=["coverage_by_country"])
    map_params = {"date_from": week.date_from, "date_to": week.date_to, "bucket": "day"}

    def get(url: str, params: dict[str, Any] | None = None) -> object:
        with override_settings(ALLOWED_HOSTS=["testserver"]):
            response = client.get(url, params or {})
        if response.status_code != 200:
            raise SystemExit(f"bench queries: {url} answered {response.status_code}")
        return response

    return (lambda: get(reverse("overview"))), (lambda: get(map_url, map_params))


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

    page, map_data = _overview_requests(week)
    cases: dict[str, Callable[[], object]] = {
        "overview": overview,
        # the same as the server answers it: the page request (middleware, session, the
        # figures, rising stories, alerts and tasks tiles, the template) and the map's data
        # request, signed in as a central analyst
        "overview_http_page": page,
        "overview_http_map": map_data,
        # its two halves: what the page's own request computes (the map's data comes in a
        # second request, measure_data/coverage_by_country, drawn after the page shows)
        "overview_page": lambda: (overview_figures(days=7), story_rising_list()),
        "overview_map": lambda: indicator_compute("coverage_by_country", week),
        # the story list (/theo-doi/): its 100 rows with their columns, as it opens and
        # filtered by a mid-sized outlet country and by tone
        "story_list_100": lambda: story_table(story_filters_parse({})),
        "story_list_country_fr_negative": lambda: story_table(
            story_filters_parse({"country": "FR", "tone": "negative"})
        ),
        # the other filters: a rare outlet country, a province (with its former units), a
        # language with a dimension, and the largest stories first
        "story_list_country_la": lambda: story_table(story_filters_parse({"country": "LA"})),
        "story_list_place_lam_dong": lambda: story_table(
            story_filters_parse({"place": "lam-dong"})
        ),
        "story_list_lang_fr_tourism": lambda: story_table(
            story_filters_parse({"lang": "fr", "dimension": "tourism"})
        ),
        "story_list_by_size_country_fr": lambda: story_table(
            story_filters_parse({"sort": "reports", "country": "FR"})
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
