from django.contrib import admin

from ttdn.monitor.models import Feed, FetchLog, Report, Source, StageCounter, Story


class FeedInline(admin.TabularInline):
    model = Feed
    extra = 1
    fields = ("url", "last_status", "last_error", "last_fetched_at")
    readonly_fields = ("last_status", "last_error", "last_fetched_at")


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("name", "outlet", "country", "kind", "poll_interval_s", "active")
    list_filter = ("kind", "country", "active")
    search_fields = ("name", "outlet")
    inlines = [FeedInline]


@admin.register(FetchLog)
class FetchLogAdmin(admin.ModelAdmin):
    list_display = ("started_at", "feed", "status", "items_seen", "reports_created", "duration_ms")
    readonly_fields = [f.name for f in FetchLog._meta.fields]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("title", "source", "language", "published_at", "tone_label", "story")
    list_filter = ("language", "tone_label", "is_relevant")
    search_fields = ("title", "url")
    raw_id_fields = ("duplicate_of", "story", "source")


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ("title", "language", "report_count", "first_seen_at", "last_seen_at")
    list_filter = ("language",)
    search_fields = ("title",)
    raw_id_fields = ("first_report", "crosslingual")


@admin.register(StageCounter)
class StageCounterAdmin(admin.ModelAdmin):
    list_display = ("day", "stage", "reason", "count")
    list_filter = ("stage",)
