from django.contrib import admin

from zhaoshang.assessment.models import (
    Bulletin, DispatchEntry, DispatchRound, DispatchUnitReport, ManualAdjustment, Scheme, SchemeIndicator, SchemeItem, Target,
)


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["year", "unit", "indicator", "annual", "q1", "q2", "q3", "q4", "zone"]
    list_filter = ["zone", "year", "indicator"]


class SchemeIndicatorInline(admin.TabularInline):
    model = SchemeIndicator
    extra = 0


class SchemeItemInline(admin.TabularInline):
    model = SchemeItem
    extra = 0


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "board_size", "zone"]
    inlines = [SchemeIndicatorInline, SchemeItemInline]


@admin.register(ManualAdjustment)
class ManualAdjustmentAdmin(admin.ModelAdmin):
    list_display = ["date", "unit", "kind", "points", "note", "zone"]
    list_filter = ["zone", "kind"]


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    """Published bulletins are frozen: read-only here."""

    list_display = ["title", "number", "start", "end", "as_of", "published_at", "zone"]
    exclude = ["docx", "xlsx"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DispatchRound)
class DispatchRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "cadence", "start", "end", "deadline", "status", "zone"]
    exclude = ["report_docx", "report_xlsx"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DispatchUnitReport)
class DispatchUnitReportAdmin(admin.ModelAdmin):
    list_display = ["round", "unit", "submitted_at"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DispatchEntry)
class DispatchEntryAdmin(admin.ModelAdmin):
    list_display = ["report", "project_name", "period_investment", "cumulative_investment", "source"]

    def has_change_permission(self, request, obj=None):
        return False
