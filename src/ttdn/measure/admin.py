from django.contrib import admin

from ttdn.measure.models import ApiKey, SavedSearch


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ("name", "query", "user", "organisation", "created_at")
    list_filter = ("organisation",)
    search_fields = ("name", "query")


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys are created on /do-luong/khoa-api/ (the key is shown once there); the admin can
    only look at them and switch them off."""

    list_display = ("name", "prefix", "organisation", "active", "created_at", "last_used_at")
    list_filter = ("active", "organisation")
    readonly_fields = ("prefix", "key_hash", "created_by", "created_at", "last_used_at")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
