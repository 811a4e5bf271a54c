"""The secretariat's back office: shared indicators are defined here."""

from django.contrib import admin

from concord.results.models import Project, SharedIndicator


@admin.register(SharedIndicator)
class SharedIndicatorAdmin(admin.ModelAdmin):
    list_display = ["slug", "title", "unit", "sdg", "position"]
    ordering = ["position"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "status", "planned_start", "planned_end"]
    list_select_related = ["organisation"]
    search_fields = ["title", "organisation__name"]
    raw_id_fields = ["organisation", "created_by"]
