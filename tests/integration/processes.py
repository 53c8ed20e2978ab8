"""What the integration tests share about the processes they start and the feeds they
serve: waiting on a condition (never a fixed sleep) with the processes' logs on failure,
free ports, log tails, and an RSS feed of chosen items.

Why one module: `test_scaled.py` (the `ttdn scaled` supervisor) and `test_celery_redis.py`
(Celery workers on Redis) each wait on real processes in the same way; one copy keeps their
timeouts and their diagnostics alike.
"""

from __future__ import annotations

import email.utils
import socket
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

POLL_S = 0.1


def wait_for(what: str, condition: Callable[[], Any], timeout: float,
             diagnostics: Callable[[], str] = lambda: "") -> Any:  # fmt: skip
    """The first truthy value of `condition()`, polled until `timeout` seconds have passed;
    then the test fails, naming what it waited for, with `diagnostics()` (the logs)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(POLL_S)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}\n{diagnostics()}")


def free_ports(count: int) -> list[int]:
    """`count` distinct ports of 127.0.0.1 that were free a moment ago."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [int(s.getsockname()[1]) for s in sockets]
    finally:
        for sock in sockets:
            sock.close()


def tail(path: Path, chars: int = 3000) -> str:
    """The end of a process's log, for a failure message."""
    if not path.exists():
        return f"({path.name}: no output)"
    return f"--- {path.name} ---\n" + path.read_text(errors="replace")[-chars:]


def rss(items: list[tuple[str, str, str, datetime]]) -> str:
    """An RSS feed of (title, link, summary, published) items."""
    entries = "".join(
        f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
        f"<description>{summary}</description>"
        f"<pubDate>{email.utils.format_datetime(published, usegmt=True)}</pubDate></item>"
        for title, link, summary, published in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        "<title>Test feed</title><link>http://example.org/</link><description>x</description>"
        f"{entries}</channel></rss>"
    )
