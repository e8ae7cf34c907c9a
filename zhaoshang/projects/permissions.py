"""Who may change a project from the pages (reads are Project.objects.visible_to(user)):
administrators and the bureau anything in their zone, a unit member their unit's projects;
leadership, parks, departments and observers read."""

from zhaoshang.core import access
from zhaoshang.core.models import Role

WRITER_ROLES = {Role.ADMIN, Role.BUREAU}


def can_write_project(user, project) -> bool:
    if access.is_superuser(user):
        return True
    if project.zone_id in access.zone_ids(user, WRITER_ROLES):
        return True
    return project.responsible_unit_id is not None and project.responsible_unit_id in access.unit_ids(user)


def can_create_project(user, zone, responsible_unit=None) -> bool:
    if zone is None:
        return False
    if access.is_superuser(user) or zone.pk in access.zone_ids(user, WRITER_ROLES):
        return True
    units = access.unit_ids(user)
    if responsible_unit is None:
        return any(m.zone_id == zone.pk and m.role == Role.UNIT for m in access.memberships(user))
    return responsible_unit.pk in units


def creatable_units(user, zone):
    """The units a new project may be given to: any in the zone for writers, else the
    user's own units."""
    from zhaoshang.core.models import OrgUnit

    units = OrgUnit.objects.filter(zone=zone, is_active=True)
    if access.is_superuser(user) or zone.pk in access.zone_ids(user, WRITER_ROLES):
        return units
    return units.filter(pk__in=access.unit_ids(user))


def sees_contacts(user, project) -> bool:
    try:
        from zhaoshang.core.masking import can_see_contacts
    except ImportError:  # pragma: no cover - the masking module came later
        if access.is_superuser(user) or project.zone_id in access.zone_wide_ids(user):
            return True
        return project.responsible_unit_id in access.unit_ids(user)
    return can_see_contacts(user, project)


def can_merge_projects(user, project, zone=None) -> bool:
    """Merging near-duplicates is the bureau's (and administrators'): it changes figures."""
    zone_id = project.zone_id if project is not None else getattr(zone, "pk", None)
    if zone_id is None:
        return False
    return access.is_superuser(user) or zone_id in access.zone_ids(user, WRITER_ROLES)
