"""What the monitor stores: sources and their feeds, reports (articles), stories.

Reports keep the article text for analysis inside the platform only; nothing that leaves
the system (open data, portal) may carry it. Counts are honest: a report that is a copy of
another (`duplicate_of`) is kept and linked, so both "reports" and "unique stories" can be
counted.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ttdn.audit.models import AuditedModel


class SourceKind(models.TextChoices):
    INTERNATIONAL = "international", _("Quốc tế")
    DOMESTIC = "domestic", _("Trong nước")
    OWN = "own", _("Của ta")


class Source(AuditedModel):
    name = models.CharField(_("tên nguồn"), max_length=200)
    outlet = models.CharField(_("cơ quan báo chí"), max_length=200, blank=True)
    country = models.CharField(_("quốc gia của cơ quan báo chí"), max_length=2, blank=True)
    languages = models.JSONField(_("ngôn ngữ"), default=list, blank=True)
    kind = models.CharField(
        _("loại nguồn"), max_length=20, choices=SourceKind.choices, default=SourceKind.INTERNATIONAL
    )
    poll_interval_s = models.PositiveIntegerField(_("chu kỳ thu thập (giây)"), default=900)
    allow_private = models.BooleanField(
        _("cho phép địa chỉ nội bộ"),
        default=False,
        help_text=_("Chỉ bật cho nguồn chạy trong mạng nội bộ (ví dụ nguồn trình diễn)."),
    )
    active = models.BooleanField(_("đang hoạt động"), default=True)
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    locked_by = models.CharField(max_length=120, blank=True)  # "host:pid:token" of the poller
    # when the holder took the lock (renewals move only locked_until): the health page shows
    # how long a source has been held, so one stuck on a dead worker's lock is seen
    locked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    AUDIT_EXCLUDE = (
        *AuditedModel.AUDIT_EXCLUDE, "next_poll_at", "locked_until", "locked_by", "locked_at"
    )  # fmt: skip

    class Meta:
        ordering = ["name"]
        verbose_name = _("nguồn tin")
        verbose_name_plural = pgettext_lazy("số nhiều", "nguồn tin")

    def __str__(self) -> str:
        return self.name


class Feed(AuditedModel):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="feeds")
    url = models.URLField(_("địa chỉ"), max_length=1000)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    hub_url = models.URLField(max_length=1000, blank=True)
    last_status = models.IntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)

    AUDIT_EXCLUDE = (
        *AuditedModel.AUDIT_EXCLUDE,
        "etag",
        "last_modified",
        "last_status",
        "last_error",
        "last_fetched_at",
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "url"], name="feed_unique_url")]
        verbose_name = _("kênh tin")
        verbose_name_plural = pgettext_lazy("số nhiều", "kênh tin")

    def __str__(self) -> str:
        return self.url


class FetchLog(models.Model):
    """One poll of one feed: what came back and every error, readable by a person."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="fetch_logs")
    started_at = models.DateTimeField(auto_now_add=True, db_index=True)
    duration_ms = models.PositiveIntegerField(default=0)
    status = models.IntegerField(null=True, blank=True)
    items_seen = models.PositiveIntegerField(default=0)
    reports_created = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("lần thu thập")
        verbose_name_plural = _("nhật ký thu thập")


class CrossLingualStory(models.Model):
    """Stories in different languages about the same event."""

    created_at = models.DateTimeField(auto_now_add=True)
    title = models.CharField(max_length=500, blank=True)


class Story(models.Model):
    language = models.CharField(max_length=16, db_index=True)
    title = models.CharField(max_length=500)
    first_report = models.ForeignKey(
        "Report", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    crosslingual = models.ForeignKey(
        CrossLingualStory, on_delete=models.SET_NULL, null=True, blank=True, related_name="stories"
    )
    cluster_key = models.CharField(max_length=64, unique=True)
    first_seen_at = models.DateTimeField(db_index=True)
    last_seen_at = models.DateTimeField(db_index=True)
    report_count = models.PositiveIntegerField(default=0)
    unique_report_count = models.PositiveIntegerField(default=0)
    tone_mean = models.FloatField(null=True, blank=True)
    dimensions = models.JSONField(default=dict, blank=True)
    # outlet country → its reports, place key → reports naming it (ttdn.monitor.story_facets):
    # the story list's filters read these instead of every report of the archive
    countries = models.JSONField(default=dict, blank=True)
    places = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]
        # the story list's orders: newest within one language, and largest first; it walks
        # one of these and stops at the first 100 matches (ttdn.monitor.story_table)
        indexes = [
            models.Index(fields=["language", "-last_seen_at"], name="story_language_recent_idx"),
            models.Index(fields=["-report_count", "-last_seen_at"], name="story_size_idx"),
        ]
        verbose_name = _("câu chuyện")
        verbose_name_plural = pgettext_lazy("số nhiều", "câu chuyện")

    def __str__(self) -> str:
        return self.title


class Report(models.Model):
    source = models.ForeignKey(
        Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    url = models.URLField(max_length=2000)
    canonical_url = models.CharField(max_length=2000)
    url_hash = models.CharField(max_length=64, unique=True)
    title = models.CharField(max_length=1000, blank=True)
    text = models.TextField(blank=True)
    author = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    published_at_estimated = models.BooleanField(default=False)
    fetched_at = models.DateTimeField(auto_now_add=True, db_index=True)
    stored_at = models.DateTimeField(auto_now=True)
    language = models.CharField(max_length=16, blank=True, db_index=True)
    language_confidence = models.FloatField(default=0.0)
    fingerprint = models.CharField(max_length=32, blank=True, db_index=True)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    story = models.ForeignKey(
        Story, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    is_relevant = models.BooleanField(default=False, db_index=True)
    relevance_score = models.FloatField(default=0.0)
    tone_score = models.FloatField(null=True, blank=True)
    tone_label = models.CharField(max_length=10, blank=True)
    tone_confidence = models.FloatField(default=0.0)
    country_tone_score = models.FloatField(null=True, blank=True)
    country_tone_label = models.CharField(max_length=10, blank=True)
    dimensions = models.JSONField(default=dict, blank=True)
    # float16 embedding, kept so the clusterer's state can be rebuilt after a restart
    embedding = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-id"]
        # a story's reports of the last hours (the story list's growth, the overview's
        # rising stories): read without touching the story's older reports
        indexes = [models.Index(fields=["story", "published_at"], name="report_story_time_idx")]
        verbose_name = pgettext_lazy("số ít", "bài báo")
        verbose_name_plural = pgettext_lazy("số nhiều", "bài báo")

    def __str__(self) -> str:
        return self.title or self.url


class PlaceMention(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="places")
    kind = models.CharField(max_length=20)  # country | unit | landmark
    key = models.CharField(max_length=80, db_index=True)  # country code or current unit slug
    alias = models.CharField(max_length=200)
    is_former_name = models.BooleanField(default=False)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()


class StageCounter(models.Model):
    """Named counters per stage and reason, per day: every dropped item is counted."""

    day = models.DateField()
    stage = models.CharField(max_length=40)
    reason = models.CharField(max_length=80)
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "stage", "reason"], name="stage_counter_unique")
        ]
        verbose_name = pgettext_lazy("số ít", "bộ đếm theo khâu")
        verbose_name_plural = pgettext_lazy("số nhiều", "bộ đếm theo khâu")


class WebSubState(models.TextChoices):
    REQUESTED = "requested", _("Đã gửi yêu cầu")
    ACTIVE = "active", _("Đang nhận")
    DENIED = "denied", _("Bị từ chối")
    FAILED = "failed", _("Lỗi")
    UNSUBSCRIBED = "unsubscribed", _("Đã huỷ")


class WebSubSubscription(models.Model):
    """Our subscription to a feed's WebSub hub (push delivery of new items).

    `token` names the callback URL (unguessable, one per subscription); `secret` signs the
    hub's deliveries. Polling continues beside it, so a lapsed subscription costs latency only.
    """

    feed = models.OneToOneField(Feed, on_delete=models.CASCADE, related_name="websub")
    hub_url = models.URLField(max_length=1000)
    topic = models.URLField(max_length=1000)
    token = models.CharField(max_length=64, unique=True)
    secret = models.CharField(max_length=128)
    state = models.CharField(max_length=20, choices=WebSubState.choices)
    pending_mode = models.CharField(max_length=20, blank=True)
    requested_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    # when nine tenths of the granted lease have passed: renewed from then on
    renew_after = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    deliveries = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("đăng ký WebSub")
        verbose_name_plural = pgettext_lazy("số nhiều", "đăng ký WebSub")

    def __str__(self) -> str:
        return f"{self.topic} @ {self.hub_url} ({self.state})"


class WebSubDelivery(models.Model):
    """One signed body a hub pushed: stored first, ingested by the worker afterwards, so the
    hub gets its 2xx at once and a worker killed mid-ingest loses nothing (it is retried)."""

    subscription = models.ForeignKey(
        WebSubSubscription, on_delete=models.CASCADE, related_name="pushed"
    )
    received_at = models.DateTimeField(auto_now_add=True)
    content_type = models.CharField(max_length=200, blank=True)
    body = models.BinaryField()
    processed_at = models.DateTimeField(null=True, blank=True)
    reports_created = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["processed_at", "received_at"])]


class PendingArticle(models.Model):
    """A fetched and enriched article waiting for the single story consumer.

    The stateless stages (fetch, extract, language, places, embedding, tone, dimensions) run
    in any number of workers and leave their result here; the stateful ones (near-duplicate
    check, story assignment) run in one consumer, which stores the report and deletes this
    row in one transaction — so a worker killed on either side loses and doubles nothing.
    """

    url_hash = models.CharField(max_length=64, unique=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.CASCADE)
    article = models.JSONField()
    enrichment = models.JSONField()
    embedding = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    # the poll that queued it: the consumer counts the report it stores to that fetch, so the
    # health page's "new reports" is right when another process stores them (scaled out)
    fetch_log = models.ForeignKey(
        FetchLog, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class ConsumerLease(models.Model):
    """Who may run a single-consumer job (story assignment) now: `owner` until `until`."""

    name = models.CharField(max_length=50, primary_key=True)
    owner = models.CharField(max_length=200, blank=True)
    until = models.DateTimeField(null=True, blank=True)
