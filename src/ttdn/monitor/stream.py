"""Server-sent events for the live stories page: new stories and story growth, pushed.

Why bounded streams: the embedded server is waitress, whose worker threads each serve one
request at a time; a stream holds its thread for as long as it lasts. So
- each stream lives at most `STREAM_SECONDS` (then ends with an `end` event; the browser's
  EventSource reconnects by itself after `retry` ms and gets a fresh snapshot first),
- at most `STREAM_SLOTS` streams run at once; one more gets HTTP 204, which tells
  EventSource not to reconnect, and the page falls back to polling the JSON view,
- waitress gets `STREAM_SLOTS` threads on top of the ones ordinary pages use
  (`ttdn.server.serve`), so open streams never starve ordinary requests,
- a stream writes a comment every `KEEPALIVE_SECONDS`, so a browser that went away is noticed
  (waitress raises on the write) and its thread freed within seconds.

There is no message broker in the embedded default, so the stream looks for changes itself:
every `CHECK_SECONDS` it reads a change token (the newest report and story ids, two index
lookups) and sends the page's rows only when the token moved. Scaled out, every web process
does the same against the shared database.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings

STREAM_SECONDS = 60.0
STREAM_SLOTS = 4
CHECK_SECONDS = 0.5
KEEPALIVE_SECONDS = 5.0
RETRY_MS = 1000


def setting(name: str, default: float) -> float:
    """`MONITOR_STREAM_*` settings override the defaults above (tests shorten them)."""
    return float(getattr(settings, f"MONITOR_STREAM_{name}", default))


def slot_limit() -> int:
    """How many streams may be open at once (waitress gets as many extra threads)."""
    return int(setting("SLOTS", STREAM_SLOTS))


class StreamSlots:
    """A counter of open streams with a ceiling; `acquire` never blocks (a full house is
    answered at once, so the refused browser falls back to polling instead of waiting)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.open = 0

    def acquire(self, limit: int) -> bool:
        with self._lock:
            if self.open >= limit:
                return False
            self.open += 1
            return True

    def release(self) -> None:
        with self._lock:
            self.open = max(0, self.open - 1)


slots = StreamSlots()


def event(name: str, data: Any, event_id: str | None = None) -> str:
    """One SSE message. JSON on one `data:` line (json.dumps never emits a raw newline)."""
    head = f"id: {event_id}\n" if event_id else ""
    return f"{head}event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


class EventStream:
    """The response body of one stream. `close()` (called by the WSGI server when the
    response ends, also when the browser disconnects before the first byte) frees the slot
    exactly once, which a bare generator's `finally` would not do if it never started."""

    def __init__(
        self,
        *,
        token: Callable[[], object],
        payload: Callable[[], dict[str, Any]],
        lifetime_s: float,
        check_s: float,
        keepalive_s: float,
    ) -> None:
        self._token = token
        self._payload = payload
        self._lifetime_s = lifetime_s
        self._check_s = check_s
        self._keepalive_s = keepalive_s
        self._released = False
        self._generator: Iterator[str] | None = None

    def __iter__(self) -> Iterator[str]:
        self._generator = self._events()
        return self._generator

    def _events(self) -> Iterator[str]:
        yield f"retry: {RETRY_MS}\n\n"
        started = last_write = time.monotonic()
        last: object = None
        sent = 0
        while True:
            now = time.monotonic()
            if now - started >= self._lifetime_s:
                break
            current = self._token()
            if current != last:
                last = current
                sent += 1
                yield event("stories", self._payload(), event_id=str(sent))
                last_write = time.monotonic()
            elif now - last_write >= self._keepalive_s:
                yield ": keep-alive\n\n"
                last_write = now
            time.sleep(self._check_s)
        yield event("end", {"reconnect_ms": RETRY_MS})

    def close(self) -> None:
        if self._generator is not None:
            self._generator.close()  # type: ignore[attr-defined]
        if not self._released:
            self._released = True
            slots.release()
