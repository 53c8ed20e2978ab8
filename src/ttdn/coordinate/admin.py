"""Administration of Coordinate's reference data (programmes, report templates and their
indicators, periods, targets, award seasons); day-to-day work goes through the pages."""

from django.contrib import admin

from ttdn.coordinate import models


@admin.register(models.Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("title", "organisation", "due_date", "status", "priority")
    list_filter = ("status", "priority", "organisation__kind")
    search_fields = ("title", "organisation__name")


class GroupInline(admin.TabularInline):
    model = models.ProgrammeGroup
    extra = 0


@admin.register(models.Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "start_year", "end_year")
    inlines = [GroupInline]


class IndicatorInline(admin.TabularInline):
    model = models.ReportIndicator
    extra = 0


@admin.register(models.ReportTemplate)
class ReportTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "period_kind", "active")
    inlines = [IndicatorInline]


@admin.register(models.ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ("__str__", "start", "end", "due_date", "closed")
    list_filter = ("kind", "closed")


@admin.register(models.Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("indicator_key", "organisation", "year", "value")
    list_filter = ("indicator_key",)


class CategoryInline(admin.TabularInline):
    model = models.AwardCategory
    extra = 0


class CriterionInline(admin.TabularInline):
    model = models.AwardCriterion
    extra = 0


@admin.register(models.AwardSeason)
class AwardSeasonAdmin(admin.ModelAdmin):
    list_display = ("name", "year", "status")
    inlines = [CategoryInline, CriterionInline]


admin.site.register(models.PlanTemplate)
