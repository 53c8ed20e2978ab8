"""waitress serving the platform inside a test, as `ttdn run` serves it, and stopped so that
it leaves no database session behind.

Why this is shared: waitress's worker threads outlive `server.close()`, and each keeps the
persistent database connection of the last request it served (CONN_MAX_AGE 60 on
PostgreSQL). One test that served a page and stopped its server that way left a session
on the test database, so the database could not be dropped at the end of the PostgreSQL
run ("test_ttdn is being accessed by other users": tests/deploy/test_behind_proxy.py did,
found by checking the sessions after every test). Every test that runs waitress goes
through `waitress_serving`, which checks on the way out that none is left.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections
from waitress.server import create_server
from waitress.wasyncore import close_all

from tests.conftest import db_sessions_settle, other_db_sessions
from ttdn.wsgi import application


class ClosingBody:
    """A response body whose `close()` (the server calls it in the thread that served the
    request, when the response ended or the client went away) passes on to the inner
    body's, then calls `after`: by default, closing that thread's database connections."""

    def __init__(
        self, inner: Iterable[bytes], after: Callable[[], None] = connections.close_all
    ) -> None:
        self._inner = inner
        self._after = after

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._inner)

    def close(self) -> None:
        try:
            close = getattr(self._inner, "close", None)
            if close is not None:
                close()
        finally:
            self._after()


def _closing(environ: dict[str, Any], start_response: Callable[..., Any]) -> ClosingBody:
    return ClosingBody(application(environ, start_response))


@contextmanager
def waitress_serving(*, threads: int, **options: Any) -> Iterator[int]:
    """The platform on a free port of 127.0.0.1 with `threads` waitress threads and any
    other waitress `options` (e.g. `ttdn.server.proxy_options()`); yields the port.

    Every request's thread closes its connections when its response is closed. Stopping
    closes the listening socket and every open channel (a stream still running fails at
    its next keep-alive and ends), then waits for the threads, which `server.close()` alone
    leaves running. In production the threads live as long as the process and reuse their
    connections, so the platform's own code need not close them."""
    before = other_db_sessions()
    server = create_server(_closing, host="127.0.0.1", port=0, threads=threads, **options)
    runner = threading.Thread(target=server.run, daemon=True)
    runner.start()
    try:
        yield server.effective_port
    finally:
        close_all(server._map)  # the listening socket, the trigger and every channel
        stopped = server.task_dispatcher.shutdown(timeout=10)
        runner.join(timeout=5)
    assert stopped, "waitress threads still running"
    assert db_sessions_settle(before) <= before, "the server's threads left sessions open"
