"""A user's memberships, read once per request and cached on the user, and the primitives
built on them (zone, unit and park ids, the current zone, managing users). They are the
building blocks of the querysets' visible_to(user) — the only place where the rule for
which rows a user reads is written — and of the capabilities in core/permissions.py;
views, the API and exports filter rows with visible_to, never with these."""

from zhaoshang.core.models import ZONE_WIDE_ROLES, Membership, Role

# Roles that read an investor's contact person and phone in every project of their zone;
# a unit member reads them for the unit's own projects (core.masking.can_see_contacts).
CONTACT_ROLES = frozenset({Role.ADMIN, Role.LEADERSHIP, Role.BUREAU})


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
    session) when the user belongs to it, else their first zone; None without any.
    Looked up once per request."""
    cached = getattr(request, "_zhaoshang_current_zone", False)
    if cached is False:
        cached = request._zhaoshang_current_zone = _find_current_zone(request)
    return cached


def _find_current_zone(request):
    from zhaoshang.core.models import Zone

    user = request.user
    if is_superuser(user):
        allowed = Zone.objects.all()
    else:
        allowed = Zone.objects.filter(pk__in=zone_ids(user))
    chosen = request.session.get("zone_id")
    zone = allowed.filter(pk=chosen).first() if chosen else None
    return zone or allowed.order_by("code").first()


def observer_zone_ids(user) -> set[int]:
    return zone_ids(user, {Role.OBSERVER})


def has_role(user, roles, zone=None) -> bool:
    """Whether the user holds one of `roles` (in `zone`, or in any zone); superusers do."""
    if is_superuser(user):
        return True
    zone_id = getattr(zone, "pk", zone)
    return any(m.role in roles and (zone_id is None or m.zone_id == zone_id) for m in memberships(user))


def manager_zone_ids(user) -> set[int]:
    """Zones whose users and audit trail this user manages: administrators and the bureau."""
    from zhaoshang.core.models import Zone

    if is_superuser(user):
        return set(Zone.objects.values_list("pk", flat=True))
    return zone_ids(user, {Role.ADMIN, Role.BUREAU})


# --- managing users ----------------------------------------------------------------------

MANAGER_ROLES = frozenset({Role.ADMIN, Role.BUREAU})


def can_manage(user, zone) -> bool:
    """Whether `user` manages the users, settings and audit trail of `zone`."""
    return zone is not None and has_role(user, MANAGER_ROLES, zone)


def assignable_roles(user, zone) -> list:
    """Roles `user` may grant in `zone`: every role for administrators, all but the
    administrator's for the bureau."""
    if not can_manage(user, zone):
        return []
    if has_role(user, {Role.ADMIN}, zone):
        return list(Role)
    return [role for role in Role if role != Role.ADMIN]


def manageable_users(user, zone):
    """The logins `user` manages in `zone`: those holding a role there (never a superuser,
    unless the manager is one; never an administrator, unless the manager is one there)."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.all()
    if not can_manage(user, zone):
        return users.none()
    users = users.filter(memberships__zone=zone)
    if not is_superuser(user):
        users = users.filter(is_superuser=False)
        if not has_role(user, {Role.ADMIN}, zone):
            users = users.exclude(memberships__zone=zone, memberships__role=Role.ADMIN)
    return users.distinct()


def can_manage_account(user, target) -> bool:
    """Account-wide changes (deactivating, resetting the password) need every zone the
    target belongs to to be managed by `user`."""
    if is_superuser(user):
        return True
    if target.is_superuser or target.pk == user.pk:
        return False
    managed = manager_zone_ids(user)
    target_zones = {m.zone_id for m in Membership.objects.filter(user=target)}
    return bool(target_zones) and target_zones <= managed
