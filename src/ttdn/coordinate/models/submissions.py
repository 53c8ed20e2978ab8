"""Periodic reports (báo cáo định kỳ) that organisations submit upward.

A template lists standard indicators; an indicator is either entered by the organisation
or computed by the platform (a key of `ttdn.core.computed`). A submission belongs to
one organisation, one template and one period; a former unit's submission (history before
the July 2025 merger) carries the alias and is counted on today's organisation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from ttdn.accounts.models import Organisation, OrganisationAlias
from ttdn.audit.models import AuditedModel


class PeriodKind(models.TextChoices):
    SIX_MONTH = "six_month", _("Sáu tháng")
    ANNUAL = "annual", _("Năm")


class ReportTemplate(AuditedModel):
    name = models.CharField(_("tên mẫu báo cáo"), max_length=300)
    period_kind = models.CharField(_("kỳ báo cáo"), max_length=12, choices=PeriodKind.choices)
    active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("mẫu báo cáo định kỳ")
        verbose_name_plural = pgettext_lazy("số nhiều", "mẫu báo cáo định kỳ")

    def __str__(self) -> str:
        return self.name


class IndicatorKind(models.TextChoices):
    ENTERED = "entered", _("Đơn vị nhập")
    COMPUTED = "computed", _("Nền tảng tính")


class ReportIndicator(AuditedModel):
    template = models.ForeignKey(
        ReportTemplate, on_delete=models.CASCADE, related_name="indicators"
    )
    key = models.SlugField(_("mã chỉ tiêu"), max_length=60)
    title = models.CharField(_("chỉ tiêu"), max_length=300)
    kind = models.CharField(_("cách lấy số"), max_length=10, choices=IndicatorKind.choices)
    unit = models.CharField(_("đơn vị tính"), max_length=60, blank=True)
    definition = models.TextField(_("định nghĩa"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["template_id", "order", "id"]
        verbose_name = _("chỉ tiêu báo cáo")
        verbose_name_plural = pgettext_lazy("số nhiều", "chỉ tiêu báo cáo")
        constraints = [
            models.UniqueConstraint(fields=["template", "key"], name="indicator_unique_key")
        ]

    def __str__(self) -> str:
        return self.title


class ReportingPeriod(AuditedModel):
    kind = models.CharField(max_length=12, choices=PeriodKind.choices)
    year = models.PositiveIntegerField()
    half = models.PositiveSmallIntegerField(null=True, blank=True)  # 1 or 2 for six-month
    start = models.DateField()
    end = models.DateField()
    due_date = models.DateField(_("hạn nộp"))
    closed = models.BooleanField(_("đã khóa kỳ"), default=False)
    # archived: kept with its submissions, closed and no longer offered in the pick lists
    archived = models.BooleanField(_("đã lưu trữ"), default=False, db_default=False)

    class Meta:
        ordering = ["-start", "kind"]
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = pgettext_lazy("số nhiều", "kỳ báo cáo")
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "half"], name="period_unique"),
        ]

    def __str__(self) -> str:
        if self.kind == PeriodKind.SIX_MONTH and self.half == 1:
            return gettext("6 tháng đầu năm %(year)s") % {"year": self.year}
        if self.kind == PeriodKind.SIX_MONTH:
            return gettext("6 tháng cuối năm %(year)s") % {"year": self.year}
        return gettext("Năm %(year)s") % {"year": self.year}


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã nộp, chờ duyệt")
    RETURNED = "returned", _("Bị trả lại")
    APPROVED = "approved", _("Đã duyệt")


class Submission(AuditedModel):
    template = models.ForeignKey(ReportTemplate, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="submissions"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị")
    )
    former_unit = models.ForeignKey(
        OrganisationAlias, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("đơn vị cũ"),
    )  # fmt: skip
    status = models.CharField(
        max_length=12, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    version = models.PositiveSmallIntegerField(default=0)  # times submitted
    notes = models.TextField(_("thuyết minh"), blank=True)
    review_comment = models.TextField(_("ý kiến thẩm định"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period__start", "organisation__name"]
        verbose_name = _("báo cáo định kỳ của đơn vị")
        verbose_name_plural = pgettext_lazy("số nhiều", "báo cáo định kỳ của đơn vị")
        constraints = [
            models.UniqueConstraint(
                fields=["template", "period", "organisation"],
                condition=models.Q(former_unit__isnull=True),
                name="submission_unique_org_period",
            ),
            models.UniqueConstraint(
                fields=["template", "period", "former_unit"],
                condition=models.Q(former_unit__isnull=False),
                name="submission_unique_former_unit_period",
            ),
        ]
        indexes = [models.Index(fields=["period", "status"])]

    def __str__(self) -> str:
        who = self.former_unit.name if self.former_unit_id else self.organisation.name
        return f"{self.template.name} — {who} — {self.period}"

    @property
    def is_locked(self) -> bool:
        return self.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED)


class SubmissionValue(AuditedModel):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(ReportIndicator, on_delete=models.PROTECT, related_name="+")
    value = models.FloatField(_("giá trị"), null=True, blank=True)
    computed_value = models.FloatField(null=True, blank=True)
    override_reason = models.TextField(_("lý do điều chỉnh"), blank=True)

    class Meta:
        ordering = ["indicator__order", "indicator_id"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "indicator"], name="value_unique")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.key}={self.value}"

    @property
    def is_overridden(self) -> bool:
        return bool(self.override_reason)


class SubmissionEvent(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=20)
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]


class Target(AuditedModel):
    """A target for an indicator key over a year (the programme's when organisation is empty)."""

    indicator_key = models.SlugField(_("mã chỉ tiêu"), max_length=60)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    year = models.PositiveIntegerField(_("năm"))
    value = models.FloatField(_("mục tiêu"))
    # archived: kept for the record, no longer counted in the evaluations
    archived = models.BooleanField(_("đã lưu trữ"), default=False, db_default=False)

    class Meta:
        ordering = ["indicator_key", "year"]
        verbose_name = _("mục tiêu")
        verbose_name_plural = pgettext_lazy("số nhiều", "mục tiêu")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_key", "organisation", "year"], name="target_unique"
            ),
            models.UniqueConstraint(
                fields=["indicator_key", "year"],
                condition=models.Q(organisation__isnull=True),
                name="target_unique_national",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_key} {self.year}: {self.value}"
