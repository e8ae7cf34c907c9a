"""Who may change the campaigns area (reads are the querysets' visible_to): the bureau and
administrators everything in their zone; a unit member their unit's trips and the visits
on them; leadership approves trips. Everyone else reads."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from zhaoshang.core import access
from zhaoshang.core.models import Role

MANAGERS = {Role.ADMIN, Role.BUREAU}
APPROVERS = {Role.ADMIN, Role.BUREAU, Role.LEADERSHIP}


def can_manage(user, zone) -> bool:
    return access.has_role(user, MANAGERS, zone)


def can_plan_trip(user, zone, unit=None) -> bool:
    if can_manage(user, zone):
        return True
    units = {m.unit_id for m in access.memberships(user) if m.zone_id == zone.pk and m.role == Role.UNIT and m.unit_id}
    return bool(units) if unit is None else unit.pk in units


def can_work_on_trip(user, trip) -> bool:
    return can_plan_trip(user, trip.zone, trip.unit)


def can_approve_trip(user, trip) -> bool:
    return access.has_role(user, APPROVERS, trip.zone)


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("您的角色只能查看，不能修改"))
