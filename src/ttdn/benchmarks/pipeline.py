"""`ttdn bench pipeline [--limit N] [--mix country|world]`: articles/s end to end (local feed
→ stored report and story) and per stage, and the peak memory of the process. Runs on its
own temporary SQLite database.

Mixes (decided by the same relevance rule the analyser's gate uses: about Viet Nam or a
share-of-voice peer, `ttdn.monitor.analysis.tracked_countries`):
- `country` (default): every article is about a tracked country, so every one goes through
  the model stages — the bundled demo corpus's such articles (DANeS vi, Wikipedia en,
  Wikinews ja, the few Global Voices posts that qualify), then Dân trí from ../shared/data.
- `world`: a world stream in which one article in ten is about a tracked country; the
  others (the demo's Global Voices posts about the Arab Spring, then ML-Crisis and ECB+
  documents from ../shared/data when present) are stored as counted, searchable reports
  without the model stages.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
import zlib
from typing import Any

from ttdn.benchmarks._site import BenchSite, bench_environment, serve
from ttdn.evaluation._common import shared_data_dir
from ttdn.pipeline import extract, language

Article3 = tuple[str, str, str]  # title, text, language
WORLD_TRACKED_EVERY = 10


def _shared_articles() -> tuple[list[Article3], list[Article3]]:
    """(Vietnamese Dân trí articles, world articles) from ../shared/data when present."""
    base = shared_data_dir()
    dantri: list[Article3] = []
    path = base / "vi_news_unc_dantri" / "unc_dantri_docs.jsonl"
    if path.exists():
        for line in path.open(encoding="utf-8"):
            row = json.loads(line)
            text = str(row.get("text") or row.get("content") or "")
            if text:
                dantri.append((str(row.get("title") or text[:80]), text, "vi"))
    world: list[Article3] = []
    for path, lang_key in (
        (base / "ml_crisis_multilingual_timelines" / "ml_crisis_docs.jsonl", "lang"),
        (base / "ecbplus_event_clusters" / "ecbplus_dev.jsonl", ""),
    ):
        if not path.exists():
            continue
        for line in path.open(encoding="utf-8"):
            row = json.loads(line)
            text = str(row.get("text") or "").strip()
            if len(text) < 200 or row.get("source_kind") == "globalvoices":  # GV: bundled
                continue
            title = str(row.get("title") or text.splitlines()[0])[:200]
            world.append((title, text, str(row.get(lang_key) or "en") if lang_key else "en"))
    return dantri, world


def _corpus(limit: int, mix: str = "country") -> list[Article3]:
    from ttdn.demo.corpus import corpus
    from ttdn.monitor.analysis import tracked_countries
    from ttdn.pipeline import relevance

    gazetteer = relevance.build_gazetteer()
    tracked_set = tracked_countries()

    def tracked(article: Article3) -> bool:  # the analyser's rule (Vietnamese always)
        if article[2] == "vi":
            return True
        rel = relevance.assess(gazetteer, title=article[0], text=article[1])
        return relevance.is_about_any(rel, tracked_set)

    def shuffled(articles: list[Article3]) -> list[Article3]:
        # interleave sources so the run sees every language early (deterministic)
        return sorted(articles, key=lambda a: zlib.crc32(a[0].encode("utf-8")))

    demo = [(i.title, i.text, i.lang) for i in corpus()]
    dantri, world = _shared_articles()
    about = shuffled([a for a in demo if tracked(a)]) + shuffled(dantri)
    if mix == "country":
        return about[:limit]
    others = shuffled([a for a in demo + world if not tracked(a)])
    out: list[Article3] = []
    while len(out) < limit and (about or others):
        if len(out) % WORLD_TRACKED_EVERY == 0 and about:
            out.append(about.pop(0))
        elif others:
            out.append(others.pop(0))
        else:
            break
    return out


def _rate(count: int, seconds: float) -> float:
    return round(count / seconds, 2) if seconds > 0 else 0.0


def _stages(articles: list[Article3], site_pages: list[bytes]) -> dict[str, Any]:
    from ttdn.monitor.analysis import tracked_countries
    from ttdn.monitor.services import INGEST_BATCH
    from ttdn.pipeline import cluster, dedupe, dimensions, extract, language, relevance, tone
    from ttdn.pipeline.analyse import EmbeddingCache
    from ttdn.pipeline.embed import E5Embedder, document_text
    from ttdn.pipeline.normalize import normalize_article

    timings: dict[str, float] = {}
    counts: dict[str, int] = {}

    def timed(name: str, func: Any, items: list[Any]) -> list[Any]:
        started = time.perf_counter()
        out = [func(x) for x in items]
        timings[name] = time.perf_counter() - started
        counts[name] = len(items)
        return out

    # the bench feed dates every item, so ingest extracts without the extensive date search
    extracted = timed("extract", lambda page: extract.extract(page, url="http://b/",
                                                              date_search=False), site_pages)
    normalised = timed("normalize", normalize_article, extracted)
    timed("language", lambda a: language.detect(f"{a.title}\n{a.text}"), normalised)
    gazetteer = relevance.build_gazetteer()
    tracked_set = tracked_countries()
    rels = timed("relevance", lambda a: relevance.assess(gazetteer, title=a.title, text=a.text),
                 normalised)  # fmt: skip
    # the model stages (and dedupe, in the consumer) run only on tracked-country articles
    modelled = [a for a, r, (_t, _x, lang) in zip(normalised, rels, articles, strict=True)
                if lang == "vi" or relevance.is_about_any(r, tracked_set)]  # fmt: skip
    index = dedupe.DedupeIndex()
    timed("dedupe", lambda a: dedupe.check(index, report_id=a.title, text=a.text), modelled)
    # embed as the monitor does: one batched call per poll (INGEST_BATCH), through the cache
    # that tone then reads, so a passage both stages need is embedded once
    cache = EmbeddingCache(E5Embedder())
    leads = [document_text(a.title, a.text) for a in modelled]
    started = time.perf_counter()
    for i in range(0, len(leads), INGEST_BATCH):
        cache.prefetch(leads[i : i + INGEST_BATCH])
    timings["embed"] = time.perf_counter() - started
    counts["embed"] = len(leads)
    vectors = list(cache.embed(leads)) if leads else []
    state = cluster.ClusterState()
    timed("cluster", lambda pair: cluster.assign(state, report_id=str(pair[0]), language="x",
          embedding=pair[1], title=modelled[pair[0]].title, text=modelled[pair[0]].text),
          list(enumerate(vectors)))  # fmt: skip
    timed("tone", lambda lead: tone.score(lead, "vi", embedder=cache.embed), leads)
    lexicon = dimensions.build_lexicon()
    timed("dimensions", lambda a: dimensions.tag(lexicon, title=a.title, text=a.text), modelled)
    return {name: {"articles_per_s": _rate(counts[name], s), "seconds": round(s, 3),
                   "articles": counts[name]}
            for name, s in timings.items()}  # fmt: skip


def main(ns: argparse.Namespace) -> dict[str, Any]:
    limit = ns.limit or 200
    mix = getattr(ns, "mix", "country") or "country"
    bench_environment("ttdn-bench-pipeline-")
    from ttdn.monitor.models import Report, Story
    from ttdn.monitor.runtime import MonitorRuntime
    from ttdn.monitor.services import source_add, source_poll

    site = BenchSite(articles=_corpus(limit, mix))
    site.appear_at = [0.0] * len(site.articles)
    with serve(site):
        source = source_add(name="Bench", feed_url=f"{site.base_url}/feed.xml", allow_private=True)
        runtime = MonitorRuntime()
        # model loading and first-use set-up are start-up, not throughput: build both
        # analysers, embed once (e5 loads lazily), read a language with and without a
        # declaration (the langid model loads lazily: 1-5 s) and extract one page (lxml,
        # htmldate)
        runtime.enricher.cache.embed(["warm-up"])
        _ = runtime.analyser
        language.detect("A warm-up sentence for the language model.", "en")
        language.detect("A warm-up sentence for the language model.")
        extract.extract(site.page(0), url=f"{site.base_url}/warm-up")
        started = time.perf_counter()
        source_poll(source_id=source.pk, runtime=runtime)
        elapsed = time.perf_counter() - started
        pages = [site.page(i) for i in range(len(site.articles))]
    stored = Report.objects.count()
    result: dict[str, Any] = {
        "end_to_end": {
            "articles": stored,
            "articles_per_s": _rate(stored, elapsed),
            "seconds": round(elapsed, 2),
            "stories": Story.objects.count(),
            "modelled": Report.objects.filter(story__isnull=False).count(),
            "mix": mix,
        },
        "stages": _stages(site.articles, pages),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "embedder": os.environ.get("TTDN_EMBEDDER", "e5"),
        "cpus": os.cpu_count(),
    }
    return result
