"""Programme → annual plans per organisation → tasks, with evidence, comments and history.

A task assigned "to many organisations at once" is one `TaskAssignment` (what central asked)
and one `Task` per organisation (what each of them does), so every organisation's progress
is tracked, returned and closed on its own.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ttdn.accounts.models import Organisation
from ttdn.audit.models import AuditedModel


class Programme(AuditedModel):
    """E.g. the Government's action programme on foreign information to 2030."""

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên chương trình"), max_length=300)
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan chủ trì")
    )
    start_year = models.PositiveIntegerField(_("từ năm"))
    end_year = models.PositiveIntegerField(_("đến năm"))
    description = models.TextField(_("mô tả"), blank=True)
    # archived: kept with its plans and tasks, no longer offered for new work
    archived = models.BooleanField(_("đã lưu trữ"), default=False, db_default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_year", "name"]
        verbose_name = _("chương trình")
        verbose_name_plural = pgettext_lazy("số nhiều", "chương trình")

    def __str__(self) -> str:
        return self.name


class ProgrammeGroup(AuditedModel):
    """One of the programme's groups of tasks and solutions (the board groups by them)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="groups")
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    name = models.CharField(_("nhóm nhiệm vụ, giải pháp"), max_length=300)

    class Meta:
        ordering = ["programme_id", "number"]
        verbose_name = _("nhóm nhiệm vụ")
        verbose_name_plural = pgettext_lazy("số nhiều", "nhóm nhiệm vụ")
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="group_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Plan(AuditedModel):
    """The annual plan of one organisation under a programme."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="plans")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="plans", verbose_name=_("đơn vị")
    )
    year = models.PositiveIntegerField(_("năm"))
    title = models.CharField(_("tên kế hoạch"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "organisation__name"]
        verbose_name = _("kế hoạch năm")
        verbose_name_plural = pgettext_lazy("số nhiều", "kế hoạch năm")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation", "year"], name="plan_unique_org_year"
            )
        ]

    def __str__(self) -> str:
        return self.title


class TaskStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Đã giao")
    ACCEPTED = "accepted", _("Đã nhận")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    SUBMITTED = "submitted", _("Chờ duyệt kết quả")
    RETURNED = "returned", _("Bị trả lại")
    DONE = "done", _("Hoàn thành")


OPEN_STATUSES = (
    TaskStatus.ASSIGNED,
    TaskStatus.ACCEPTED,
    TaskStatus.IN_PROGRESS,
    TaskStatus.RETURNED,
)


class Priority(models.TextChoices):
    LOW = "low", _("Thấp")
    NORMAL = "normal", _("Bình thường")
    HIGH = "high", _("Cao")
    URGENT = "urgent", _("Khẩn")


class TaskAssignment(AuditedModel):
    """What the assigner asked of several organisations at once (one Task each)."""

    assigner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị giao")
    )
    title = models.CharField(_("tiêu đề"), max_length=250)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("đợt giao nhiệm vụ")
        verbose_name_plural = pgettext_lazy("số nhiều", "đợt giao nhiệm vụ")

    def __str__(self) -> str:
        return self.title


class Task(AuditedModel):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("đơn vị")
    )
    title = models.CharField(_("tiêu đề"), max_length=250)
    description = models.TextField(_("mô tả"), blank=True)
    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks",
        verbose_name=_("kế hoạch"),
    )  # fmt: skip
    group = models.ForeignKey(
        ProgrammeGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks",
        verbose_name=_("nhóm nhiệm vụ"),
    )  # fmt: skip
    assignment = models.ForeignKey(
        TaskAssignment, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks"
    )
    assigner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("đơn vị giao"),
    )  # fmt: skip
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="owned_tasks", verbose_name=_("người phụ trách"),
    )  # fmt: skip
    start_date = models.DateField(_("ngày bắt đầu"), null=True, blank=True)
    due_date = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    priority = models.CharField(
        _("mức ưu tiên"),
        max_length=10,
        choices=Priority.choices,
        default=Priority.NORMAL,
        db_default=Priority.NORMAL,  # rows written by older versions or by hand get it too
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.ASSIGNED
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0, db_default=0)
    returned_reason = models.TextField(_("lý do trả lại"), blank=True, default="", db_default="")
    submitted_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    # reminders already sent (so a periodic job never sends one twice)
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    AUDIT_EXCLUDE = (*AuditedModel.AUDIT_EXCLUDE, "reminded_at", "overdue_notified_at")

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = pgettext_lazy("số nhiều", "nhiệm vụ")
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["organisation", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="task_progress_at_most_100"
            ),
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(due_date__isnull=True)
                | models.Q(due_date__gte=models.F("start_date")),
                name="task_due_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or dt.date.today()
        return bool(self.due_date and self.is_open and self.due_date < today)


class EvidenceKind(models.TextChoices):
    FILE = "file", _("Tệp")
    URL = "url", _("Đường dẫn")
    REPORT = "report", _("Bài báo trong nền tảng")
    STORY = "story", _("Câu chuyện trong nền tảng")
    CASE = "case", _("Hồ sơ phản hồi")
    PORTAL_PAGE = "portal_page", _("Trang cổng thông tin")
    PERIODIC_REPORT = "periodic_report", _("Báo cáo định kỳ")


class TaskEvidence(AuditedModel):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("loại"), max_length=20, choices=EvidenceKind.choices)
    title = models.CharField(_("mô tả"), max_length=250)
    file = models.FileField(_("tệp"), upload_to="coordinate/evidence/%Y/%m/", blank=True)
    file_size = models.PositiveIntegerField(default=0)
    url = models.CharField(_("đường dẫn"), max_length=1000, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("minh chứng")
        verbose_name_plural = pgettext_lazy("số nhiều", "minh chứng")

    def __str__(self) -> str:
        return self.title


class TaskComment(AuditedModel):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("ý kiến"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("ý kiến")
        verbose_name_plural = pgettext_lazy("số nhiều", "ý kiến")

    def __str__(self) -> str:
        return self.text[:60]


class TaskEvent(models.Model):
    """The task's own history, readable on its page (the audit log has every field)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]


class PlanTemplate(AuditedModel):
    """A plan's tasks kept to be copied into next year's plans (dates as month/day)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="templates")
    name = models.CharField(_("tên mẫu"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("mẫu kế hoạch")
        verbose_name_plural = pgettext_lazy("số nhiều", "mẫu kế hoạch")

    def __str__(self) -> str:
        return self.name


class TaskTemplate(AuditedModel):
    template = models.ForeignKey(PlanTemplate, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("tiêu đề"), max_length=250)
    description = models.TextField(_("mô tả"), blank=True)
    group = models.ForeignKey(ProgrammeGroup, on_delete=models.SET_NULL, null=True, blank=True)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    start_month = models.PositiveSmallIntegerField(default=1)
    start_day = models.PositiveSmallIntegerField(default=1)
    due_month = models.PositiveSmallIntegerField(default=12)
    due_day = models.PositiveSmallIntegerField(default=31)

    class Meta:
        ordering = ["due_month", "due_day", "id"]

    def __str__(self) -> str:
        return self.title
