"""The office edits notices and their days here; every save goes through ``services``."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from gongkai.workdays import services
from gongkai.workdays.models import CalendarYear, SpecialDay
from gongkai.workdays.rules import weekday_name


class SpecialDayInline(admin.TabularInline):
    model = SpecialDay
    fields = ["date", "kind", "name"]
    ordering = ["date"]
    extra = 0


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "day_count", "loaded_at"]
    search_fields = ["source"]
    fields = ["year", "source", "loaded_at"]
    inlines = [SpecialDayInline]

    def get_readonly_fields(self, request, obj=None):
        return ["year", "loaded_at"] if obj else ["loaded_at"]

    @admin.display(description=_("天数"))
    def day_count(self, obj):
        return obj.days.count()

    def save_model(self, request, obj, form, change):
        pass  # written with its days in save_related, as one change (services.edit_year)

    def save_related(self, request, form, formsets, change):
        days = {}
        for formset in formsets:
            formset.save(commit=False)  # fills new_objects etc. for the admin log; writes nothing
            for day_form in formset.forms:
                if day_form in formset.deleted_forms or not day_form.cleaned_data:
                    continue
                data = day_form.cleaned_data
                days[data["date"]] = (data["kind"], data["name"])
        year = form.instance
        services.edit_year(year.year, source=year.source, days=days, actor=request.user)
        year.pk = CalendarYear.objects.get(year=year.year).pk

    def get_deleted_objects(self, objs, request):
        # Days go with their year; SpecialDayAdmin is read-only, so don't ask for its permission.
        deleted, counts, _, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def delete_model(self, request, obj):
        services.delete_years([obj.year], actor=request.user)

    def delete_queryset(self, request, queryset):
        services.delete_years(queryset.values_list("year", flat=True), actor=request.user)


@admin.register(SpecialDay)
class SpecialDayAdmin(admin.ModelAdmin):
    """Read-only list across years; days are edited on their year's page."""

    list_display = ["date", "weekday", "kind", "name", "year"]
    list_filter = ["kind", "year"]
    search_fields = ["name"]
    date_hierarchy = "date"

    @admin.display(description=_("星期"))
    def weekday(self, obj):
        return weekday_name(obj.date)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
