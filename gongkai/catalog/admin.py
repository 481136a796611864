"""Read-only admin views: every change of an item goes through ``services`` (audited)."""

from django.contrib import admin

from gongkai.catalog.models import CatalogNode, ImportJob, Issue, Item


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Item)
class ItemAdmin(ReadOnly):
    list_display = ["index_no", "title", "org", "number", "status", "published_on", "late"]
    list_filter = ["status", "legacy_category", "kind", "validity", "late"]
    search_fields = ["index_no", "title", "number"]


@admin.register(CatalogNode)
class CatalogNodeAdmin(ReadOnly):
    list_display = ["name", "org", "level", "time_limit"]
    search_fields = ["name"]


@admin.register(Issue)
class IssueAdmin(ReadOnly):
    list_display = ["series", "year", "number", "org", "published_on"]


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnly):
    list_display = ["filename", "org", "status", "done", "total", "created_at"]
    exclude = ["data"]
