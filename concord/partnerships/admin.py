"""The secretariat's back office for partnerships, where Django admin is enough (e.g. to give
funders the `add_fundingcall` permission through a group, or to correct a call)."""

from django.contrib import admin

from concord.partnerships.models import (
    Deliverable,
    ExpressionOfInterest,
    FundingApplication,
    FundingCall,
    Partner,
    Partnership,
    PartnershipRequest,
    ProgressReport,
)


@admin.register(PartnershipRequest)
class PartnershipRequestAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "purpose", "organisation", "status", "created_at"]
    list_filter = ["kind", "purpose", "status"]
    search_fields = ["title", "organisation__name"]
    raw_id_fields = ["organisation", "created_by"]


@admin.register(ExpressionOfInterest)
class ExpressionOfInterestAdmin(admin.ModelAdmin):
    list_display = ["request", "organisation", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["request", "organisation", "created_by", "decided_by"]


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0
    raw_id_fields = ["organisation"]


class DeliverableInline(admin.TabularInline):
    model = Deliverable
    extra = 0


class ProgressReportInline(admin.StackedInline):
    model = ProgressReport
    extra = 0
    raw_id_fields = ["submitted_by"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["title", "started_on", "created_at"]
    search_fields = ["title"]
    raw_id_fields = ["request", "interest", "created_by"]
    inlines = [PartnerInline, DeliverableInline, ProgressReportInline]


@admin.register(FundingCall)
class FundingCallAdmin(admin.ModelAdmin):
    list_display = ["title", "funder", "instrument", "currency", "deadline"]
    list_filter = ["instrument"]
    search_fields = ["title", "funder"]
    # Calls are entered on the site (services.create_funding_call checks them); here they are
    # read and corrected. Eligibility is worked out from these lists when asked
    # (eligibility.py), so a correction here counts at once.
    raw_id_fields = ["created_by"]


@admin.register(FundingApplication)
class FundingApplicationAdmin(admin.ModelAdmin):
    list_display = ["call", "organisation", "status", "updated_at"]
    list_filter = ["status"]
    raw_id_fields = ["call", "organisation", "updated_by"]
