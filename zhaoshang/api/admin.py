from django.contrib import admin

from zhaoshang.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "prefix"]
    readonly_fields = ["key_digest", "prefix", "last_used_at", "revoked_at"]

    def has_add_permission(self, request):
        # Tokens are made on the user's own page, where the secret is shown once.
        return False
