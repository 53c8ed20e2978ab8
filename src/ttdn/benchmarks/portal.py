"""`ttdn bench portal`: requests/s and p95 latency of a portal page, cached and uncached.

Server: `ttdn run --no-worker` (waitress, 12 threads, the embedded deployment) in its own
process on 127.0.0.1, against the data directory's database (SQLite by default; the
portal demo is loaded if missing). Cache: the portal's page cache (Django's per-process
memory cache) for readers without a session. "uncached" adds a query string, which the
cache never serves, so every request renders the page through Wagtail (routing, page
tree, translations, template). Load: wrk (Debian package), one thread, 4 connections
cached and 1 uncached, 10 s per case after a 2 s warm-up; a Python client is the fallback
when wrk is missing (it competes with the server for the two cores, so its figures are lower).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(95), latency:percentile(50), errors))
end
"""
PATH = "/en/news/lam-dong-coffee-harvest/"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _prepare() -> None:
    """Migrate and load the demo (idempotent) in a child, so this process stays light."""
    code = "from ttdn.cli import main; main(['migrate']); main(['demo'])"
    subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], check=True, capture_output=True, timeout=1800
    )


def _wait_up(port: int, timeout_s: float = 120.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", PATH)
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the portal did not answer on port {port}")


@contextmanager
def portal_server() -> Iterator[int]:
    """`ttdn run --no-worker` on a free port of 127.0.0.1, in its own process, until the
    block ends; yields the port once the server answers. Shared by the portal benches."""
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own command line
        [sys.executable, "-m", "ttdn.cli", "run", "--no-worker", "--port", str(port)],
        env={**os.environ, "TTDN_PORT": str(port)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_up(port)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def _wrk(url: str, seconds: int, connections: int) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", script.name, url]
        run = subprocess.run(  # noqa: S603 - wrk (Debian package) with our arguments
            command,
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=True,
        )
    finally:
        Path(script.name).unlink(missing_ok=True)
    line = next(x for x in run.stdout.splitlines() if x.startswith("RESULT "))
    requests, duration_us, p95_us, p50_us, errors = (int(x) for x in line.split()[1:])
    return {
        "requests_per_s": round(requests / (duration_us / 1e6), 1),
        "p95_ms": round(p95_us / 1000, 2),
        "p50_ms": round(p50_us / 1000, 2),
        "requests": requests,
        "errors": errors,
    }


def _python_load(port: int, path: str, seconds: int, connections: int) -> dict[str, float]:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.monotonic() < stop:
            start = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    errors[0] += 1
            except OSError:
                errors[0] += 1
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(connections)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95)] if latencies else 0.0
    p50 = latencies[len(latencies) // 2] if latencies else 0.0
    return {
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p95_ms": round(p95 * 1000, 2),
        "p50_ms": round(p50 * 1000, 2),
        "requests": len(latencies),
        "errors": errors[0],
    }


def main(ns: argparse.Namespace | None = None) -> dict[str, Any]:
    seconds = int(getattr(ns, "limit", None) or 10)
    # cached: 4 readers at once; uncached: one reader at a time (a render holds the GIL
    # for its whole length, so concurrent renders only queue behind each other)
    connections = {"cached": 4, "uncached": 1}
    _prepare()
    with portal_server() as port:
        use_wrk = shutil.which("wrk") is not None
        results: dict[str, Any] = {}
        for case, path in (("cached", PATH), ("uncached", f"{PATH}?bench=uncached")):
            url = f"http://127.0.0.1:{port}{path}"
            if use_wrk:
                _wrk(url, 2, connections[case])  # warm-up
                results[case] = _wrk(url, seconds, connections[case])
            else:
                _python_load(port, path, 2, connections[case])
                results[case] = _python_load(port, path, seconds, connections[case])
            results[case]["connections"] = connections[case]
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", PATH)
        page = connection.getresponse()
        size = len(page.read())
        results.update(
            {
                "path": PATH,
                "html_bytes": size,
                "server": "waitress (ttdn run --no-worker, 12 threads), SQLite",
                "cache": "portal page cache (Django LocMemCache, per process)",
                "load_generator": "wrk -t1" if use_wrk else "python threads",
                "seconds": seconds,
                "targets": {
                    "cached": {"requests_per_s": 1000, "p95_ms": 50},
                    "uncached": {"p95_ms": 150},
                },
            }
        )
    return results


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
