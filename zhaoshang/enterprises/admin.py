from django.contrib import admin

from zhaoshang.enterprises.models import Enterprise, Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "uscc", "province", "city", "zone"]
    list_filter = ["zone", "tags", "province"]
    search_fields = ["name", "uscc"]
    filter_horizontal = ["tags"]
