"""Every write to API tokens."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.api.models import TOKEN_PREFIX, ApiToken, digest

MAX_ACTIVE_TOKENS = 20


@transaction.atomic
def create_token(*, user, name: str, actor=None) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the secret, which is never shown again."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写令牌名称")})
    if len(name) > 100:
        raise ValidationError({"name": _("令牌名称不能超过100个字")})
    if ApiToken.objects.filter(user=user).active().count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError({"name": _("有效令牌最多%(count)s个，请先撤销不用的令牌") % {"count": MAX_ACTIVE_TOKENS}})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, key_digest=digest(secret), prefix=secret[:10])
    return token, secret


@transaction.atomic
def revoke_token(token: ApiToken, *, actor) -> ApiToken:
    """Revoke a token; only its owner (or a superuser) may. Revoking twice changes nothing."""
    if actor is not None and actor.pk != token.user_id and not actor.is_superuser:
        raise PermissionDenied(_("只能撤销自己的令牌"))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
    return token


def touch_token(token: ApiToken) -> None:
    """Note that a token was used, at most once a minute (a conditional UPDATE, no save())."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
