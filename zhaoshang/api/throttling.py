"""Rate limits: per API token (or per user for a browser session), and per address
for requests that are not authenticated. Rates are read when a request comes, so tests
and settings changes take effect at once."""

from rest_framework import throttling
from rest_framework.settings import api_settings

from zhaoshang.api.models import ApiToken


class _Rated(throttling.SimpleRateThrottle):
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class TokenRateThrottle(_Rated):
    scope = "token"

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        if isinstance(request.auth, ApiToken):
            ident = f"t{request.auth.pk}"
        else:
            ident = f"u{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AnonRateThrottle(_Rated):
    scope = "anon"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
