from django.contrib import admin

from concord.organisations.models import Invitation, Organisation, Representative


class RepresentativeInline(admin.TabularInline):
    model = Representative
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "kind", "status", "applied_at"]
    list_filter = ["status", "kind", "country__region"]
    search_fields = ["name", "acronym", "city"]
    inlines = [RepresentativeInline]
    readonly_fields = ["status", "applied_by", "reviewed_at", "member_since"]


admin.site.register(Invitation)
