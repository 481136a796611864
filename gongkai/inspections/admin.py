from django.contrib import admin

from gongkai.inspections.models import Draw, Entity, InspectionItem, InspectionResult, Inspector


@admin.register(InspectionItem)
class InspectionItemAdmin(admin.ModelAdmin):
    list_display = ["name", "org", "importance", "ratio"]
    list_filter = ["importance"]


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ["credit_code", "name", "industry", "area", "risk_level", "active"]
    search_fields = ["name", "credit_code"]


@admin.register(Inspector)
class InspectorAdmin(admin.ModelAdmin):
    list_display = ["certificate", "name", "org", "field", "valid_until", "active"]
    search_fields = ["name", "certificate"]


@admin.register(Draw)
class DrawAdmin(admin.ModelAdmin):
    """Read-only: a draw is made by ``services.draw`` and never edited (RND-7)."""

    list_display = ["pk", "item", "org", "sample_size", "created_at", "status"]
    readonly_fields = [f.name for f in Draw._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InspectionResult)
class InspectionResultAdmin(admin.ModelAdmin):
    list_display = ["draw", "entity", "outcome", "finished_on", "due", "published_on"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
