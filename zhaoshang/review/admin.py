from django.contrib import admin

from zhaoshang.review.models import Claim, Evidence


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["kind", "name", "size", "uploaded_by", "created_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    """Read-only here: claims are certified and returned on the review page, through the actions."""

    list_display = ["project", "kind", "date", "status", "certified_on", "certified_by"]
    list_filter = ["status", "kind", "project__zone"]
    search_fields = ["project__name", "project__code"]
    inlines = [EvidenceInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
