from django.contrib import admin

from ttdn.coordinate.models import Task


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("title", "organisation", "due_date", "status")
    list_filter = ("status", "organisation__kind")
    search_fields = ("title", "organisation__name")
