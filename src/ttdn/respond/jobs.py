"""Respond's periodic job: escalate cases whose deadline passed (every minute)."""

from __future__ import annotations

from ttdn.core.jobs import job
from ttdn.respond import services


@job("respond.deadlines_check", every_s=60, time_limit_s=120)
def deadlines_check() -> dict[str, int]:
    return services.deadlines_check()
