"""The secretariat's back office for case studies. Status changes go through the pages (and
their services), so they are reviewed, logged and indexed; here they are read-only."""

from django.contrib import admin

from concord.knowledge.models import Adaptation, BuildingBlock, Practice, Translation


class BuildingBlockInline(admin.StackedInline):
    model = BuildingBlock
    extra = 0


class TranslationInline(admin.StackedInline):
    model = Translation
    extra = 0
    raw_id_fields = ["translated_by"]


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "language", "status", "published_at"]
    list_filter = ["status", "language", "setting"]
    search_fields = ["title", "summary"]
    raw_id_fields = ["organisation", "created_by"]
    readonly_fields = ["status", "submitted_at", "published_at", "revision"]
    inlines = [BuildingBlockInline, TranslationInline]


@admin.register(Adaptation)
class AdaptationAdmin(admin.ModelAdmin):
    list_display = ["practice", "organisation", "country", "created_at"]
    raw_id_fields = ["practice", "organisation", "created_by"]
