"""Synthetic archive for `ttdn bench queries`: a million reports in minutes, not hours.

Why a generator of its own: the ORM's `bulk_create` builds a model instance per row and
the pipeline stores one report per transaction, which put a million reports at ≈ 1 h 40 min
on the shared machine. Here every row is a plain tuple written with `executemany` in large
transactions (SQLite's syncs relaxed for the load only), and nothing is written that
production would not write:

- each story's own columns (report counts, first and latest report, mean tone, summed
  dimensions, outlet countries and places) are computed from its generated reports with
  `ttdn.monitor.store`'s rules (`story_aggregate` below is checked against them by
  tests/benchmarks/test_bulkdata.py);
- a former provincial unit is stored as production's place stage stores it: the current
  unit's key with the former name as alias and `is_former_name`;
- no date lies in the future;
- the daily roll-ups are then computed from the inserted rows by the database with
  `measure.services.rollups_rebuild`, the same statements `ttdn manage rollups_rebuild`
  runs in production, so the roll-ups can never disagree with the reports.

Distributions (skewed as the world's coverage is): languages, outlet countries, tones with a
per-story centre, 0–2 nation-brand dimensions per report, mentions of peers and provinces,
story sizes mostly around ten with a long tail, story starts over two years with more in
recent months.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ttdn.monitor.story_facets import facets_add

BENCH_HOST = "https://bench.ttdn.invalid/"
SPAN_DAYS = 730
CHUNK = 20_000  # reports per transaction
TEXT_POOL = 20_000

LANGUAGES = {
    "en": 40, "vi": 12, "fr": 7, "zh": 8, "ja": 5, "de": 5, "es": 5, "ru": 4, "ko": 4,
    "th": 3, "id": 2, "it": 2, "pt": 1, "ar": 1, "lo": 0.5, "km": 0.5,
}  # fmt: skip
COUNTRIES = {
    "US": 18, "GB": 12, "VN": 10, "CN": 8, "FR": 7, "JP": 6, "DE": 5, "SG": 4, "AU": 4,
    "KR": 4, "TH": 3, "IN": 3, "RU": 3, "ES": 2, "IT": 2, "CA": 2, "ID": 2, "MY": 2,
    "PH": 1, "KH": 1, "LA": 0.5, "QA": 1, "BR": 1,
}  # fmt: skip
# where a language's outlets are (the rest: any country, by COUNTRIES' weights)
LANGUAGE_HOME = {
    "vi": "VN", "fr": "FR", "zh": "CN", "ja": "JP", "de": "DE", "es": "ES", "ru": "RU",
    "ko": "KR", "th": "TH", "id": "ID", "it": "IT", "pt": "BR", "lo": "LA", "km": "KH",
}  # fmt: skip
PEER_MENTIONS = {"TH": 0.10, "CN": 0.14, "SG": 0.06, "MY": 0.05, "ID": 0.05, "PH": 0.05,
                 "KH": 0.03, "LA": 0.02}  # fmt: skip
UNITS = {
    "ha-noi": 20, "ho-chi-minh": 20, "da-nang": 8, "hai-phong": 5, "quang-ninh": 5,
    "lam-dong": 4, "khanh-hoa": 4, "hue": 4, "can-tho": 3, "lao-cai": 2, "an-giang": 2,
    "dong-nai": 2, "ninh-binh": 2,
}  # fmt: skip
# current unit → (former unit's name as written): reports still name the merged provinces
FORMER = {"lam-dong": "Đắk Nông", "ho-chi-minh": "Bình Dương", "khanh-hoa": "Ninh Thuận"}
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
TONE_EDGE = 0.2  # a report's tone label from its score (the tone stage's bands)

REPORT_COLUMNS = (
    "id", "source_id", "url", "canonical_url", "url_hash", "title", "text", "author",
    "published_at", "published_at_estimated", "fetched_at", "stored_at", "language",
    "language_confidence", "fingerprint", "duplicate_of_id", "story_id", "is_relevant",
    "relevance_score", "tone_score", "tone_label", "tone_confidence", "country_tone_score",
    "country_tone_label", "dimensions",
)  # fmt: skip
STORY_COLUMNS = (
    "id", "language", "title", "first_report_id", "cluster_key", "first_seen_at",
    "last_seen_at", "report_count", "unique_report_count", "tone_mean", "dimensions",
    "countries", "places",
)  # fmt: skip
MENTION_COLUMNS = ("report_id", "kind", "key", "alias", "is_former_name", "start", '"end"')


@dataclass
class BenchReport:
    """One generated report, before it becomes a row."""

    id: int
    story_id: int
    source: tuple[int, str]  # (id, country)
    published_at: dt.datetime
    language: str
    duplicate_of_id: int | None
    is_relevant: bool
    tone_score: float
    tone_label: str
    dimensions: dict[str, float]
    places: list[tuple[str, str, str, bool]]  # (kind, key, alias, is_former_name)
    words: list[str] = field(default_factory=list)


def _picker(rng: random.Random, weights: dict[str, float]) -> Callable[[], str]:
    keys, cum = list(weights), []
    total = 0.0
    for w in weights.values():
        total += w
        cum.append(total)

    def pick() -> str:
        return rng.choices(keys, cum_weights=cum)[0]

    return pick


def rng_words(rng: random.Random) -> list[str]:
    return rng.choices(WORDS, k=40)


def story_aggregate(reports: Sequence[BenchReport]) -> dict[str, Any]:
    """A story's own columns from its reports, with `store._story_attach`'s rules: counts
    (unique = not a copy), first and latest publication, the first report (earliest
    published), mean tone over toned reports, dimension scores summed, and the outlet
    countries and places (`monitor.story_facets`)."""
    first = min(reports, key=lambda r: (r.published_at, r.id))
    tones = [r.tone_score for r in reports if r.tone_score is not None]
    dims: dict[str, float] = {}
    countries: dict[str, int] = {}
    places: dict[str, int] = {}
    for r in reports:
        for name, score in r.dimensions.items():
            dims[name] = dims.get(name, 0) + float(score)
        facets_add(countries, places, r.source[1], [(kind, key) for kind, key, *_ in r.places])
    return {
        "first_report_id": first.id,
        "first_seen_at": first.published_at,
        "last_seen_at": max(r.published_at for r in reports),
        "report_count": len(reports),
        "unique_report_count": sum(1 for r in reports if r.duplicate_of_id is None),
        "tone_mean": sum(tones) / len(tones) if tones else None,
        "dimensions": dims,
        "countries": countries,
        "places": places,
    }


class Generator:
    """Stories with their reports and mentions, reproducible from the seed."""

    def __init__(
        self, sources: list[tuple[int, str]], now: dt.datetime, seed: int = 20250701
    ) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data
        self.now = now
        self.language = _picker(self.rng, LANGUAGES)
        self.unit = _picker(self.rng, UNITS)
        self.by_country: dict[str, list[tuple[int, str]]] = {}
        for source in sources:
            self.by_country.setdefault(source[1], []).append(source)
        self.sources = sources
        # texts drawn from a pool: 40 random words per report is most of the generator's
        # time, and the pool still gives every word its frequency
        self.texts = [rng_words(self.rng) for _ in range(TEXT_POOL)]

    def size(self) -> int:
        rng = self.rng
        if rng.random() < 0.01:  # the few big stories of a year (summits, typhoons)
            return int(rng.uniform(50, 400))
        return max(1, int(rng.expovariate(1 / 9)) + 1)

    def story(self, story_id: int, first_id: int, size: int) -> list[BenchReport]:
        rng = self.rng
        # more stories in recent months (a growing source list), none in the future
        age_days = SPAN_DAYS * rng.random() ** 1.3
        start = self.now - dt.timedelta(days=age_days)
        spread_h = min(72.0, max(0.1, age_days * 24 - 0.05))
        language = self.language()
        home = LANGUAGE_HOME.get(language)
        centre = rng.gauss(0.05, 0.3)  # a story leans one way; its reports scatter around
        reports = []
        for n in range(size):
            if home and home in self.by_country and rng.random() < 0.7:
                source = rng.choice(self.by_country[home])
            else:
                source = rng.choice(self.sources)
            score = max(-1.0, min(1.0, rng.gauss(centre, 0.25)))
            label = (
                "positive"
                if score >= TONE_EDGE
                else "negative"
                if score <= -TONE_EDGE
                else "neutral"
            )
            dims = {
                d: round(rng.uniform(0.5, 3), 2)
                for d in rng.sample(DIMENSIONS, rng.choice((0, 1, 1, 2)))
            }
            words = rng.choice(self.texts)
            if rng.random() < 0.0005:
                words = [*words[:5], RARE, *words[5:]]
            reports.append(
                BenchReport(
                    id=first_id + n,
                    story_id=story_id,
                    source=source,
                    published_at=start + dt.timedelta(hours=rng.uniform(0, spread_h)),
                    language=language,
                    duplicate_of_id=first_id if n and rng.random() < 0.15 else None,
                    is_relevant=rng.random() < 0.9,
                    tone_score=round(score, 4),
                    tone_label=label,
                    dimensions=dims,
                    places=self.places(),
                    words=words,
                )
            )
        return reports

    def places(self) -> list[tuple[str, str, str, bool]]:
        rng = self.rng
        out = []
        if rng.random() < 0.9:
            out.append(("country", "VN", "Viet Nam", False))
        for code, p in PEER_MENTIONS.items():
            if rng.random() < p:
                out.append(("country", code, code, False))
        if rng.random() < 0.35:
            unit = self.unit()
            if unit in FORMER and rng.random() < 0.1:
                out.append(("unit", unit, FORMER[unit], True))
            else:
                out.append(("unit", unit, unit, False))
        return out


def generate(limit: int, *, progress: Any = None) -> None:
    """Insert `limit` reports (≈ 10 per story) with their stories, sources and mentions."""
    from django.db import connection, transaction
    from django.utils import timezone

    from ttdn.monitor.models import Report, Source, Story

    seed_rng = random.Random(7)  # noqa: S311 - reproducible synthetic data
    country = _picker(seed_rng, COUNTRIES)
    sources = []
    for i in range(300):
        code = country()
        kind = "international"
        if code == "VN":
            kind = "own" if seed_rng.random() < 0.2 else "domestic"
        sources.append(
            Source(name=f"bench {i}", outlet=f"Outlet {i}", country=code, kind=kind, active=False)
        )
    Source.objects.bulk_create(sources)
    pairs = list(
        Source.objects.filter(name__startswith="bench ").order_by("id").values_list("id", "country")
    )
    now = timezone.now()
    gen = Generator(pairs, now)
    next_report = (Report.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    next_story = (Story.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    made = 0
    # (not inside a transaction: SQLite refuses to change the sync level there, as in tests)
    pragmas = connection.vendor == "sqlite" and not connection.in_atomic_block
    if pragmas:
        with connection.cursor() as cursor:
            # a throwaway database: a crash mid-load is answered by generating again
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-400000")
    try:
        while made < limit:
            stories: list[tuple[Any, ...]] = []
            reports: list[BenchReport] = []
            while len(reports) < CHUNK and made + len(reports) < limit:
                size = min(gen.size(), limit - made - len(reports))
                batch = gen.story(next_story, next_report, size)
                stories.append(_story_row(next_story, batch))
                reports.extend(batch)
                next_story += 1
                next_report += size
            _write(stories, reports, now, transaction)
            made += len(reports)
            if progress is not None:
                progress.update(len(reports))
    finally:
        if pragmas:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous=NORMAL")
    if connection.vendor == "postgresql":
        from django.core.management.color import no_style

        from ttdn.monitor.models import PlaceMention

        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(
                no_style(), [Report, Story, PlaceMention, Source]
            ):
                cursor.execute(sql)


def _story_row(story_id: int, reports: list[BenchReport]) -> tuple[Any, ...]:
    agg = story_aggregate(reports)
    title = " ".join(reports[0].words[:8]).capitalize()
    return (
        story_id,
        reports[0].language,
        title,
        agg["first_report_id"],
        f"bench:{story_id}",
        agg["first_seen_at"],
        agg["last_seen_at"],
        agg["report_count"],
        agg["unique_report_count"],
        agg["tone_mean"],
        json.dumps(agg["dimensions"]),
        json.dumps(agg["countries"]),
        json.dumps(agg["places"]),
    )


def _rows(
    reports: list[BenchReport], now: dt.datetime, adapt: Callable[[Any], Any]
) -> Iterator[tuple[Any, ...]]:
    for r in reports:
        url = f"{BENCH_HOST}{r.id}"
        fetched = adapt(min(now, r.published_at + dt.timedelta(minutes=7)))
        yield (
            r.id, r.source[0], url, url, f"{r.id:064x}", " ".join(r.words[:9]),
            " ".join(r.words) + ".", "", adapt(r.published_at), False, fetched, fetched,
            r.language, 0.95, "", r.duplicate_of_id, r.story_id, r.is_relevant, 0.8,
            r.tone_score, r.tone_label, 0.7, None, "", json.dumps(r.dimensions),
        )  # fmt: skip


def _write(
    stories: list[tuple[Any, ...]], reports: list[BenchReport], now: dt.datetime, transaction: Any
) -> None:
    from django.db import connection

    adapt: Callable[[Any], Any] = connection.ops.adapt_datetimefield_value
    if connection.vendor == "sqlite":
        # what Django's SQLite backend stores (UTC, naive, ISO with a space), without its
        # per-value checks: the generator's datetimes are all aware and in UTC
        def adapt(value: dt.datetime) -> str:
            return str(value.replace(tzinfo=None))

    json_cast = "::jsonb" if connection.vendor == "postgresql" else ""

    def insert(table: str, columns: Sequence[str], json_columns: Sequence[str] = ()) -> str:
        marks = ", ".join(f"%s{json_cast}" if c in json_columns else "%s" for c in columns)
        return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608 - constants

    story_rows = [(*row[:5], adapt(row[5]), adapt(row[6]), *row[7:]) for row in stories]
    mentions = [
        (r.id, kind, key, alias, former, 0, len(alias))
        for r in reports
        for kind, key, alias, former in r.places
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        # stories first: the reports point to them (the story's first report is checked
        # at commit, like every foreign key Django creates)
        cursor.executemany(
            insert("monitor_story", STORY_COLUMNS, ("dimensions", "countries", "places")),
            story_rows,
        )
        cursor.executemany(
            insert("monitor_report", REPORT_COLUMNS, ("dimensions",)),
            _rows(reports, now, adapt),
        )
        cursor.executemany(insert("monitor_placemention", MENTION_COLUMNS), mentions)


if __name__ == "__main__":  # pragma: no cover - a quick manual check of the rate
    print("use `ttdn bench queries`", file=sys.stderr)
