"""Who may see what: a user's memberships, read once per request and cached on the user."""

from zhaoshang.core.models import ZONE_WIDE_ROLES, Membership, Role


def memberships(user) -> list[Membership]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_zhaoshang_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("zone", "unit", "park"))
        user._zhaoshang_memberships = cached
    return cached


def is_superuser(user) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active)


def zone_ids(user, roles=None) -> set[int]:
    """The zones where the user holds one of `roles` (any role by default)."""
    return {m.zone_id for m in memberships(user) if roles is None or m.role in roles}


def zone_wide_ids(user) -> set[int]:
    return zone_ids(user, ZONE_WIDE_ROLES)


def unit_ids(user, role=Role.UNIT) -> set[int]:
    return {m.unit_id for m in memberships(user) if m.role == role and m.unit_id}


def park_ids(user) -> set[int]:
    return {m.park_id for m in memberships(user) if m.role == Role.PARK and m.park_id}


def current_zone(request):
    """The zone the user works in now: the one chosen with the zone switcher (kept in the
    session) when the user belongs to it, else their first zone; None without any."""
    from zhaoshang.core.models import Zone

    user = request.user
    if is_superuser(user):
        allowed = Zone.objects.all()
    else:
        allowed = Zone.objects.filter(pk__in=zone_ids(user))
    chosen = request.session.get("zone_id")
    zone = allowed.filter(pk=chosen).first() if chosen else None
    return zone or allowed.order_by("code").first()
