"""Alert rules, the alerts they raise, and each attempt to deliver an alert on a channel.

Why these shapes:

* A rule belongs to one organisation (a province sets its own rules; the steering committee
  sees all). Its conditions are lists kept in JSON: each is optional, and a rule matches a
  report when every condition it sets is met (see `ttdn.alerts.matching`).
* An alert keeps the organisation and the rule's name and a snapshot of what was sent
  (title, URL, outlet), so deleting a rule or a report does not erase the history or the
  latency figures computed from it.
* One `Delivery` row per alert and channel is the durable outbox: it is written in the same
  transaction as the alert, so a worker killed before sending leaves a pending row that the
  periodic retry job picks up — nothing is lost, and delivery is at-least-once (receivers
  may see a repeat after a crash; `X-TTDN-Delivery` / the alert id let them drop it).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ttdn.alerts.conf import default_cooldown_minutes
from ttdn.audit.models import AuditedModel


class KeywordMode(models.TextChoices):
    ANY = "any", _("Bất kỳ từ khóa nào")
    ALL = "all", _("Tất cả các từ khóa")


class AlertRule(AuditedModel):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="alert_rules",
        verbose_name=_("đơn vị sở hữu"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    name = models.CharField(_("tên quy tắc"), max_length=200)
    active = models.BooleanField(_("đang bật"), default=True)

    # --- conditions (each optional; all that are set must hold) ---
    keywords = models.JSONField(pgettext_lazy("alerts", "từ khóa"), default=list, blank=True)
    keyword_mode = models.CharField(
        _("cách khớp từ khóa"), max_length=3, choices=KeywordMode.choices, default=KeywordMode.ANY
    )
    places = models.JSONField(_("địa danh"), default=list, blank=True)
    entities = models.JSONField(_("nhân vật, tổ chức"), default=list, blank=True)
    min_story_reports = models.PositiveIntegerField(
        _("số bài tối thiểu của câu chuyện"), null=True, blank=True
    )
    burst_window_minutes = models.PositiveIntegerField(
        _("trong khoảng (phút)"), null=True, blank=True
    )
    tone_at_most = models.FloatField(_("sắc thái không quá"), null=True, blank=True)
    tone_at_least = models.FloatField(_("sắc thái từ"), null=True, blank=True)
    source_kinds = models.JSONField(_("loại nguồn"), default=list, blank=True)
    outlet_countries = models.JSONField(_("quốc gia của cơ quan báo chí"), default=list, blank=True)
    languages = models.JSONField(_("ngôn ngữ"), default=list, blank=True)
    relevant_only = models.BooleanField(_("chỉ bài viết về Việt Nam"), default=True)
    cooldown_minutes = models.PositiveIntegerField(
        _("thời gian chờ giữa hai cảnh báo cùng câu chuyện (phút)"),
        default=default_cooldown_minutes,
    )

    # --- delivery ---
    deliver_in_app = models.BooleanField(_("hiện trong hộp cảnh báo"), default=True)
    email_addresses = models.JSONField(_("gửi thư điện tử tới"), default=list, blank=True)
    webhook_url = models.URLField(_("địa chỉ webhook"), max_length=1000, blank=True)
    webhook_secret = models.CharField(_("khóa bí mật webhook"), max_length=128, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # the secret must not be copied into the audit log (anyone reading it could forge calls)
    AUDIT_EXCLUDE = (*AuditedModel.AUDIT_EXCLUDE, "webhook_secret")

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("quy tắc cảnh báo")
        verbose_name_plural = pgettext_lazy("số nhiều", "quy tắc cảnh báo")

    def __str__(self) -> str:
        return self.name


class AlertTrigger(models.TextChoices):
    MATCH = "match", _("Bài mới khớp quy tắc")
    BURST = "burst", _("Câu chuyện tăng đột biến")


class Alert(models.Model):
    rule = models.ForeignKey(
        AlertRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="alerts"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="alerts"
    )
    rule_name = models.CharField(max_length=200)
    report = models.ForeignKey(
        "monitor.Report", on_delete=models.SET_NULL, null=True, blank=True, related_name="alerts"
    )
    story = models.ForeignKey(
        "monitor.Story", on_delete=models.SET_NULL, null=True, blank=True, related_name="alerts"
    )
    # what was sent out: never the article text
    title = models.CharField(max_length=1000, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    outlet = models.CharField(max_length=200, blank=True)
    trigger = models.CharField(max_length=10, choices=AlertTrigger.choices)
    matched = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(db_index=True)
    # latency: from the first publication of the story (or of the report) to the first
    # successful delivery on any channel
    reference_at = models.DateTimeField()
    # True when the feed gave no publication time and the pipeline used its fetch time
    reference_estimated = models.BooleanField(default=False)
    delivered_at = models.DateTimeField(null=True, blank=True)
    latency_s = models.FloatField(null=True, blank=True)
    read_by = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("cảnh báo")
        verbose_name_plural = pgettext_lazy("số nhiều", "cảnh báo")
        constraints = [
            # re-running the evaluation of a report never raises a second alert
            models.UniqueConstraint(fields=["rule", "report"], name="alert_unique_rule_report"),
        ]
        indexes = [models.Index(fields=["rule", "story", "created_at"])]

    def __str__(self) -> str:
        return f"{self.rule_name}: {self.title}"


class Channel(models.TextChoices):
    IN_APP = "in_app", _("Trong ứng dụng")
    EMAIL = "email", _("Thư điện tử")
    WEBHOOK = "webhook", _("Webhook")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ gửi")
    SENDING = "sending", _("Đang gửi")
    DELIVERED = "delivered", _("Đã gửi")
    FAILED = "failed", _("Lỗi, sẽ gửi lại")
    GAVE_UP = "gave_up", _("Lỗi, đã dừng gửi lại")


class Delivery(models.Model):
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # email addresses (comma-separated) or webhook URL, as they were when the alert was raised
    target = models.CharField(max_length=2000, blank=True)
    status = models.CharField(
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    response_status = models.IntegerField(null=True, blank=True)
    # how long the last attempt took (SMTP conversation or HTTP exchange)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["alert_id", "channel"]
        verbose_name = _("lần gửi cảnh báo")
        verbose_name_plural = pgettext_lazy("số nhiều", "lần gửi cảnh báo")
        constraints = [
            models.UniqueConstraint(fields=["alert", "channel"], name="delivery_unique_channel")
        ]

    def __str__(self) -> str:
        return f"{self.alert_id}/{self.channel}: {self.status}"
