from django.contrib import admin

from zhaoshang.policies.models import Claim, Condition, Payment, Policy


class ConditionInline(admin.TabularInline):
    model = Condition
    extra = 0


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["title", "level", "document_number", "valid_from", "valid_to", "is_active", "zone"]
    list_filter = ["zone", "level", "benefit_kind", "is_active"]
    search_fields = ["title", "document_number"]
    inlines = [ConditionInline]


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "policy", "applied_on", "amount_claimed", "status", "amount_approved"]
    list_filter = ["status", "policy__zone"]
    search_fields = ["enterprise__name", "policy__title"]
    raw_id_fields = ["enterprise", "project"]
    inlines = [PaymentInline]
