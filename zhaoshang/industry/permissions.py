"""Who may read and change chain maps and the target pool.

- Chain maps (nodes, placements, relations, gaps, recommendations' node facts) are read
  by every member of the zone, observers included: they describe the zone, not a deal.
- Chain maps are edited by the zone's admin, bureau and unit (专班/国企) members.
- The target pool (目标企业库) is read by admin, leadership, bureau and unit members;
  departments, parks and observers do not see it (they have no part in approaching).
- Targets are edited (created, followed up, converted, imported) by admin, bureau and
  unit members; merging duplicates and the zone's targeting settings by admin and bureau.
A superuser may do everything everywhere.
"""

from zhaoshang.core import access
from zhaoshang.core.models import Role, Zone

CHAIN_EDIT_ROLES = {Role.ADMIN, Role.BUREAU, Role.UNIT}
TARGET_READ_ROLES = {Role.ADMIN, Role.LEADERSHIP, Role.BUREAU, Role.UNIT}
TARGET_EDIT_ROLES = {Role.ADMIN, Role.BUREAU, Role.UNIT}
TARGET_ADMIN_ROLES = {Role.ADMIN, Role.BUREAU}


def _zones(user, roles) -> set[int]:
    if access.is_superuser(user):
        return set(Zone.objects.values_list("pk", flat=True))
    return access.zone_ids(user, roles)


def target_zone_ids(user) -> set[int]:
    return _zones(user, TARGET_READ_ROLES)


def can_edit_chains(user, zone) -> bool:
    return zone is not None and zone.pk in _zones(user, CHAIN_EDIT_ROLES)


def can_read_targets(user, zone) -> bool:
    return zone is not None and zone.pk in target_zone_ids(user)


def can_edit_targets(user, zone) -> bool:
    return zone is not None and zone.pk in _zones(user, TARGET_EDIT_ROLES)


def can_manage_targets(user, zone) -> bool:
    """Merge duplicates, change the zone's targeting settings."""
    return zone is not None and zone.pk in _zones(user, TARGET_ADMIN_ROLES)


def convert_units(user, zone):
    """The units a converted lead may be given to: any active unit of the zone for admin
    and bureau, the user's own units for a unit member (so they can see the project)."""
    from zhaoshang.core.models import OrgUnit

    units = OrgUnit.objects.filter(zone=zone, is_active=True).exclude(kind=OrgUnit.Kind.DEPARTMENT)
    if access.is_superuser(user) or zone.pk in access.zone_ids(user, TARGET_ADMIN_ROLES):
        return units
    return units.filter(pk__in=access.unit_ids(user))
