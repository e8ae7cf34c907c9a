from django.contrib import admin

from zhaoshang.campaigns.models import (
    Event, EventProject, Introducer, ProjectSource, RewardPayment, RewardRule, RewardTier, Trip, TripVisit, WebhookChannel,
    WebhookDelivery,
)


class VisitInline(admin.TabularInline):
    model = TripVisit
    extra = 0
    raw_id_fields = ["enterprise", "project", "follow_up"]


@admin.register(Trip)
class TripAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "start_on", "end_on", "city", "region", "status", "zone"]
    list_filter = ["zone", "status", "region"]
    search_fields = ["title", "city"]
    inlines = [VisitInline]


class SigningInline(admin.TabularInline):
    model = EventProject
    extra = 0
    raw_id_fields = ["project"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "date", "place", "zone"]
    list_filter = ["zone", "kind"]
    search_fields = ["title", "place"]
    inlines = [SigningInline]


@admin.register(Introducer)
class IntroducerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organisation", "is_active", "zone"]
    list_filter = ["zone", "kind", "is_active"]
    search_fields = ["name", "organisation"]


class TierInline(admin.TabularInline):
    model = RewardTier
    extra = 0


@admin.register(RewardRule)
class RewardRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "cap", "start_within_days", "fixed_asset_only", "is_active", "zone"]
    list_filter = ["zone"]
    inlines = [TierInline]


@admin.register(RewardPayment)
class RewardPaymentAdmin(admin.ModelAdmin):
    list_display = ["introducer", "project", "amount", "paid_on"]
    raw_id_fields = ["project"]


@admin.register(ProjectSource)
class ProjectSourceAdmin(admin.ModelAdmin):
    list_display = ["project", "kind", "trip", "event", "introducer"]
    list_filter = ["kind"]
    raw_id_fields = ["project", "referrer", "target"]


@admin.register(WebhookChannel)
class WebhookChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "service", "is_active", "zone"]
    list_filter = ["zone", "service"]
    exclude = ["secret"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["channel", "event", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "event"]

    def has_change_permission(self, request, obj=None):
        return False
