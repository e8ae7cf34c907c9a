"""Values every page template may use: the zone the user works in, the zones they may
switch to, and `can` (what they may do, zhaoshang.core.permissions). Computed lazily so
pages that don't show them run no query for them."""

from django.utils.functional import SimpleLazyObject

from zhaoshang.core import access, permissions


def _zones(user):
    from zhaoshang.core.models import Zone

    if not getattr(user, "is_authenticated", False):
        return []
    if access.is_superuser(user):
        return list(Zone.objects.order_by("code"))
    return sorted({m.zone for m in access.memberships(user)}, key=lambda z: z.code)


def zhaoshang(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"current_zone": None, "user_zones": [], "can": permissions.Capabilities(None, lambda: None)}

    return {
        "current_zone": SimpleLazyObject(lambda: access.current_zone(request)),
        "user_zones": SimpleLazyObject(lambda: _zones(user)),
        "can": permissions.Capabilities(user, lambda: access.current_zone(request)),
    }
