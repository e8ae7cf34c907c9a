"""Who may read and write what through the API: the same rules as the pages. Reads are the
models' visible_to(user); project writes are zhaoshang.projects.permissions; contact
masking is zhaoshang.core.masking."""

from django.db.models import Q

from zhaoshang.core import access
from zhaoshang.core.masking import can_see_contacts as sees_contacts  # noqa: F401
from zhaoshang.core.masking import mask_name, mask_phone  # noqa: F401
from zhaoshang.core.models import Role
from zhaoshang.projects.models import Project
from zhaoshang.projects.permissions import WRITER_ROLES, can_create_project, can_write_project  # noqa: F401


def visible(model, user):
    """model.objects.visible_to(user); reference data without it: the rows of the user's zones."""
    manager = model.objects
    if hasattr(manager, "visible_to"):
        return manager.visible_to(user)
    if access.is_superuser(user):
        return manager.all()
    return manager.filter(zone_id__in=access.zone_ids(user))


def figure_projects(user):
    """The projects whose figures a user may read: those they may see, plus every project
    of the zones where they are an observer (上级 read figures, not rows)."""
    projects = Project.objects.visible_to(user)
    observed = access.zone_ids(user, {Role.OBSERVER})
    if observed and not access.is_superuser(user):
        projects = Project.objects.filter(Q(pk__in=projects.values("pk")) | Q(zone_id__in=observed))
    return projects


def can_write_zone_data(user, zone_id) -> bool:
    """Enterprises: administrators, the bureau and unit members of the zone."""
    if access.is_superuser(user):
        return True
    return zone_id in access.zone_ids(user, WRITER_ROLES | {Role.UNIT})
