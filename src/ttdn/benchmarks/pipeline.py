"""`ttdn bench pipeline [--limit N]`: articles/s end to end (local feed → stored story) and
per stage, and the peak memory of the process. Runs on its own temporary SQLite database.

Corpus: the bundled demo corpus (Global Voices es/fr/it, DANeS vi), then Dân trí articles
from ../shared/data when present.
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


def _corpus(limit: int) -> list[tuple[str, str, str]]:
    from ttdn.demo.corpus import corpus

    articles = [(i.title, i.text, i.lang) for i in corpus()]
    dantri = shared_data_dir() / "vi_news_unc_dantri" / "unc_dantri_docs.jsonl"
    if dantri.exists():
        for line in dantri.open(encoding="utf-8"):
            row = json.loads(line)
            text = str(row.get("text") or row.get("content") or "")
            title = str(row.get("title") or text[:80])
            if text:
                articles.append((title, text, "vi"))
    # interleave sources so the run sees every language early
    articles.sort(key=lambda a: zlib.crc32(a[0].encode("utf-8")))
    return articles[:limit]


def _rate(count: int, seconds: float) -> float:
    return round(count / seconds, 2) if seconds > 0 else 0.0


def _stages(articles: list[tuple[str, str, str]], site_pages: list[bytes]) -> dict[str, Any]:
    from ttdn.monitor.services import INGEST_BATCH
    from ttdn.pipeline import cluster, dedupe, dimensions, extract, language, relevance, tone
    from ttdn.pipeline.analyse import EmbeddingCache
    from ttdn.pipeline.embed import E5Embedder, document_text
    from ttdn.pipeline.normalize import normalize_article

    n = len(articles)
    timings: dict[str, float] = {}

    def timed(name: str, func: Any, items: list[Any]) -> list[Any]:
        started = time.perf_counter()
        out = [func(x) for x in items]
        timings[name] = time.perf_counter() - started
        return out

    extracted = timed("extract", lambda page: extract.extract(page, url="http://b/"), site_pages)
    normalised = timed("normalize", normalize_article, extracted)
    timed("language", lambda a: language.detect(f"{a.title}\n{a.text}"), normalised)
    index = dedupe.DedupeIndex()
    timed("dedupe", lambda a: dedupe.check(index, report_id=a.title, text=a.text), normalised)
    gazetteer = relevance.build_gazetteer()
    timed("relevance", lambda a: relevance.assess(gazetteer, title=a.title, text=a.text),
          normalised)  # fmt: skip
    # embed as the monitor does: one batched call per poll (INGEST_BATCH), through the cache
    # that tone then reads, so a passage both stages need is embedded once
    cache = EmbeddingCache(E5Embedder())
    leads = [document_text(a.title, a.text) for a in normalised]
    started = time.perf_counter()
    for i in range(0, n, INGEST_BATCH):
        cache.prefetch(leads[i : i + INGEST_BATCH])
    timings["embed"] = time.perf_counter() - started
    vectors = list(cache.embed(leads))
    state = cluster.ClusterState()
    timed("cluster", lambda pair: cluster.assign(state, report_id=str(pair[0]), language="x",
          embedding=pair[1], title=normalised[pair[0]].title, text=normalised[pair[0]].text),
          list(enumerate(vectors)))  # fmt: skip
    timed("tone", lambda lead: tone.score(lead, "vi", embedder=cache.embed), leads)
    lexicon = dimensions.build_lexicon()
    timed("dimensions", lambda a: dimensions.tag(lexicon, title=a.title, text=a.text), normalised)
    return {name: {"articles_per_s": _rate(n, s), "seconds": round(s, 3)}
            for name, s in timings.items()}  # fmt: skip


def main(ns: argparse.Namespace) -> dict[str, Any]:
    limit = ns.limit or 200
    bench_environment("ttdn-bench-pipeline-")
    from ttdn.monitor.models import Report, Story
    from ttdn.monitor.runtime import MonitorRuntime
    from ttdn.monitor.services import source_add, source_poll

    site = BenchSite(articles=_corpus(limit))
    site.appear_at = [0.0] * len(site.articles)
    with serve(site):
        source = source_add(name="Bench", feed_url=f"{site.base_url}/feed.xml", allow_private=True)
        runtime = MonitorRuntime()
        _ = runtime.analyser  # model loading is start-up, not throughput
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
        },
        "stages": _stages(site.articles, pages),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "embedder": os.environ.get("TTDN_EMBEDDER", "e5"),
        "cpus": os.cpu_count(),
    }
    return result
