from django.contrib import admin

from concord.declarations.models import SignatureIntake


@admin.register(SignatureIntake)
class SignatureIntakeAdmin(admin.ModelAdmin):
    """Accepted API signatures waiting to be recorded, those kept with a reason, and those
    recorded in the last day (remembered so a retried submission is not recorded twice)."""

    list_display = ["received_at", "declaration", "error", "claimed_until", "recorded_at"]
    list_filter = ["declaration"]
    search_fields = ["error"]
    readonly_fields = [
        "declaration",
        "payload",
        "submission",
        "received_at",
        "claimed_until",
        "recorded_at",
        "error",
    ]

    def has_add_permission(self, request):
        return False
