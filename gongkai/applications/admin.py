from django import forms
from django.contrib import admin

from gongkai.applications.models import Appeal, Application, LetterWording, Topic
from gongkai.letters.wording import ALLOWED, placeholder_errors


class LetterWordingForm(forms.ModelForm):
    """The office edits wording; only whitelisted placeholders pass (nothing is ever executed)."""

    kind = forms.ChoiceField(choices=[(k, k) for k in ALLOWED], label="文书种类")

    class Meta:
        model = LetterWording
        fields = ["org", "kind", "title", "body"]

    def clean(self):
        data = super().clean()
        allowed = ALLOWED.get(data.get("kind", ""), frozenset())
        for field in ("title", "body"):
            errors = placeholder_errors(data.get(field, ""), allowed)
            if errors:
                self.add_error(field, errors)
        return data


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "keywords", "sort", "active"]
    list_editable = ["sort", "active"]


@admin.register(LetterWording)
class LetterWordingAdmin(admin.ModelAdmin):
    form = LetterWordingForm
    list_display = ["kind", "org", "title"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only in the admin: every change of state goes through the workbench's actions."""

    list_display = ["number", "org", "channel", "received_on", "stage", "outcome", "due_date"]
    list_filter = ["stage", "channel", "regime", "outcome"]
    search_fields = ["number"]
    exclude = [
        "id_number_enc",
        "phone_enc",
        "address_enc",
        "agent_id_enc",
        "code_hash",
        "applicant_key",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    """Read-only: cases are registered and closed on the desk (/desk/appeals/), through the
    audited ``appeals.register_appeal`` and ``appeals.close_appeal``."""

    list_display = ["kind", "org", "body", "filed_on", "outcome", "closed_on"]
    list_filter = ["kind", "outcome"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
