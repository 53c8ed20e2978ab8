"""Reads of the core: failed jobs for the health page."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from ttdn.core.models import FailureStatus, JobFailure


def job_failure_list(*, status: str | None = None) -> QuerySet[JobFailure]:
    failures = JobFailure.objects.order_by("-last_failed_at")
    return failures.filter(status=status) if status else failures


def job_failure_counts() -> dict[str, dict[str, int]]:
    """{status: {reason: count}}: the failures per reason, as the counters are."""
    out: dict[str, dict[str, int]] = {s: {} for s in FailureStatus.values}
    rows = JobFailure.objects.values("status", "reason").annotate(n=Count("id"))
    for row in rows:
        out.setdefault(row["status"], {})[row["reason"]] = row["n"]
    return out
