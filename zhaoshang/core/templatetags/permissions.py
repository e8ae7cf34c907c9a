"""`{% can "projects.edit" project as may_edit %}`: a capability of zhaoshang.core.permissions
asked about one object (zone-level ones read `can.area.action` from the context)."""

from django import template

from zhaoshang.core import access, permissions

register = template.Library()


@register.simple_tag(takes_context=True, name="can")
def can_tag(context, name, obj=None, zone=None):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if zone is None and obj is None and request is not None:
        zone = access.current_zone(request)
    return permissions.can(user, name, zone, obj)
