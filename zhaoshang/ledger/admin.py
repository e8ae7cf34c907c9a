from django.contrib import admin

from zhaoshang.ledger.models import ImportJob, LedgerSettings


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["filename", "zone", "created_by", "status", "rows_done", "rows_total", "created_at", "finished_at"]
    list_filter = ["status", "zone"]
    readonly_fields = [field.name for field in ImportJob._meta.fields]


@admin.register(LedgerSettings)
class LedgerSettingsAdmin(admin.ModelAdmin):
    list_display = ["zone", "usd_rate"]
