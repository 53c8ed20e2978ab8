from django.contrib import admin

from ttdn.reports.models import PeriodicReport, ReportSchedule


@admin.register(PeriodicReport)
class PeriodicReportAdmin(admin.ModelAdmin):
    """Reports are requested on /do-luong/bao-cao/ (which runs the job); here they can only
    be looked at."""

    list_display = ("title", "kind", "organisation", "status", "progress", "created_at")
    list_filter = ("kind", "status", "organisation")
    search_fields = ("title",)
    readonly_fields = [f.name for f in PeriodicReport._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(ReportSchedule)
class ReportScheduleAdmin(admin.ModelAdmin):
    list_display = ("kind", "organisation", "next_run_at", "last_run_at", "active")
    list_filter = ("kind", "active")
