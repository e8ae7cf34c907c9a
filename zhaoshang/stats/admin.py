from django.contrib import admin

from zhaoshang.stats.models import AnnualFigures, EnterpriseProfile, Threshold


@admin.register(EnterpriseProfile)
class EnterpriseProfileAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "industry_code", "in_statistics", "landed_on"]
    list_filter = ["industry_code", "in_statistics"]
    search_fields = ["enterprise__name", "enterprise__uscc"]
    raw_id_fields = ["enterprise"]


@admin.register(AnnualFigures)
class AnnualFiguresAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "year", "revenue", "employees"]
    list_filter = ["year"]
    search_fields = ["enterprise__name"]
    raw_id_fields = ["enterprise"]


@admin.register(Threshold)
class ThresholdAdmin(admin.ModelAdmin):
    list_display = ["industry_code", "from_year", "basis", "min_revenue", "source"]
    list_filter = ["basis", "from_year"]
