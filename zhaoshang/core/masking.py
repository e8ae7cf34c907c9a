"""Field masking: an investor's contact person and phone are read in full only by the
project's unit, the bureau, leadership and administrators; everyone else sees 张** and
138****5678. Templates use the `masking` tag library (templatetags/masking.py)."""

from zhaoshang.core import access
from zhaoshang.core.fields import Undecryptable


def mask_name(value) -> str:
    """张三丰 → 张**: the first character kept, the others starred."""
    if isinstance(value, Undecryptable):
        return str(value)  # 无法解密: nothing of the value in it to hide
    text = str(value or "").strip()
    if not text:
        return ""
    return text[0] + "*" * max(len(text) - 1, 1)


def mask_phone(value) -> str:
    """13812345678 → 138****5678; shorter numbers keep only their last two digits."""
    if isinstance(value, Undecryptable):
        return str(value)  # 无法解密: nothing of the value in it to hide
    text = str(value or "").strip()
    if not text:
        return ""
    if len(text) >= 7:
        return text[:3] + "*" * (len(text) - 7) + text[-4:] if len(text) > 7 else text[:3] + "****"
    return "*" * max(len(text) - 2, 1) + text[-2:]


MASKS = {"name": mask_name, "phone": mask_phone}


def can_see_contacts(user, obj) -> bool:
    """Whether `user` may read the contact person and phone of `obj` (a project, or an
    enterprise — annotated `contacts_visible` by EnterpriseQuerySet.with_contact_access to
    spare a query per row). Membership data is cached per request, so checking every row of
    a project list costs no query."""
    if obj is None or not getattr(user, "is_authenticated", False):
        return False
    if access.is_superuser(user):
        return True
    zone_id = getattr(obj, "zone_id", None)
    if zone_id in access.zone_ids(user, access.CONTACT_ROLES):
        return True
    annotated = getattr(obj, "contacts_visible", None)
    if annotated is not None:
        return bool(annotated)
    units = access.unit_ids(user)
    if not units:
        return False
    if hasattr(obj, "responsible_unit_id"):
        return obj.responsible_unit_id in units
    if obj._meta.label_lower == "enterprises.enterprise":
        return obj.projects.filter(responsible_unit_id__in=units).exists()
    project_id = getattr(obj, "project_id", None)
    if project_id is not None:
        return can_see_contacts(user, obj.project)
    return False


def contact(user, obj, field: str, kind: str | None = None) -> str:
    """The value of `obj.field` as `user` may read it: in full or masked."""
    value = getattr(obj, field, "") or ""
    if not value or can_see_contacts(user, obj):
        return value
    kind = kind or ("phone" if "phone" in field or "tel" in field else "name")
    return MASKS[kind](value)
