"""Who may write what through the API: the same rules as the pages. Reads are not here:
every API queryset starts from the model's visible_to(user) (figures from
Project.objects.figures_visible_to(user)); project writes are
zhaoshang.projects.permissions; contact masking is zhaoshang.core.masking."""

from zhaoshang.core import access
from zhaoshang.core.masking import can_see_contacts as sees_contacts  # noqa: F401
from zhaoshang.core.masking import mask_name, mask_phone  # noqa: F401
from zhaoshang.core.models import Role
from zhaoshang.projects.permissions import WRITER_ROLES, can_create_project, can_write_project  # noqa: F401


def can_write_zone_data(user, zone_id) -> bool:
    """Enterprises: administrators, the bureau and unit members of the zone."""
    if access.is_superuser(user):
        return True
    return zone_id in access.zone_ids(user, WRITER_ROLES | {Role.UNIT})
