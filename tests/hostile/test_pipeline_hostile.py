"""The whole monitor pipeline against the hostile server (issue 10, "keep it closed"):
no crash, no hang past the deadline, memory under the cap, every refusal recorded with its
reason, every good item next to a bad one kept."""

from __future__ import annotations

import pytest

from ttdn.benchmarks.hostile import ORDER, run_pipeline
from ttdn.benchmarks.hostile_site import HostileServer

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

GOOD = {
    "/feed/links.rss": [1, 2, 3],
    "/feed/dates.rss": [4, 10, 11, 12, 13, 14],
    "/feed/dates.json": [20, 21, 22, 23],
    "/feed/sitemap.xml": [30, 31, 32],
    "/feed/laughs.rss": [40],
    "/feed/xxe.rss": [42],
    "/feed/xxe-sitemap.xml": [44],
    "/feed/nested.rss": [50],
    "/feed/tags.rss": [51],
    "/feed/slow-links.rss": [60],
    "/feed/bombs.rss": [70, 71],
}


def test_the_pipeline_survives_the_hostile_site(
    hostile: HostileServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TTDN_EMBEDDER", "hashing")
    result = run_pipeline(hostile, total_timeout=2.0)

    # no crash: every feed polled to the end
    assert set(result["summaries"]) == set(ORDER)
    assert all(s.get("feeds") == 1 for s in result["summaries"].values()), result["summaries"]

    # every good item kept, next to the bad ones
    stored = set(result["reports"])
    for path, numbers in GOOD.items():
        for n in numbers:
            assert hostile.url(f"/article/{n}") in stored, (path, n, result["errors"].get(path))
    # nothing but http(s) stored
    assert all(url.startswith(hostile.base + "/") for url in stored)

    # every refusal recorded with its reason
    counters = result["counters"]
    for reason in ("stacked_encoding", "too_large", "unsupported_encoding", "decoding",
                   "redirect_loop", "too_many_redirects", "timeout", "origin_backoff"):  # fmt: skip
        assert any(key.endswith(f":{reason}") for key in counters), (reason, counters)
    links = result["errors"]["/feed/links.rss"]
    assert sum("is not an http(s) URL" in line for line in links) >= 8
    assert any("tags; read only" in line for line in result["errors"]["/feed/tags.rss"])

    # no hang past the deadline: every stalling request was ended by us, not the server,
    # and after the first timeout the slow origin was not asked again
    slow = hostile.wait_visits_done("/slow/")
    assert len(slow) == 1 and not slow[0].finished

    # memory: bombs of 200 MB inflated never exceed the body cap (10 MB) by much
    assert result["peak_memory_mb"] < 80, result["peak_memory_mb"]
