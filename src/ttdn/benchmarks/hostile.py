"""`ttdn bench hostile`: the whole monitor pipeline against the hostile site; prints JSON.

Every hostile feed (`hostile_site.FEEDS`) becomes a source and is polled once, in the
embedded mode's way (one thread: fetch feed, parse, fetch and extract each article, analyse,
store). Reported: peak Python memory while polling (tracemalloc, after the models are
loaded, so it is what the hostile input cost), the longest poll (how long one source held
the pipeline worker), the longest request as the server saw it, and the refusals by reason.
The test suite runs the same function (tests/hostile/test_pipeline_hostile.py) and checks
the invariants: no crash, no hang past the deadline, good items kept, refusals recorded.
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import time
import tracemalloc
from typing import Any

from ttdn.benchmarks.hostile_site import FEEDS, HostileServer

#: The slow feed goes last: a timed-out origin is left alone for a while (it is the same
#: origin as every other hostile feed here).
LAST = ["/enc/missing", "/feed/slow-links.rss"]
ORDER = [p for p in FEEDS if p not in LAST and p != "/feed/warmup.rss"] + LAST


def run_pipeline(site: HostileServer, *, total_timeout: float = 3.0) -> dict[str, Any]:
    """Poll every hostile feed once through `source_poll`; measurements and outcomes."""
    from ttdn.monitor.models import FetchLog, Report, StageCounter
    from ttdn.monitor.runtime import LOCAL_POLICY, MonitorRuntime
    from ttdn.monitor.services import source_add, source_poll

    policy = dataclasses.replace(LOCAL_POLICY, total_timeout=total_timeout)
    runtime = MonitorRuntime()
    runtime.policy_for = lambda source: policy  # type: ignore[method-assign]
    warmup = source_add(name="warmup", feed_url=site.url("/feed/warmup.rss"), allow_private=True)
    source_poll(source_id=warmup.pk, runtime=runtime)  # every model loaded before measuring
    holds: dict[str, float] = {}
    summaries: dict[str, Any] = {}
    tracemalloc.start()
    try:
        for path in ORDER:
            source = source_add(name=path, feed_url=site.url(path), allow_private=True)
            started = time.monotonic()
            summaries[path] = source_poll(source_id=source.pk, runtime=runtime)
            holds[path] = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    visits = [v for v in site.visits("/") if v.ended]
    longest_visit = max(visits, key=lambda v: v.ended - v.started)
    errors = {
        log.feed.url.removeprefix(site.base): list(log.errors)
        for log in FetchLog.objects.select_related("feed")
    }
    counters = {
        f"{c.stage}:{c.reason}": c.count for c in StageCounter.objects.order_by("stage", "reason")
    }
    return {
        "peak_memory_mb": round(peak / 2**20, 1),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "longest_poll_s": round(max(holds.values()), 2),
        "longest_poll": max(holds, key=holds.__getitem__),
        "longest_request_s": round(longest_visit.ended - longest_visit.started, 2),
        "longest_request": longest_visit.path,
        "deadline_s": total_timeout,
        "polls": holds,
        "summaries": summaries,
        "reports": sorted(Report.objects.values_list("url", flat=True)),
        "errors": errors,
        "counters": counters,
    }


def main(ns: argparse.Namespace) -> dict[str, Any]:
    from ttdn.benchmarks._site import bench_environment

    bench_environment("ttdn-bench-hostile-")
    site = HostileServer().start()
    try:
        result = run_pipeline(site)
    finally:
        site.stop()
    result["reports"] = len(result["reports"])
    result.pop("errors")
    return result
