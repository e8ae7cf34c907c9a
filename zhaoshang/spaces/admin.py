from django.contrib import admin

from zhaoshang.spaces.models import Building, SpaceUnit


class UnitInline(admin.TabularInline):
    model = SpaceUnit
    extra = 0
    raw_id_fields = ["tenant_enterprise", "tenant_project"]


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ["name", "park", "floors"]
    list_filter = ["park__zone", "park"]
    inlines = [UnitInline]


@admin.register(SpaceUnit)
class SpaceUnitAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "area_m2", "status", "tenant_project", "tenant_enterprise", "rent"]
    list_filter = ["status", "kind", "building__park"]
    raw_id_fields = ["tenant_enterprise", "tenant_project"]
