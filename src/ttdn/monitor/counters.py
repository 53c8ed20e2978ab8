"""Named counters of dropped and skipped items: every item the pipeline does not store is
counted under a stable (stage, reason), per day, so nothing is silently lost."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ttdn.monitor.models import StageCounter


def counter_increment(stage: str, reason: str, by: int = 1) -> None:
    """Count a dropped or skipped item under a stable name (never silently lost)."""
    day = timezone.localdate()
    updated = StageCounter.objects.filter(day=day, stage=stage, reason=reason).update(
        count=F("count") + by
    )
    if not updated:
        try:
            with transaction.atomic():
                StageCounter.objects.create(day=day, stage=stage, reason=reason, count=by)
        except IntegrityError:
            StageCounter.objects.filter(day=day, stage=stage, reason=reason).update(
                count=F("count") + by
            )
