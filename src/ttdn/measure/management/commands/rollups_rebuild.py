"""`ttdn manage rollups_rebuild`: recompute Measure's daily roll-ups from the stored reports.

Needed after reports were written around the pipeline (bulk loads, restores) or after a
source's country or kind changed; until then the indicators use the exact queries."""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import BaseCommand

from ttdn.measure.services import rollups_rebuild


class Command(BaseCommand):
    help = "Rebuild Measure's daily roll-up tables from the stored reports."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        counts = rollups_rebuild()
        counts["seconds"] = round(time.perf_counter() - started, 1)  # type: ignore[assignment]
        self.stdout.write(json.dumps(counts))
