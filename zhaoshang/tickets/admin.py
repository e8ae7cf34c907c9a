from django.contrib import admin

from zhaoshang.tickets.models import (
    Notification, Ticket, TicketAttachment, TicketCategory, TicketEvent, TimeLimit, WorkCalendarDay,
)


@admin.register(TicketCategory)
class TicketCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "zone", "sort_order", "is_active"]
    list_filter = ["zone", "is_active"]


@admin.register(TimeLimit)
class TimeLimitAdmin(admin.ModelAdmin):
    list_display = ["zone", "step", "severity", "working_days"]
    list_filter = ["zone"]


@admin.register(WorkCalendarDay)
class WorkCalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "zone", "is_working_day", "note"]
    list_filter = ["zone", "is_working_day"]
    date_hierarchy = "date"


class TicketEventInline(admin.TabularInline):
    model = TicketEvent
    extra = 0
    can_delete = False
    fields = ["at", "kind", "actor", "department", "status_after", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    """Read-only: the flow's rules live in tickets.actions, used by the pages."""

    list_display = ["code", "title", "zone", "category", "lead_department", "status", "raised_on", "solve_due"]
    list_filter = ["zone", "status", "severity", "category"]
    search_fields = ["code", "title"]
    list_select_related = ["zone", "category", "lead_department"]
    inlines = [TicketEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TicketAttachment)
class TicketAttachmentAdmin(admin.ModelAdmin):
    list_display = ["name", "ticket", "size", "uploaded_by", "created_at"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "text", "created_at", "read_at"]
    list_filter = ["read_at"]
