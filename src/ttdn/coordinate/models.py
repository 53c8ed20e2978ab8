"""Tasks assigned to an organisation. The first business data every role rule is tested on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ttdn.accounts.models import Organisation
from ttdn.audit.models import AuditedModel


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Chưa bắt đầu")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Hoàn thành")


class Task(AuditedModel):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("đơn vị")
    )
    title = models.CharField(_("tiêu đề"), max_length=250)
    description = models.TextField(_("mô tả"), blank=True)
    due_date = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")

    def __str__(self) -> str:
        return self.title
