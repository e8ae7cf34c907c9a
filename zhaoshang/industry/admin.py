from django.contrib import admin

from zhaoshang.industry.models import ChainNode, IndustryChain, IndustryCluster


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
