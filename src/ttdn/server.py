"""`ttdn run`: serve the web app with waitress and, unless told not to, the embedded worker
and scheduler of `ttdn.runtime` with the one schedule of `ttdn.core.jobs`."""

from __future__ import annotations

import logging

from waitress import serve as waitress_serve

from ttdn.core.jobs import embedded_start
from ttdn.monitor.stream import slot_limit
from ttdn.wsgi import application

logger = logging.getLogger(__name__)

#: Threads for ordinary pages; the live-page event streams get their own on top.
WEB_THREADS = 8


def serve(*, host: str, port: int, with_worker: bool = True) -> None:
    """Serve the platform until interrupted."""
    worker = embedded_start() if with_worker else None
    if worker is not None:
        logger.info(
            "embedded worker and scheduler started (%d periodic jobs)", len(worker.periodic)
        )
    print(f"TTĐN Platform: http://{host}:{port}/  (Ctrl+C to stop)", flush=True)
    try:
        # live-page event streams each hold a thread for up to a minute: they get their own
        # threads on top of the 8 for pages, so open streams never starve ordinary requests
        waitress_serve(
            application, host=host, port=port, threads=WEB_THREADS + slot_limit(), ident="ttdn"
        )
    finally:
        if worker is not None:
            worker.stop()
