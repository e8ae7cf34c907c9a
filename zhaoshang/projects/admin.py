from django.contrib import admin

from zhaoshang.projects.models import FollowUp, FundArrival, Project, StageChange


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    readonly_fields = ["from_stage", "to_stage", "date", "reason", "is_backward", "recorded_by"]
    can_delete = False


class FundArrivalInline(admin.TabularInline):
    model = FundArrival
    extra = 0
    readonly_fields = ["recorded_by"]


class FollowUpInline(admin.StackedInline):
    model = FollowUp
    extra = 0
    readonly_fields = ["recorded_by"]
    filter_horizontal = ["participants"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "investor", "stage", "total_investment", "responsible_unit", "signed_on", "started_on", "zone"]
    list_filter = ["zone", "stage", "kind", "source_region", "is_fixed_asset", "cluster", "chain", "responsible_unit", "park"]
    search_fields = ["code", "name", "investor__name", "investor__uscc"]
    list_select_related = ["investor", "responsible_unit", "zone"]
    date_hierarchy = "signed_on"
    readonly_fields = ["stage", "source_region", "version", "signed_on", "started_on", "producing_on", "dropped_on"]
    filter_horizontal = ["leaders"]
    inlines = [StageChangeInline, FundArrivalInline, FollowUpInline]
    list_per_page = 50


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ["project", "from_stage", "to_stage", "date", "is_backward", "recorded_by"]
    list_filter = ["to_stage", "is_backward", "project__zone"]
    search_fields = ["project__name", "project__code"]
    list_select_related = ["project", "recorded_by"]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["project", "date", "kind", "next_step", "next_date"]
    list_filter = ["kind", "project__zone"]
    search_fields = ["project__name", "summary"]
    list_select_related = ["project"]
    date_hierarchy = "date"


@admin.register(FundArrival)
class FundArrivalAdmin(admin.ModelAdmin):
    list_display = ["project", "date", "amount", "note"]
    list_filter = ["project__zone"]
    search_fields = ["project__name", "project__code"]
    list_select_related = ["project"]
    date_hierarchy = "date"
