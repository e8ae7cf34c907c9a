from django.contrib import admin

from zhaoshang.funds.models import CapitalCall, Fund, Investment


class CallInline(admin.TabularInline):
    model = CapitalCall
    extra = 0


@admin.register(Fund)
class FundAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "manager", "size", "parent_commitment", "zone"]
    list_filter = ["zone"]
    search_fields = ["name", "manager"]
    filter_horizontal = ["focus_chains"]
    inlines = [CallInline]


@admin.register(Investment)
class InvestmentAdmin(admin.ModelAdmin):
    list_display = ["fund", "investee", "date", "amount", "round", "is_local"]
    list_filter = ["fund__zone", "round", "is_local"]
    raw_id_fields = ["enterprise", "project"]
