from django.contrib import admin

from gongkai.reports.models import Acceptance, ExternalFigure, Report


class ReadOnly(admin.ModelAdmin):
    """Read-only in the admin: every change goes through the services, which audit it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExternalFigure)
class ExternalFigureAdmin(ReadOnly):
    list_display = ["org", "year", "key", "value", "unit", "source", "entered_by", "entered_at"]
    list_filter = ["year", "key"]
    search_fields = ["org__name", "key", "source"]


@admin.register(Report)
class ReportAdmin(ReadOnly):
    list_display = ["org", "year", "style", "scope", "revision", "status", "published_on"]
    list_filter = ["status", "style", "scope", "year"]
    search_fields = ["org__name"]


@admin.register(Acceptance)
class AcceptanceAdmin(ReadOnly):
    list_display = ["report", "rule", "message", "reason", "accepted_by", "accepted_at"]
