"""What Measure stores itself: saved searches and open-data API keys.

Indicators are not stored: they are computed from monitor's reports and stories on request
(`ttdn.measure.indicators`), so a definition change applies to all history at once and the
definition's version says which rule produced a number.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
        verbose_name_plural = pgettext_lazy("số nhiều", "tìm kiếm đã lưu")

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
        verbose_name_plural = pgettext_lazy("số nhiều", "khóa API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


# --- daily roll-ups -------------------------------------------------------------------------
# Pre-aggregated counts of monitor's reports, kept by the pipeline in the same transaction as
# each stored report (`services.rollups_add_report`) and rebuilt from the reports on demand
# (`ttdn manage rollups_rebuild`). The indicators read them instead of up to a million reports
# when every filter asked for is one of their key columns, and fall back to the exact queries
# otherwise; either way the numbers are the same (tests/measure/test_rollups.py).
#
# Each table holds several *grouping sets*: `grouping` is a bit mask of the key columns a row
# is split by (1 language, 2 outlet country, 4 source kind, 8 tone label); the other key
# columns hold "*" (ALL). One report adds 1 to one row of every grouping set, so a query for
# "90 days by outlet country" reads 90 × countries rows of one set, not the sparse cross
# product of every column (which has nearly as many rows as there are reports).


class ReportRollup(models.Model):
    """Reports per local day (settings.TIME_ZONE) and grouping set: counts and tone sums."""

    grouping = models.PositiveSmallIntegerField()
    day = models.DateField()
    is_relevant = models.BooleanField()
    language = models.CharField(max_length=16)
    outlet_country = models.CharField(max_length=2)
    source_kind = models.CharField(max_length=20)
    tone_label = models.CharField(max_length=10)
    reports = models.BigIntegerField(default=0)
    unique_reports = models.BigIntegerField(default=0)  # duplicate_of empty
    toned = models.BigIntegerField(default=0)  # tone_score present
    tone_sum = models.FloatField(default=0.0)
    positive = models.BigIntegerField(default=0)  # among toned
    negative = models.BigIntegerField(default=0)  # among toned

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "grouping",
                    "day",
                    "is_relevant",
                    "language",
                    "outlet_country",
                    "source_kind",
                    "tone_label",
                ],
                name="measure_reportrollup_key",
            )
        ]


class DimensionRollup(models.Model):
    """Reports per local day, nation-brand dimension key and grouping set (tone by
    dimension; tone with a dimension filter)."""

    grouping = models.PositiveSmallIntegerField()
    day = models.DateField()
    dimension = models.CharField(max_length=80)
    is_relevant = models.BooleanField()
    language = models.CharField(max_length=16)
    outlet_country = models.CharField(max_length=2)
    source_kind = models.CharField(max_length=20)
    tone_label = models.CharField(max_length=10)
    reports = models.BigIntegerField(default=0)
    toned = models.BigIntegerField(default=0)
    tone_sum = models.FloatField(default=0.0)
    positive = models.BigIntegerField(default=0)
    negative = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "grouping",
                    "day",
                    "dimension",
                    "is_relevant",
                    "language",
                    "outlet_country",
                    "source_kind",
                    "tone_label",
                ],
                name="measure_dimensionrollup_key",
            )
        ]


class MentionRollup(models.Model):
    """Reports naming a country or a provincial unit, per local day and grouping set: a
    report naming the same place twice counts once (as `Count(distinct)` does)."""

    grouping = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20)  # country | unit
    key = models.CharField(max_length=80)
    day = models.DateField()
    is_relevant = models.BooleanField()
    language = models.CharField(max_length=16)
    outlet_country = models.CharField(max_length=2)
    source_kind = models.CharField(max_length=20)
    tone_label = models.CharField(max_length=10)
    reports = models.BigIntegerField(default=0)
    unique_reports = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "grouping",
                    "kind",
                    "key",
                    "day",
                    "is_relevant",
                    "language",
                    "outlet_country",
                    "source_kind",
                    "tone_label",
                ],
                name="measure_mentionrollup_key",
            )
        ]


class StoryRollup(models.Model):
    """Which stories have reports in which day / week / month (and language): distinct
    stories do not add up across days, so they are kept per bucket kind, one row per story
    and bucket. A period's partial first and last buckets are counted from the day rows."""

    kind = models.CharField(max_length=5)  # day | week | month
    start = models.DateField()  # the bucket's first local day
    story_id = models.BigIntegerField()  # no foreign key: rebuilt, never cascaded
    language = models.CharField(max_length=16)
    reports = models.BigIntegerField(default=0)
    relevant_reports = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "start", "story_id", "language"], name="measure_storyrollup_key"
            )
        ]
        # covering index for the distinct-story counts (index-only on both databases)
        indexes = [
            models.Index(
                fields=["kind", "start", "story_id", "relevant_reports", "language"],
                name="measure_storyrollup_cover",
            )
        ]


class StoryCountryRollup(models.Model):
    """Which stories have reports from outlets of which country, per day / week / month (and
    language): the map's "stories" per outlet country. Distinct stories do not add up across
    countries or days, so, like `StoryRollup`, one row per story, outlet country and bucket;
    a period's partial first and last buckets are counted from the day rows. Reports without
    a source, or from a source without a country, are the country "" (as the exact query's
    group)."""

    kind = models.CharField(max_length=5)  # day | week | month
    start = models.DateField()
    outlet_country = models.CharField(max_length=2)
    story_id = models.BigIntegerField()  # no foreign key: rebuilt, never cascaded
    language = models.CharField(max_length=16)
    reports = models.BigIntegerField(default=0)
    relevant_reports = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "start", "outlet_country", "story_id", "language"],
                name="measure_storycountryrollup_key",
            )
        ]
        # covering index for the per-country distinct-story counts (index-only reads)
        indexes = [
            models.Index(
                fields=[
                    "kind",
                    "start",
                    "outlet_country",
                    "story_id",
                    "relevant_reports",
                    "language",
                ],
                name="measure_storycountry_cover",
            )
        ]


class RollupState(models.Model):
    """One row (id 1): how many reports the roll-ups account for, the highest report id
    among them, and whether something changed under them (a source's country or kind).

    Reports are append-only and get increasing ids, so the roll-ups are current when the
    highest stored report id is `max_report_id` and they are not `stale`. That check reads
    one index entry; `count(*)` would be exact against more exotic writes but costs 50–90 ms
    at 1M reports on PostgreSQL, for every chart. The indicators check it before using the
    roll-ups, so reports written around the pipeline (fixtures, bulk loads) make them fall
    back instead of answering wrong numbers."""

    reports = models.BigIntegerField(default=0)
    max_report_id = models.BigIntegerField(default=0)
    stale = models.BooleanField(default=False)
    rebuilt_at = models.DateTimeField(null=True, blank=True)


class BurstScale(models.TextChoices):
    STORY = "story", _("Câu chuyện")
    PLACE = "place", _("Địa danh")
    TOPIC = "topic", _("Chủ đề")


class BurstEvent(models.Model):
    """A story, place or topic whose reports in one hour rose abnormally against its own
    baseline (`ttdn.pipeline.bursts`; run by `measure.bursts`, hourly buckets of arrival)."""

    scale = models.CharField(_("loại"), max_length=10, choices=BurstScale.choices)
    key = models.CharField(_("khóa"), max_length=200)  # story id, unit slug, dimension key
    bucket_start = models.DateTimeField(_("giờ"))
    count = models.PositiveIntegerField(_("số bài"))
    expected = models.FloatField(_("mức thường"))
    z = models.FloatField()
    p_value = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-bucket_start", "-z"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "key", "bucket_start"], name="burst_once")
        ]
        verbose_name = _("tin nóng")
        verbose_name_plural = pgettext_lazy("số nhiều", "tin nóng")


class BurstDetectorState(models.Model):
    """The detector's baselines between runs (one row per scale): the pipeline keeps no
    state of its own, so it lives here, with the last hour processed."""

    scale = models.CharField(max_length=10, choices=BurstScale.choices, unique=True)
    bucket = models.BigIntegerField()  # the last hour processed (hours since 1970-01-01)
    keys = models.JSONField(default=dict)  # key → [mean, var, last, seen]
