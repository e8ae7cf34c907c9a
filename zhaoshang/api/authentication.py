"""Personal API tokens (`Authorization: Bearer zs_…`) and the browser's session."""

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from zhaoshang.api.actions import touch_token
from zhaoshang.api.models import ApiToken, digest

KEYWORDS = {"bearer", "token"}


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Authorization 头格式应为“Bearer 令牌”"), code="token_malformed")
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("令牌无效"), code="token_invalid") from None
        token = ApiToken.objects.select_related("user").filter(key_digest=digest(secret)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("令牌无效"), code="token_invalid")
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("令牌已撤销"), code="token_revoked")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("账号已停用"), code="user_inactive")
        touch_token(token)
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser's login session (with Django's CSRF check on writes)."""


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "zhaoshang.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": _("个人 API 令牌，在“我的 API 令牌”页面创建")}


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "zhaoshang.api.authentication.SessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
