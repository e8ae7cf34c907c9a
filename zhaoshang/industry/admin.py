from django.contrib import admin

from zhaoshang.industry.models import (
    ChainNode,
    ChainPlacement,
    EnterpriseRelation,
    IndustryChain,
    IndustryCluster,
    TargetCompany,
    TargetEvent,
    TargetFollowUp,
    TargetingSettings,
)


@admin.register(IndustryCluster)
class IndustryClusterAdmin(admin.ModelAdmin):
    list_display = ["name", "zone", "sort_order"]
    list_filter = ["zone"]
    search_fields = ["name"]


class ChainNodeInline(admin.TabularInline):
    model = ChainNode
    extra = 0


@admin.register(IndustryChain)
class IndustryChainAdmin(admin.ModelAdmin):
    list_display = ["name", "cluster", "tier", "zone"]
    list_filter = ["zone", "tier", "cluster"]
    search_fields = ["name"]
    inlines = [ChainNodeInline]


@admin.register(ChainNode)
class ChainNodeAdmin(admin.ModelAdmin):
    list_display = ["name", "chain", "position", "is_key"]
    list_filter = ["position", "is_key", "chain__zone"]
    search_fields = ["name", "chain__name"]


@admin.register(ChainPlacement)
class ChainPlacementAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "node", "is_chain_leader"]
    list_filter = ["is_chain_leader", "node__chain__zone", "node__chain"]
    search_fields = ["enterprise__name", "node__name"]
    raw_id_fields = ["enterprise", "node"]


@admin.register(EnterpriseRelation)
class EnterpriseRelationAdmin(admin.ModelAdmin):
    list_display = ["from_enterprise", "kind", "to_enterprise", "zone"]
    list_filter = ["kind", "zone"]
    raw_id_fields = ["from_enterprise", "to_enterprise"]


class TargetFollowUpInline(admin.TabularInline):
    model = TargetFollowUp
    extra = 0


class TargetEventInline(admin.TabularInline):
    model = TargetEvent
    extra = 0
    readonly_fields = ["kind", "date", "from_status", "to_status", "note", "data", "recorded_by"]


@admin.register(TargetCompany)
class TargetCompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "zone", "province", "region", "status", "last_contacted_on"]
    list_filter = ["zone", "status", "region", "revenue_band"]
    search_fields = ["name", "uscc"]
    raw_id_fields = ["enterprise", "project", "merged_into"]
    filter_horizontal = ["tags"]
    autocomplete_fields = ["nodes"]
    inlines = [TargetFollowUpInline, TargetEventInline]


@admin.register(TargetingSettings)
class TargetingSettingsAdmin(admin.ModelAdmin):
    list_display = ["zone", "priority_regions"]
