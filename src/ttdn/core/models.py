"""A background job that failed: kept until it succeeds on a retry, or kept in quarantine.

Only failures are written (a job that succeeds leaves no row), so the pipeline's hot path
costs no extra writes. A transient failure waits for `next_attempt_at` (backoff, at least
the `retry_after` the failure asked for); a permanent one, or one that used up its retries,
is quarantined: listed on the health page until an administrator re-queues or drops it.
A periodic job that fails keeps one row (status `periodic`) while its runs keep failing.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FailureStatus(models.TextChoices):
    RETRYING = "retrying", _("Chờ thử lại")
    QUARANTINED = "quarantined", _("Cách ly")
    # a periodic job whose last scheduled runs failed: one row per job, counting the failed
    # runs in a row, gone when a run succeeds (its schedule is its retry)
    PERIODIC = "periodic", _("Định kỳ, đang lỗi")


class JobFailure(models.Model):
    name = models.CharField(_("công việc"), max_length=200)
    kwargs = models.JSONField(_("tham số"), default=dict)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=FailureStatus.choices, db_index=True
    )
    reason = models.CharField(_("lý do"), max_length=100)
    error = models.TextField(_("lỗi"), blank=True)
    attempts = models.PositiveIntegerField(_("số lần chạy"), default=1)
    first_failed_at = models.DateTimeField(_("lỗi lần đầu"), auto_now_add=True)
    last_failed_at = models.DateTimeField(_("lỗi lần cuối"), auto_now=True)
    next_attempt_at = models.DateTimeField(_("thử lại lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("công việc lỗi")
        verbose_name_plural = pgettext_lazy("số nhiều", "công việc lỗi")
        ordering = ["-last_failed_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="core_failure_due")]

    def __str__(self) -> str:
        return f"{self.name} ({self.status}: {self.reason})"


class PendingJob(models.Model):
    """A job queued on the embedded worker, not yet done.

    Why a row: the embedded worker's queues live in memory, so a process killed with jobs
    queued would lose them (an event delivered to no one). The row is written inside the
    transaction that queued the job (with the fact an event announces), deleted when the
    job has run (its failure, if any, is a `JobFailure` by then), and a process starting
    re-queues the rows of a process that is gone. Celery has its own durable queues (no
    rows then); jobs run inline write none either.
    """

    name = models.CharField(_("công việc"), max_length=200)
    kwargs = models.JSONField(_("tham số"), default=dict)
    attempt = models.PositiveIntegerField(_("lần chạy"), default=1)
    # the process whose in-memory queue holds it (ttdn.core.processes.owner)
    owner = models.CharField(_("tiến trình"), max_length=200, db_index=True)
    queued_at = models.DateTimeField(_("xếp hàng lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("công việc đang chờ")
        verbose_name_plural = pgettext_lazy("số nhiều", "công việc đang chờ")

    def __str__(self) -> str:
        return f"{self.name} ({self.owner})"
