from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "zhaoshang.api"
    label = "api"
    verbose_name = "API"

    def ready(self):
        from zhaoshang.api.models import ApiToken
        from zhaoshang.core.changelog import track

        # Creating and revoking a token are on record (not its digest, nor each use).
        track(ApiToken, parent="user", exclude=["key_digest", "last_used_at"], zone=lambda token: None)
