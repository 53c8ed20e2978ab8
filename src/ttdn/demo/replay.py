"""When the demo replay started (kept in the data directory so restarts continue it)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings


def interval_s() -> float:
    return float(os.environ.get("TTDN_DEMO_INTERVAL_S", "4"))


def _marker() -> Path:
    return Path(settings.DATA_DIR) / "demo-replay-start"


def replay_start() -> datetime:
    marker = _marker()
    if marker.exists():
        try:
            return datetime.fromisoformat(marker.read_text(encoding="utf-8").strip())
        except ValueError:
            pass
    return replay_restart()


def replay_restart(at: datetime | None = None) -> datetime:
    start = at or datetime.now(UTC)
    _marker().write_text(start.isoformat(), encoding="utf-8")
    return start
