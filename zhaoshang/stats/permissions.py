"""Who may do what in the support areas (reads are the querysets' visible_to):
administrators and the bureau manage the zone's data (policies, funds, all carrier
space); the entry thresholds are shared by every zone, so only administrators change them; unit and park members keep the enterprises they can see up to date and
record their policy claims; a park member also keeps its own park's space. Leadership,
departments and observers read."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from zhaoshang.core import access
from zhaoshang.core.models import Role

MANAGERS = {Role.ADMIN, Role.BUREAU}
FIELD_WORKERS = {Role.ADMIN, Role.BUREAU, Role.UNIT, Role.PARK}


def zone_or_404(request):
    """The zone the user works in now; 404 without one."""
    zone = access.current_zone(request)
    if zone is None:
        raise Http404(_("没有可用的园区"))
    return zone


def has_role(user, roles, zone) -> bool:
    """core.access.has_role with the zone required (same argument order)."""
    return access.has_role(user, roles, zone)


def can_manage(user, zone) -> bool:
    return has_role(user, MANAGERS, zone)


def can_edit_thresholds(user, zone) -> bool:
    """Thresholds have no zone: one edit changes every zone's 入规 pipeline, so only
    administrators (superusers, the admin role) add, change or delete them."""
    return has_role(user, {Role.ADMIN}, zone)


def require_threshold_editor(user, zone) -> None:
    if not can_edit_thresholds(user, zone):
        raise PermissionDenied(_("入统门槛各园区共用，只有系统管理员可以修改"))


def require_manager(user, zone) -> None:
    if not can_manage(user, zone):
        raise PermissionDenied(_("只有投资促进局或系统管理员可以修改"))


def can_work_on_enterprise(user, enterprise) -> bool:
    """Record figures and claims for an enterprise the user can see."""
    return has_role(user, FIELD_WORKERS, enterprise.zone)


def require_field_worker(user, zone) -> None:
    if not has_role(user, FIELD_WORKERS, zone):
        raise PermissionDenied(_("您的角色只能查看，不能修改"))


def can_edit_park_space(user, park) -> bool:
    return can_manage(user, park.zone) or park.pk in access.park_ids(user)
