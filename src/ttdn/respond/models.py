"""Respond: claims seen in coverage, the cases that answer them, and the published answers.

Why these shapes:

* A `Claim` is the statement, independent of who handles it; every place it appears is a
  `ClaimAppearance` (the report it was taken from, and every later re-appearance found by the
  matcher, with score and sentence), so "came back after the answer" is a simple query.
* A `Case` groups claims for one organisation; its deadlines are copied from the severity's
  policy when the case opens (changing the policy later does not move open deadlines).
* Everything that happens to a case is a `CaseEvent` (the timeline) and, through
  `AuditedModel`, an audit-log row.
* An `Answer` is one language's text of the case's clarification; `ClaimRating` holds the
  verdict per claim. Publishing needs an approved Vietnamese answer, an approved foreign one,
  and a rating for every claim; the approver is never the author.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ttdn.audit.models import AuditedModel


class ClaimStatus(models.TextChoices):
    NEW = "new", _("Mới")
    ASSESSING = "assessing", _("Đang đánh giá")
    ANSWERED = "answered", _("Đã phản hồi")
    DISMISSED = "dismissed", _("Bỏ qua")


class Severity(models.TextChoices):
    HIGH = "high", _("Cao")
    MEDIUM = "medium", _("Trung bình")
    LOW = "low", _("Thấp")


class CaseStatus(models.TextChoices):
    NEW = "new", _("Mới")
    ASSESSING = "assessing", _("Đang đánh giá")
    DRAFTING = "drafting", _("Đang soạn")
    IN_APPROVAL = "in_approval", _("Chờ phê duyệt")
    PUBLISHED = "published", _("Đã công bố")
    WATCHING = "watching", _("Đang theo dõi")
    CLOSED = "closed", _("Đã đóng")


class Rating(models.TextChoices):
    FALSE = "false", _("Sai sự thật")
    MISLEADING = "misleading", _("Gây hiểu lầm")
    MISSING_CONTEXT = "missing_context", _("Thiếu bối cảnh")
    PARTLY_FALSE = "partly_false", _("Sai một phần")
    TRUE = "true", _("Đúng")


class Claim(AuditedModel):
    text = models.TextField(_("nội dung"))
    language = models.CharField(_("ngôn ngữ"), max_length=16)
    language_detected = models.BooleanField(_("ngôn ngữ được nhận diện tự động"), default=False)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="claims",
        verbose_name=_("đơn vị"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.NEW
    )
    dismissed_reason = models.TextField(_("lý do bỏ qua"), blank=True)
    embedding = models.BinaryField(null=True, blank=True, editable=False)  # e5 "query: ", float32
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    AUDIT_EXCLUDE = ("updated_at", "created_at", "embedding")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("thông tin cần phản hồi")
        verbose_name_plural = pgettext_lazy("số nhiều", "thông tin cần phản hồi")

    def __str__(self) -> str:
        return self.text[:120]


class ClaimAppearance(models.Model):
    """One report that states the claim: where it was first seen, or a later re-appearance."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="appearances")
    report = models.ForeignKey(
        "monitor.Report", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    url = models.URLField(max_length=2000, blank=True)
    outlet = models.CharField(_("cơ quan báo chí"), max_length=200, blank=True)
    country = models.CharField(_("quốc gia"), max_length=2, blank=True)
    language = models.CharField(_("ngôn ngữ"), max_length=16, blank=True)
    published_at = models.DateTimeField(_("ngày đăng"), null=True, blank=True)
    sentence = models.TextField(_("câu khớp"), blank=True)
    score = models.FloatField(_("điểm khớp"), null=True, blank=True)
    is_origin = models.BooleanField(_("nơi phát hiện"), default=False)
    after_answer = models.BooleanField(_("sau khi phản hồi"), default=False)
    found_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-found_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "report"], name="respond_appearance_once_per_report"
            )
        ]
        verbose_name = _("lần xuất hiện")
        verbose_name_plural = pgettext_lazy("số nhiều", "lần xuất hiện")


class SeverityPolicy(models.Model):
    """Deadlines per severity (editable in the admin; defaults from `DEFAULT_DEADLINES`)."""

    severity = models.CharField(_("mức độ"), max_length=8, choices=Severity.choices, unique=True)
    assess_minutes = models.PositiveIntegerField(_("hạn đánh giá (phút)"))
    publish_minutes = models.PositiveIntegerField(_("hạn công bố (phút)"))

    class Meta:
        verbose_name = pgettext_lazy("số ít", "thời hạn theo mức độ")
        verbose_name_plural = pgettext_lazy("số nhiều", "thời hạn theo mức độ")

    def __str__(self) -> str:
        return str(self.get_severity_display())


#: minutes to first assessment and to publication (high: 30 minutes and 4 hours).
DEFAULT_DEADLINES = {
    Severity.HIGH: (30, 240),
    Severity.MEDIUM: (240, 24 * 60),
    Severity.LOW: (24 * 60, 7 * 24 * 60),
}


class Case(AuditedModel):
    title = models.CharField(_("tiêu đề"), max_length=300)
    claims = models.ManyToManyField(Claim, related_name="cases", verbose_name=_("thông tin"))
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="respond_cases",
        verbose_name=_("đơn vị chủ trì"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="respond_cases",
        verbose_name=_("người phụ trách"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    severity = models.CharField(
        _("mức độ"), max_length=8, choices=Severity.choices, default=Severity.MEDIUM
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=CaseStatus.choices,
        default=CaseStatus.NEW,
        db_index=True,
    )
    assess_due_at = models.DateTimeField(_("hạn đánh giá"))
    publish_due_at = models.DateTimeField(_("hạn công bố"))
    first_assessed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    escalated_assess = models.BooleanField(default=False)
    escalated_publish = models.BooleanField(default=False)
    slug = models.SlugField(max_length=80, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("hồ sơ phản hồi")
        verbose_name_plural = pgettext_lazy("số nhiều", "hồ sơ phản hồi")

    def __str__(self) -> str:
        return self.title

    def overdue(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        if self.first_assessed_at is None and self.assess_due_at < now:
            return True
        return (
            self.published_at is None
            and self.status != CaseStatus.CLOSED
            and (self.publish_due_at < now)
        )


class CaseEvent(models.Model):
    """The case's timeline: every change, note and hand-over, in order."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=32)
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]


class EvidenceKind(models.TextChoices):
    REPORT = "report", _("Bài báo")
    STORY = "story", _("Câu chuyện")
    FILE = "file", _("Tệp")
    LINK = "link", _("Đường dẫn")


class Evidence(AuditedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("loại"), max_length=8, choices=EvidenceKind.choices)
    report = models.ForeignKey(
        "monitor.Report", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    story = models.ForeignKey(
        "monitor.Story", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file = models.FileField(_("tệp"), upload_to="respond/evidence/%Y/%m/", blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    url = models.URLField(_("đường dẫn"), max_length=2000, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name = _("bằng chứng")
        verbose_name_plural = pgettext_lazy("số nhiều", "bằng chứng")

    def __str__(self) -> str:
        return self.note or self.url or self.file.name or self.kind


class Fact(AuditedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="facts")
    statement = models.TextField(_("sự thật đã kiểm chứng"))
    source_url = models.URLField(_("nguồn"), max_length=2000)
    source_name = models.CharField(_("tên nguồn"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return self.statement[:120]


class Note(AuditedModel):
    """Internal note (sanitised HTML); never shown on public pages."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    body = models.TextField(_("ghi chú nội bộ"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return self.body[:80]


class AnswerStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    SUBMITTED = "submitted", _("Chờ phê duyệt")
    APPROVED = "approved", _("Đã phê duyệt")


class Answer(AuditedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="answers")
    language = models.CharField(_("ngôn ngữ"), max_length=16)
    title = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"))  # sanitised HTML
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người soạn"),
    )
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=AnswerStatus.choices, default=AnswerStatus.DRAFT
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người phê duyệt"),
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(fields=["case", "language"], name="respond_answer_per_language")
        ]
        verbose_name = _("bài phản hồi")
        verbose_name_plural = pgettext_lazy("số nhiều", "bài phản hồi")

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


class ClaimRating(AuditedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="ratings")
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="ratings")
    rating = models.CharField(_("đánh giá"), max_length=20, choices=Rating.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "claim"], name="respond_rating_per_claim")
        ]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.rating}"


class Notification(models.Model):
    """In-app notice for one user (re-appearance of an answered claim, passed deadline)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="respond_notifications"
    )
    kind = models.CharField(max_length=32)
    text = models.CharField(max_length=500)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class PickupKind(models.TextChoices):
    LINK = "link", _("đường liên kết trong HTML")
    TRANSLATION = "translation", _("bản dịch")


class AnswerPickup(models.Model):
    """A report that picked up a published answer in a way no query over its text finds:
    a link in its HTML only, or the answer translated into the report's language.

    Why a table: the monitor keeps a page's links to our own hosts only in REPORT_STORED's
    `links` (not in the report), and a translation is recognised by sentence vectors
    (`ttdn.respond.translated`), so such a pickup must be written down when the report is
    stored; a link or a quotation in the report's text is found later by a query
    (`selectors._pickup_filter`)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="link_pickups")
    report = models.ForeignKey("monitor.Report", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=PickupKind.choices, default=PickupKind.LINK)
    # the cross-language score (`crosslingual.page_match`) of a translation; None for a link
    score = models.FloatField(null=True, blank=True)
    found_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "report"], name="respond_pickup_once")
        ]
