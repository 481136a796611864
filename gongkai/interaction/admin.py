"""Mailboxes are configured in the admin (name, org, clocks per MBX-2, 书记市长信箱 flag);
every change is audited. Letters are handled on the desk, not here."""

from django.contrib import admin
from django.db import transaction

from gongkai.audit.services import record
from gongkai.interaction.models import BlockedSender, HotlineMapping, Mailbox


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    list_display = ["name", "org", "accept_workdays", "reply_workdays", "leader", "active", "sort"]
    list_editable = ["active", "sort"]

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            record(
                "interaction.mailbox_save",
                actor=request.user,
                obj=obj,
                summary={"changed": sorted(form.changed_data), "created": not change},
            )

    def has_delete_permission(self, request, obj=None):
        return False  # letters keep their mailbox; deactivate instead


@admin.register(HotlineMapping)
class HotlineMappingAdmin(admin.ModelAdmin):
    list_display = ["name", "columns"]


@admin.register(BlockedSender)
class BlockedSenderAdmin(admin.ModelAdmin):
    list_display = ["kind", "value_masked", "reason", "by", "at"]
    readonly_fields = ["kind", "value_index", "value_masked", "reason", "by", "at"]

    def has_add_permission(self, request):
        return False
