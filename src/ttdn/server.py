"""`ttdn run`: serve the web app with waitress and, unless told not to, the embedded worker
and scheduler of `ttdn.runtime` with the one schedule of `ttdn.core.jobs`."""

from __future__ import annotations

import logging
import os
from typing import Any

from waitress import serve as waitress_serve

from ttdn.core.jobs import embedded_start
from ttdn.monitor.stream import slot_limit
from ttdn.wsgi import application

logger = logging.getLogger(__name__)

#: Threads for ordinary pages; the live-page event streams get their own on top.
WEB_THREADS = 8


def proxy_options() -> dict[str, Any]:
    """waitress settings for `TTDN_BEHIND_PROXY=1`: trust the X-Forwarded-For / -Proto /
    -Host headers of the proxy at `TTDN_TRUSTED_PROXY` (default 127.0.0.1; ``*`` trusts
    any peer, for a port only the proxy can reach), one hop deep.

    Without these waitress drops the headers, so Django sees plain http (login behind an
    https proxy fails its CSRF origin check, no cookie gets Secure) and every visitor has
    the proxy's address (one rate-limit bucket for all anonymous API users). With them
    waitress sets REMOTE_ADDR to the address the proxy itself saw (the rightmost, trusted
    hop; a client's own X-Forwarded-For entries to the left are ignored) and the scheme
    and host to what the proxy says; untrusted peers' proxy headers are removed.
    """
    if os.environ.get("TTDN_BEHIND_PROXY", "").strip().lower() not in {"1", "true", "yes", "on"}:
        return {}
    return {
        "trusted_proxy": os.environ.get("TTDN_TRUSTED_PROXY", "").strip() or "127.0.0.1",
        "trusted_proxy_count": 1,
        "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host"},
        "clear_untrusted_proxy_headers": True,
    }


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
            application,
            host=host,
            port=port,
            threads=WEB_THREADS + slot_limit(),
            ident="ttdn",
            **proxy_options(),
        )
    finally:
        if worker is not None:
            worker.stop()
