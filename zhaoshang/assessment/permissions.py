"""Who may do what in assessment, per zone:
- the bureau and admins manage targets, schemes, adjustments, bulletins and rounds;
- leadership (and the bureau) read everything of the zone;
- observers read rankings and published bulletins;
- a unit (or department) member reads its own unit's score, its targets, the published
  bulletins addressed to it, and fills its own dispatch entries.
"""

from zhaoshang.core import access
from zhaoshang.core.models import Role

MANAGE_ROLES = {Role.ADMIN, Role.BUREAU}
RANKING_ROLES = {Role.ADMIN, Role.BUREAU, Role.LEADERSHIP, Role.OBSERVER}
BULLETIN_ROLES = RANKING_ROLES | {Role.UNIT, Role.DEPARTMENT}


def _roles(user, zone) -> set[str]:
    return {m.role for m in access.memberships(user) if m.zone_id == zone.pk}


def can_manage(user, zone) -> bool:
    return access.is_superuser(user) or bool(_roles(user, zone) & MANAGE_ROLES)


def sees_whole_zone(user, zone) -> bool:
    return access.is_superuser(user) or zone.pk in access.zone_wide_ids(user)


def can_see_rankings(user, zone) -> bool:
    return access.is_superuser(user) or bool(_roles(user, zone) & RANKING_ROLES)


def can_see_bulletins(user, zone) -> bool:
    return access.is_superuser(user) or bool(_roles(user, zone) & BULLETIN_ROLES)


def own_unit_ids(user, zone) -> set[int]:
    """The units whose score and dispatch entries this user may see as their own."""
    return {
        m.unit_id for m in access.memberships(user)
        if m.zone_id == zone.pk and m.unit_id and m.role in (Role.UNIT, Role.DEPARTMENT)
    }


def can_see_unit(user, zone, unit_id: int) -> bool:
    return sees_whole_zone(user, zone) or unit_id in own_unit_ids(user, zone)
