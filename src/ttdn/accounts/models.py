"""Organisations (steering committee, ministries, provinces, missions) and their people.

A user belongs to at most one organisation and has one role; what a user may see or change
is decided by `ttdn.accounts.permissions`, never only by what menus show.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    STEERING_COMMITTEE = "steering", _("Ban Chỉ đạo trung ương")
    MINISTRY = "ministry", _("Bộ, ngành")
    PROVINCE = "province", _("Tỉnh")
    CITY = "city", _("Thành phố trực thuộc trung ương")
    MISSION = "mission", _("Cơ quan đại diện ở nước ngoài")


class Organisation(models.Model):
    slug = models.SlugField(_("mã"), max_length=80, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    official_name = models.CharField(_("tên chính thức"), max_length=250, blank=True)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=OrganisationKind.choices)
    website = models.URLField(_("trang web"), blank=True)
    contact_email = models.EmailField(_("thư điện tử liên hệ"), blank=True)
    description = models.TextField(_("giới thiệu"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("tổ chức")
        verbose_name_plural = pgettext_lazy("số nhiều", "tổ chức")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the interface language: the English name for English readers where
        there is one, the Vietnamese name otherwise."""
        if (get_language() or "vi").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    @property
    def is_provincial(self) -> bool:
        return self.kind in {OrganisationKind.PROVINCE, OrganisationKind.CITY}


class OrganisationAlias(models.Model):
    """A former name of a unit (one of the 63 pre-July-2025 provinces), kept so historical
    data can be rolled up onto today's map."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="aliases")
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    is_former_unit = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tên cũ")
        verbose_name_plural = pgettext_lazy("số nhiều", "tên cũ")

    def __str__(self) -> str:
        return f"{self.name} → {self.organisation.name}"


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Quản trị viên")
    CENTRAL_ANALYST = "central_analyst", _("Chuyên viên phân tích trung ương")
    LEADER = "leader", _("Lãnh đạo")
    PROVINCIAL_OFFICER = "provincial_officer", _("Cán bộ địa phương")
    MISSION_OFFICER = "mission_officer", _("Cán bộ cơ quan đại diện")
    PORTAL_EDITOR = "portal_editor", _("Biên tập viên cổng thông tin")
    TRANSLATOR = "translator", _("Biên dịch viên")
    JUROR = "juror", _("Giám khảo")
    VIEWER = "viewer", _("Người xem")


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("tổ chức"),
    )
    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices, default=Role.VIEWER)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = pgettext_lazy("số nhiều", "người dùng")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="provincial_officer")
                | models.Q(organisation__isnull=False),
                name="provincial_officer_has_organisation",
            )
        ]
