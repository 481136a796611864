from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from gongkai.orgs import rules, services
from gongkai.orgs.models import Org, User


class OrgForm(forms.ModelForm):
    # Declared here to pick the scheme for bare host names (Django 6 default, no warning).
    website = forms.URLField(label=_("网站"), required=False, assume_scheme="https")

    class Meta:
        model = Org
        fields = [
            "name",
            "short_name",
            "level",
            "kind",
            "parent",
            "credit_code",
            "website",
            "office_name",
            "office_phone",
            "office_address",
            "office_postcode",
            "office_email",
            "sort",
        ]

    def clean_credit_code(self):
        code = self.cleaned_data["credit_code"].strip()
        if code and (error := rules.credit_code_error(code)):
            raise forms.ValidationError(error)
        return code

    def clean_office_postcode(self):
        code = self.cleaned_data["office_postcode"].strip()
        if code and (error := rules.postcode_error(code)):
            raise forms.ValidationError(error)
        return code

    def clean_parent(self):
        parent = self.cleaned_data["parent"]
        if parent and self.instance.pk and parent.is_within(self.instance):
            raise forms.ValidationError(_("不能把机关移到自身或其下级机关之下"))
        return parent


@admin.register(Org)
class OrgAdmin(admin.ModelAdmin):
    form = OrgForm
    list_display = ["name", "short_name", "level", "kind", "parent", "credit_code", "website"]
    list_filter = ["level", "kind"]
    search_fields = ["name", "short_name", "credit_code"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]

    def save_model(self, request, obj, form, change):
        # Through the services, so paths, validation and the audit log stay right.
        values = {key: getattr(obj, key) for key in services.EDITABLE}
        if not change:
            org = services.create_org(actor=request.user, parent=obj.parent, **values)
            obj.pk, obj.path, obj.depth = org.pk, org.path, org.depth
            obj._state.adding, obj._state.db = False, org._state.db
            return
        org = Org.objects.get(pk=obj.pk)
        services.update_org(org, actor=request.user, **values)
        services.move_org(org, parent=obj.parent, actor=request.user)
        obj.refresh_from_db()

    def has_delete_permission(self, request, obj=None):
        # Staff, applications and letters hang off orgs; there is no audited delete yet.
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("机关与角色"), {"fields": ("full_name", "org", "role")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("机关与角色"), {"fields": ("full_name", "org", "role")}),
    )
    list_display = ["username", "full_name", "org", "role", "is_active", "is_superuser"]
    list_filter = ["role", "is_active", "is_superuser"]
    search_fields = ["username", "full_name", "email", "org__name"]
    autocomplete_fields = ["org"]
    list_select_related = ["org"]
