from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ttdn.core.jobs import failure_requeue
from ttdn.core.models import JobFailure


@admin.register(JobFailure)
class JobFailureAdmin(admin.ModelAdmin):
    list_display = ("name", "status", "reason", "attempts", "last_failed_at", "next_attempt_at")
    list_filter = ("status", "name", "reason")
    readonly_fields = [f.name for f in JobFailure._meta.fields]
    actions = ["requeue"]

    @admin.action(description=gettext_lazy("Xếp lại vào hàng đợi"))
    def requeue(self, request: HttpRequest, queryset: QuerySet[JobFailure]) -> None:
        sent = sum(failure_requeue(f.pk) for f in queryset)
        messages.success(request, _("Đã xếp lại %(n)s công việc.") % {"n": sent})
