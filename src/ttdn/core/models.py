"""A background job that failed: kept until it succeeds on a retry, or kept in quarantine.

Only failures are written (a job that succeeds leaves no row), so the pipeline's hot path
costs no extra writes. A transient failure waits for `next_attempt_at` (backoff, at least
the `retry_after` the failure asked for); a permanent one, or one that used up its retries,
is quarantined: listed on the health page until an administrator re-queues or drops it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FailureStatus(models.TextChoices):
    RETRYING = "retrying", _("Chờ thử lại")
    QUARANTINED = "quarantined", _("Cách ly")


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
