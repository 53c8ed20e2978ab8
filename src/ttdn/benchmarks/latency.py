"""`ttdn bench latency [--limit N]`: seconds from an item appearing in a local feed to its
report and story being stored (and alerts evaluated), on the embedded default: the same
worker thread and scheduler as `ttdn run`, its own temporary SQLite database.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from ttdn.benchmarks._site import BenchSite, bench_environment, serve

SPACING_S = 3.0


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def main(ns: argparse.Namespace) -> dict[str, Any]:
    items = ns.limit or 10
    bench_environment("ttdn-bench-latency-")
    from ttdn.benchmarks.pipeline import _corpus
    from ttdn.monitor.jobs import poll_due
    from ttdn.monitor.models import Report, Source
    from ttdn.monitor.runtime import runtime_get
    from ttdn.monitor.services import source_add
    from ttdn.runtime import EmbeddedWorker

    site = BenchSite(articles=_corpus(items))
    _ = runtime_get().analyser  # load models first: latency is measured warm
    with serve(site):
        start = time.time() + 2.0
        site.appear_at = [start + i * SPACING_S for i in range(len(site.articles))]
        source = source_add(name="Latency", feed_url=f"{site.base_url}/feed.xml",
                            allow_private=True, poll_interval_s=1)  # fmt: skip
        Source.objects.filter(pk=source.pk).update(next_poll_at=None)
        worker = EmbeddedWorker()
        worker.every("monitor.poll_due", 0.5, poll_due)
        worker.start()
        deadline = site.appear_at[-1] + 120
        try:
            while time.time() < deadline and Report.objects.count() < len(site.articles):
                time.sleep(0.2)
        finally:
            worker.stop()
    stored = {r.url: r.stored_at.timestamp() for r in Report.objects.all()}
    latencies = [
        stored[f"{site.base_url}/a/{i}"] - site.appear_at[i]
        for i in range(len(site.articles))
        if f"{site.base_url}/a/{i}" in stored
    ]
    if not latencies:
        return {"items": 0, "stored": 0, "p50_s": None, "p95_s": None}
    return {
        "items": len(site.articles),
        "stored": len(latencies),
        "p50_s": round(statistics.median(latencies), 2),
        "p95_s": round(_percentile(latencies, 0.95), 2),
        "max_s": round(max(latencies), 2),
        "poll_interval_s": 1,
        "note": "appearance in the feed → report and story committed (embedded worker)",
    }
