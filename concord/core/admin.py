from django.contrib import admin

from concord.core.models import AuditEvent, BouncingAddress, OutgoingEmail


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "subject", "actor"]
    list_filter = ["action"]
    search_fields = ["subject", "action", "actor__email"]
    readonly_fields = ["created_at", "action", "subject", "actor", "data"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to", "subject", "sent_at", "attempts"]
    list_filter = ["sent_at"]
    search_fields = ["to", "subject", "key"]
    exclude = ["one_time_links"]

    # The outbox holds people's addresses and, until sent, links that act once: only
    # superusers may look, and nobody edits it (a changed body would be sent as ours).
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BouncingAddress)
class BouncingAddressAdmin(admin.ModelAdmin):
    """Addresses mail no longer reaches (core/bounces.py); deleting one lets mail go again,
    as its owner's reset on the account page does."""

    list_display = ["address", "since", "reason"]
    search_fields = ["address"]
    readonly_fields = ["address", "since", "reason"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    has_view_permission = has_module_permission
