"""Periodic reports and their schedules.

A `PeriodicReport` is one generated document (a PDF and an XLSX of the same numbers) for one
period and one scope: the whole country (`organisation` empty) or one organisation — for a
province or city, the coverage of that unit with its former units rolled up. It is also the
job record the request page polls: status, progress and a readable error.

Files live under `$TTDN_DATA_DIR/reports/` and are only ever served through the download
view, which applies the same organisation rule as the archive.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ttdn.audit.models import AuditedModel
from ttdn.reports.periods import ReportKind


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang tạo")
    DONE = "done", _("Hoàn thành")
    FAILED = "failed", _("Lỗi")


class PeriodicReport(AuditedModel):
    kind = models.CharField(_("loại báo cáo"), max_length=20, choices=ReportKind.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="periodic_reports",
        verbose_name=_("tổ chức"),
        help_text=_("Để trống: toàn quốc."),
    )
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    # the interface language it was requested in: titles and labels are written in it
    language = models.CharField(_("ngôn ngữ"), max_length=10, default="vi")
    title = models.CharField(_("tiêu đề"), max_length=300, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    error = models.TextField(_("lỗi"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người yêu cầu"),
    )
    schedule = models.ForeignKey(
        "reports.ReportSchedule",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("lịch"),
    )
    # paths relative to the reports directory (settings.DATA_DIR / "reports")
    pdf_file = models.CharField(max_length=300, blank=True)
    xlsx_file = models.CharField(max_length=300, blank=True)
    pdf_bytes = models.PositiveIntegerField(default=0)
    xlsx_bytes = models.PositiveIntegerField(default=0)
    pages = models.PositiveSmallIntegerField(default=0)
    render_seconds = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    # when its job was last handed to the worker, and the process making it (see
    # `services.reports_recover`: nothing stays queued or running after its process died)
    queued_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=200, blank=True)

    # progress moves many times per report: the log keeps the request and the outcome
    AUDIT_EXCLUDE = (
        *AuditedModel.AUDIT_EXCLUDE,
        "progress",
        "started_at",
        "queued_at",
        "worker",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("báo cáo định kỳ")
        verbose_name_plural = pgettext_lazy("số nhiều", "báo cáo định kỳ")
        indexes = [models.Index(fields=["organisation", "-created_at"])]
        constraints = [
            # a schedule makes one report per period, however often its run is retried
            models.UniqueConstraint(
                fields=["schedule", "period_start", "period_end"],
                condition=models.Q(schedule__isnull=False),
                name="reports_one_per_schedule_period",
            )
        ]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} {self.period_start}–{self.period_end}"


class ReportSchedule(AuditedModel):
    """Make a report of `kind` for `organisation` (empty: the whole country) each time its
    period ends. `next_run_at` is when the embedded scheduler (or Celery beat) next makes
    one; each run reports on the period that ended just before it."""

    kind = models.CharField(_("loại báo cáo"), max_length=20, choices=ReportKind.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_schedules",
        verbose_name=_("tổ chức"),
    )
    next_run_at = models.DateTimeField(_("lần chạy tới"), db_index=True)
    language = models.CharField(_("ngôn ngữ"), max_length=10, default="vi")
    active = models.BooleanField(_("đang bật"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    last_run_at = models.DateTimeField(_("lần chạy trước"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["next_run_at", "id"]
        verbose_name = _("lịch báo cáo")
        verbose_name_plural = pgettext_lazy("số nhiều", "lịch báo cáo")

    def __str__(self) -> str:
        scope = self.organisation.name if self.organisation_id else _("Toàn quốc")
        return f"{self.get_kind_display()} · {scope}"
