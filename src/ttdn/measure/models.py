"""What Measure stores itself: saved searches and open-data API keys.

Indicators are not stored: they are computed from monitor's reports and stories on request
(`ttdn.measure.indicators`), so a definition change applies to all history at once and the
definition's version says which rule produced a number.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ttdn.audit.models import AuditedModel


class SavedSearch(AuditedModel):
    """A search a person wants to run again. Owned by a user *and* their organisation, so a
    province's colleagues share their searches and other provinces never see them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_searches",
        verbose_name=_("người tạo"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="saved_searches",
        verbose_name=_("tổ chức"),
    )
    name = models.CharField(_("tên"), max_length=200)
    query = models.CharField(_("từ khóa"), max_length=500)
    # the filter parameters as submitted (validated again whenever the search is run)
    filters = models.JSONField(_("bộ lọc"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("tìm kiếm đã lưu")
        verbose_name_plural = _("tìm kiếm đã lưu")

    def __str__(self) -> str:
        return self.name


class ApiKey(AuditedModel):
    """A key for the open-data API. Only a SHA-256 hash is stored: the key itself is shown
    once when it is created. `prefix` (the first characters) lets people tell keys apart."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="api_keys",
        verbose_name=_("tổ chức sở hữu"),
    )
    name = models.CharField(_("tên"), max_length=200)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    rate_limit = models.CharField(
        _("giới hạn tần suất"),
        max_length=20,
        blank=True,
        help_text=_("Ví dụ 600/min hoặc 10000/day; để trống dùng mức mặc định."),
    )
    active = models.BooleanField(_("đang hoạt động"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    AUDIT_EXCLUDE = (*AuditedModel.AUDIT_EXCLUDE, "key_hash", "last_used_at")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("khóa API")
        verbose_name_plural = _("khóa API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
