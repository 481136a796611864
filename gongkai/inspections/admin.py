from django.contrib import admin

from gongkai.inspections import services
from gongkai.inspections.models import (
    Batch,
    Draw,
    Entity,
    InspectionItem,
    InspectionResult,
    Inspector,
    Plan,
    Recusal,
    RegistryChange,
)


@admin.register(InspectionItem)
class InspectionItemAdmin(admin.ModelAdmin):
    list_display = ["name", "org", "importance", "ratio"]
    list_filter = ["importance"]


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ["credit_code", "name", "industry", "area", "risk_level", "active"]
    search_fields = ["name", "credit_code"]

    def save_model(self, request, obj, form, change):
        _save_with_history(request, obj, form, change)


@admin.register(Inspector)
class InspectorAdmin(admin.ModelAdmin):
    list_display = ["certificate", "name", "org", "field", "valid_until", "active"]
    search_fields = ["name", "certificate"]

    def save_model(self, request, obj, form, change):
        _save_with_history(request, obj, form, change)


def _save_with_history(request, obj, form, change):
    """Admin edits of the registries keep their history and audit entry too (RND-2/3)."""
    if not change:
        obj.save()
        services.remember_created(obj, by=request.user, source="管理后台")
        return
    fresh = type(obj).objects.get(pk=obj.pk)
    values = {name: form.cleaned_data[name] for name in form.changed_data}
    services.update_registry_row(fresh, by=request.user, source="管理后台", **values)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RegistryChange)
class RegistryChangeAdmin(ReadOnly):
    list_display = ["kind", "key", "changed_at", "changed_by", "source"]
    list_filter = ["kind"]
    search_fields = ["key"]


@admin.register(Recusal)
class RecusalAdmin(ReadOnly):
    list_display = ["assignment", "certificate", "replacement", "reason", "recorded_at"]


@admin.register(Plan)
class PlanAdmin(ReadOnly):
    list_display = ["title", "org", "year", "filed_on"]


@admin.register(Batch)
class BatchAdmin(ReadOnly):
    list_display = ["name", "plan", "item", "starts_on", "ends_on", "sample_size", "ratio"]


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
