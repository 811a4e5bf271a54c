from django.contrib import admin

from concord.declarations.models import SignatureIntake


@admin.register(SignatureIntake)
class SignatureIntakeAdmin(admin.ModelAdmin):
    """Accepted API signatures waiting to be recorded, and those kept with a reason."""

    list_display = ["received_at", "declaration", "error", "claimed_until"]
    list_filter = ["declaration"]
    search_fields = ["error"]
    readonly_fields = ["declaration", "payload", "received_at", "claimed_until", "error"]

    def has_add_permission(self, request):
        return False
