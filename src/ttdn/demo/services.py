"""Bundled demo content for the embedded default (`ttdn demo`, run by `make run`)."""

from __future__ import annotations

from typing import Any

from ttdn.accounts.services import organisations_load


def demo_load() -> dict[str, Any]:
    """Load the organisations (34 units, 63 former units) and demo data; idempotent."""
    summary: dict[str, Any] = {"organisations": organisations_load()}
    return summary
