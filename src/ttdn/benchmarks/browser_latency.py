"""`ttdn bench browser-latency [--limit N]`: seconds from a story being stored to its row
appearing in a browser that has the live stories page open (target: within 5 s).

What runs is the embedded default's web side: waitress with the thread count `ttdn run`
uses (pages + event-stream slots), its own temporary SQLite database, Debian's headless
Chromium driven by Playwright, logged in as a viewer, on `/theo-doi/`. Stories are stored
through the monitor's service (`article_store`: analysis, dedupe, clustering, one
transaction), one at a time at random moments, so insertions fall anywhere in the stream's
check interval. The clock starts when `article_store` returns (the transaction has
committed) and stops when a MutationObserver in the page sees the row (both read the same
machine clock). Analysis time is not counted: `ttdn bench latency` measures feed → stored.
The hashing embedder is used unless TTDN_EMBEDDER says otherwise (the model would only
slow the insertions, not the push).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import threading
import time
from typing import Any

from ttdn.benchmarks._site import bench_environment

CHROMIUM = os.environ.get("TTDN_CHROMIUM", "/usr/bin/chromium")
APPEAR_TIMEOUT_S = 30.0
USERNAME = "bench-viewer"
PASSWORD = "bench-viewer-password-7319"  # noqa: S105 - a throwaway account in a temp database

# Records when each (story, report count) first shows in the page, in epoch milliseconds:
# a story that grows is a new key, so growth is timed like a new story.
OBSERVER = """() => {
  window.__appeared = {};
  const body = document.querySelector('#stories tbody');
  const note = () => { for (const tr of body.rows) {
    const key = tr.dataset.id + ':' + tr.dataset.reports;
    if (!(key in window.__appeared)) window.__appeared[key] = Date.now(); } };
  note();
  new MutationObserver(note).observe(body, {childList: true});
}"""


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _article(n: int) -> Any:
    from django.utils import timezone

    from ttdn.pipeline.types import Article

    places = ["Hà Nội", "Đà Nẵng", "Huế", "Cần Thơ", "Quảng Ninh", "Lâm Đồng", "Hải Phòng"]
    topics = ["port expansion", "rice harvest", "chip plant", "heritage festival", "metro line",
              "flood defences", "wind farm", "university exchange"]  # fmt: skip
    title = f"Bench {n}: Viet Nam {topics[n % len(topics)]} in {places[n % len(places)]} #{n}"
    return Article(
        url=f"https://bench.example/browser/{n}",
        title=title,
        text=f"{title}. Officials in {places[n % len(places)]} said Viet Nam would press ahead "
        f"with the {topics[n % len(topics)]}, item {n} of the benchmark.",
        published=timezone.now() - dt.timedelta(seconds=1),
        language_hint="en",
    )


def main(ns: argparse.Namespace) -> dict[str, Any]:
    items = ns.limit or 20
    os.environ.setdefault("TTDN_EMBEDDER", "hashing")
    # Playwright's sync API runs an event loop in this thread; the ORM is used from it too
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    bench_environment("ttdn-bench-browser-")
    from playwright.sync_api import sync_playwright
    from waitress.server import create_server

    from ttdn.accounts.models import Role
    from ttdn.accounts.services import organisations_load, user_create
    from ttdn.monitor.models import Source, Story
    from ttdn.monitor.runtime import MonitorRuntime
    from ttdn.monitor.services import article_store
    from ttdn.monitor.stream import CHECK_SECONDS, STREAM_SECONDS, setting, slot_limit
    from ttdn.server import WEB_THREADS
    from ttdn.wsgi import application

    organisations_load()
    user_create(username=USERNAME, password=PASSWORD, role=Role.VIEWER)
    source = Source.objects.create(name="Bench outlet", country="GB", languages=["en"])
    runtime = MonitorRuntime()
    store = article_store  # the service the pipeline itself calls
    store(article=_article(0), source=source, runtime=runtime)  # warm the analyser

    threads = WEB_THREADS + slot_limit()
    server = create_server(application, host="127.0.0.1", port=0, threads=threads)
    base = f"http://127.0.0.1:{server.effective_port}"
    serving = threading.Thread(target=server.run, daemon=True)
    serving.start()
    rng = random.Random(20261201)  # noqa: S311 - spacing of insertions, not secrets
    latencies: list[float] = []
    missed = grown = 0
    modes: set[str] = set()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page()
            page.goto(f"{base}/dang-nhap/?next=/theo-doi/")
            page.fill("#id_username", USERNAME)
            page.fill("#id_password", PASSWORD)
            page.click("form:has(#id_password) button[type=submit]")
            page.wait_for_url(f"{base}/theo-doi/")
            page.wait_for_selector("#live-mode[data-mode='stream']", state="attached")
            page.evaluate(OBSERVER)
            for n in range(1, items + 1):
                time.sleep(rng.uniform(0.3, 1.2))
                report = store(article=_article(n), source=source, runtime=runtime)
                stored = time.time()
                if report is None or report.story is None:
                    missed += 1
                    continue
                key = f"{report.story_id}:{report.story.report_count}"
                if report.story.report_count > 1:
                    grown += 1
                try:
                    page.wait_for_function(
                        "(key) => key in window.__appeared",
                        arg=key,
                        timeout=APPEAR_TIMEOUT_S * 1000,
                    )
                except Exception:  # noqa: BLE001 - a row that never came is counted, not fatal
                    missed += 1
                    continue
                seen_ms = page.evaluate("(key) => window.__appeared[key]", key)
                latencies.append(max(0.0, seen_ms / 1000.0 - stored))
                modes.add(str(page.get_attribute("#live-mode", "data-mode")))
            browser.close()
    finally:
        server.close()
    result: dict[str, Any] = {
        "items": items,
        "appeared": len(latencies),
        "missed": missed,
        "stories": Story.objects.count(),
        "of_which_growth": grown,  # insertions that grew an existing story (the rest are new)
        "p50_s": round(statistics.median(latencies), 3) if latencies else None,
        "p95_s": round(_percentile(latencies, 0.95), 3) if latencies else None,
        "max_s": round(max(latencies), 3) if latencies else None,
        "target_s": 5.0,
        "within_target": sum(1 for v in latencies if v <= 5.0),
        "page_modes": sorted(modes),
        "stream_check_interval_s": setting("CHECK_SECONDS", CHECK_SECONDS),
        "stream_lifetime_s": setting("SECONDS", STREAM_SECONDS),
        "waitress_threads": threads,
        "note": "article_store committed → row in the open page's DOM (server-sent events)",
    }
    return result
