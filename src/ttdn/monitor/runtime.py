"""Per-process state of the monitor worker: HTTP clients, fetch politeness, the analyser.

One per process, created on first use. The pipeline itself holds no globals: this object
owns the state it passes in. It must be created after any fork (the embedding model hangs
when a process that has embedded forks), which the embedded runtime's threads and Celery's
threads/solo pools guarantee.
"""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass, field

from ttdn.monitor.analysis import analyser_build, enricher_build
from ttdn.pipeline.fetch import DEFAULT_POLICY, FetchPolicy, FetchState, HttpClients

# Sources on the operator's own network (demo, tests) need no politeness delay.
LOCAL_POLICY = dataclasses.replace(DEFAULT_POLICY, min_host_delay=0.0)


@dataclass
class MonitorRuntime:
    clients: HttpClients = field(default_factory=HttpClients)
    fetch_state: FetchState = field(default_factory=FetchState)
    lock: threading.RLock = field(default_factory=threading.RLock)
    # serialises the stateless stages' shared embedding cache (the model serialises anyway)
    enrich_lock: threading.Lock = field(default_factory=threading.Lock)
    _build_lock: threading.Lock = field(default_factory=threading.Lock)
    _analyser: object | None = None
    _enricher: object | None = None

    def policy_for(self, source: object) -> FetchPolicy:
        return LOCAL_POLICY if getattr(source, "allow_private", False) else DEFAULT_POLICY

    @property
    def analyser(self):  # type: ignore[no-untyped-def]
        with self.lock:
            if self._analyser is None:
                self._analyser = analyser_build()
            return self._analyser

    @property
    def enricher(self):  # type: ignore[no-untyped-def]
        """An analyser for the stateless stages only: no story state restored (cheap)."""
        with self._build_lock:
            if self._enricher is None:
                self._enricher = enricher_build()
            return self._enricher

    def invalidate(self) -> None:
        """Forget in-memory pipeline state; it is rebuilt from the database on next use."""
        with self.lock:
            self._analyser = None


_runtime: MonitorRuntime | None = None
_runtime_lock = threading.Lock()


def runtime_get() -> MonitorRuntime:
    global _runtime
    with _runtime_lock:
        if _runtime is None:
            _runtime = MonitorRuntime()
        return _runtime
