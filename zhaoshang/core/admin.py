from django.contrib import admin

from zhaoshang.core.models import OrgUnit, Park, Person, Zone


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province", "city", "major_project_threshold"]
    search_fields = ["code", "name"]


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "zone", "is_active"]
    list_filter = ["zone", "kind", "is_active"]
    search_fields = ["name"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "unit", "zone", "is_leader"]
    list_filter = ["zone", "is_leader"]
    search_fields = ["name", "title"]
    list_select_related = ["unit", "zone"]


@admin.register(Park)
class ParkAdmin(admin.ModelAdmin):
    list_display = ["name", "zone", "operator", "floor_area_m2"]
    list_filter = ["zone"]
    search_fields = ["name"]
