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


# Users are deactivated, never deleted: their records keep naming them.
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.admin import UserAdmin  # noqa: E402

from zhaoshang.core.models import ChangeRecord, Membership  # noqa: E402


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = []


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class ZhaoshangUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    actions = []

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ChangeRecord)
class ChangeRecordAdmin(admin.ModelAdmin):
    list_display = ["timestamp", "username", "action", "content_type", "object_repr", "zone"]
    list_filter = ["action", "zone", "content_type"]
    search_fields = ["object_repr", "username", "request_id"]
    date_hierarchy = "timestamp"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
