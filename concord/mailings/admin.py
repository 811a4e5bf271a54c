from django.contrib import admin

from concord.mailings.models import Audience, Mailing, MailingText


class MailingTextInline(admin.StackedInline):
    model = MailingText
    extra = 0


@admin.register(Mailing)
class MailingAdmin(admin.ModelAdmin):
    """A look at mailings; sending, pausing and resuming happen on their pages, where the
    checks, the rate and the audit log apply."""

    list_display = ["pk", "status", "topic", "original_language", "queued", "send_at", "public"]
    list_filter = ["status", "topic", "public"]
    readonly_fields = ["status", "queued", "prepared", "send_at", "sent_at", "released_at"]
    inlines = [MailingTextInline]


@admin.register(Audience)
class AudienceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organisation", "created_at"]
    list_filter = ["kind"]
