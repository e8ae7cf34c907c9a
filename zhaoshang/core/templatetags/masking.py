"""{% load masking %}

    {% contact project "contact_person" %}       the value, or 张** for a viewer who may not read it
    {% contact project "contact_phone" %}        the value, or 138****5678
    {% if project|contacts_visible_to:request.user %}…{% endif %}
    {{ value|mask_name }}  {{ value|mask_phone }}   masked unconditionally
"""

from django import template

from zhaoshang.core import masking

register = template.Library()


@register.filter
def mask_name(value):
    return masking.mask_name(value)


@register.filter
def mask_phone(value):
    return masking.mask_phone(value)


@register.filter
def contacts_visible_to(obj, user):
    return masking.can_see_contacts(user, obj)


@register.simple_tag(takes_context=True)
def contact(context, obj, field, kind=None):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return masking.contact(user, obj, field, kind)
