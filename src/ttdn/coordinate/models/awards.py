"""The national foreign-information award: seasons, categories, criteria, entries, scores."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ttdn.accounts.models import Organisation
from ttdn.audit.models import AuditedModel


class SeasonStatus(models.TextChoices):
    OPEN = "open", _("Nhận tác phẩm")
    JUDGING = "judging", _("Đang chấm")
    REVIEW = "review", _("Xem xét kết quả")
    PUBLISHED = "published", _("Đã công bố")


class AwardSeason(AuditedModel):
    name = models.CharField(_("tên đợt giải"), max_length=300)
    name_en = models.CharField(_("tên đợt giải (tiếng Anh)"), max_length=300, blank=True)
    year = models.PositiveIntegerField(_("năm"))
    status = models.CharField(
        max_length=10, choices=SeasonStatus.choices, default=SeasonStatus.OPEN
    )
    published_at = models.DateTimeField(null=True, blank=True)
    # the portal's translation key of this season's winners article (set when the portal
    # drafts it): its published languages are recorded in AwardPortalArticle
    portal_key = models.UUIDField(null=True, blank=True, editable=False, db_index=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("đợt giải thưởng")
        verbose_name_plural = pgettext_lazy("số nhiều", "đợt giải thưởng")

    def __str__(self) -> str:
        return self.name


class AwardCategory(AuditedModel):
    season = models.ForeignKey(AwardSeason, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("thể loại"), max_length=200)
    name_en = models.CharField(_("thể loại (tiếng Anh)"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    def name_in(self, language: str) -> str:
        """The name for a reader of `language`: English when given, else the Vietnamese."""
        return (self.name_en or self.name) if language.startswith("en") else self.name


class AwardCriterion(AuditedModel):
    season = models.ForeignKey(AwardSeason, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("tiêu chí"), max_length=200)
    max_score = models.PositiveSmallIntegerField(_("điểm tối đa"), default=10)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class AwardEntry(AuditedModel):
    season = models.ForeignKey(AwardSeason, on_delete=models.CASCADE, related_name="entries")
    category = models.ForeignKey(AwardCategory, on_delete=models.PROTECT, related_name="entries")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị")
    )
    title = models.CharField(_("tên tác phẩm"), max_length=300)
    authors = models.CharField(_("tác giả"), max_length=300)
    file = models.FileField(_("tệp"), upload_to="coordinate/award/%Y/", blank=True)
    url = models.URLField(_("đường dẫn"), max_length=1000, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["category_id", "id"]
        verbose_name = _("tác phẩm dự giải")
        verbose_name_plural = pgettext_lazy("số nhiều", "tác phẩm dự giải")

    def __str__(self) -> str:
        return self.title


class AwardScore(AuditedModel):
    entry = models.ForeignKey(AwardEntry, on_delete=models.CASCADE, related_name="scores")
    juror = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(AwardCriterion, on_delete=models.PROTECT, related_name="+")
    score = models.FloatField(_("điểm"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "juror", "criterion"], name="award_score_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}/{self.criterion_id}: {self.score}"


class AwardResult(AuditedModel):
    """Computed from the scores, reviewed, then published (rank 1 in a category wins)."""

    entry = models.OneToOneField(AwardEntry, on_delete=models.CASCADE, related_name="result")
    total = models.FloatField()
    jurors = models.PositiveSmallIntegerField()
    rank = models.PositiveSmallIntegerField()
    prize = models.CharField(_("giải"), max_length=100, blank=True)

    class Meta:
        ordering = ["entry__category_id", "rank"]

    def __str__(self) -> str:
        return f"{self.entry} #{self.rank}"


class AwardPortalArticle(models.Model):
    """Where a season's winners are published on the portal, per language — so the one public
    place is the portal article a portal editor approved, and Coordinate's own winners page
    sends readers there (decision 0017). Written by the portal when a page is (un)published."""

    season = models.ForeignKey(
        AwardSeason, on_delete=models.CASCADE, related_name="portal_articles"
    )
    language = models.CharField(max_length=8)
    url = models.CharField(max_length=500)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["season", "language"], name="award_article_language")
        ]

    def __str__(self) -> str:
        return f"{self.season} ({self.language})"
