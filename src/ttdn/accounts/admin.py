from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from ttdn.accounts.models import Organisation, OrganisationAlias, User


class OrganisationAliasInline(admin.TabularInline):
    model = OrganisationAlias
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "kind", "slug")
    list_filter = ("kind",)
    search_fields = ("name", "name_en", "slug", "aliases__name")
    inlines = [OrganisationAliasInline]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "role", "organisation", "is_active")
    list_filter = ("role", "organisation__kind", "is_active")
    fieldsets = (*BaseUserAdmin.fieldsets, ("TTĐN", {"fields": ("role", "organisation")}))  # type: ignore[misc]
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, ("TTĐN", {"fields": ("role", "organisation")}))
