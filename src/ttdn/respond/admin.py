from django.contrib import admin

from ttdn.respond.models import Case, Claim, ClaimAppearance, SeverityPolicy


@admin.register(SeverityPolicy)
class SeverityPolicyAdmin(admin.ModelAdmin):
    list_display = ("severity", "assess_minutes", "publish_minutes")


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ("text", "language", "status", "organisation", "created_at")
    list_filter = ("status", "language")
    search_fields = ("text",)
    exclude = ("embedding",)


@admin.register(ClaimAppearance)
class ClaimAppearanceAdmin(admin.ModelAdmin):
    list_display = ("claim", "outlet", "language", "score", "after_answer", "found_at")
    raw_id_fields = ("claim", "report")


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "severity", "organisation", "assignee", "created_at")
    list_filter = ("status", "severity")
    search_fields = ("title",)
    raw_id_fields = ("claims",)
