"""项目预警 in templates: {% load project_warnings %}
   {{ project|warning_light }} → its Light (colour, label, reasons); annotated rows cost nothing,
                                  others one query
   {% warning_counts as counts %} → red/yellow/green counts of the projects the user sees in
                                  the current zone, with the list links they drill down to
   {% warning_projects as mine %} → the user's red and yellow projects, red first"""

from django import template
from django.urls import reverse
from django.utils import timezone

from zhaoshang.projects import selectors, warnings

register = template.Library()


@register.filter
def warning_light(project):
    return warnings.for_project(project)


def _list_url(value: str) -> str:
    return f"{reverse('projects:list')}?warning={value}"


@register.simple_tag(takes_context=True)
def warning_counts(context):
    request = context["request"]
    found = warnings.counts(selectors.zone_projects(request), timezone.localdate())
    return {
        "rows": [{"colour": colour, "label": label, "count": found[colour], "url": _list_url(colour)}
                 for colour, label in warnings.WarningColour.choices],
        "total": found["total"],
        "flagged_url": _list_url(warnings.FLAGGED),
    }


@register.simple_tag(takes_context=True)
def warning_projects(context, limit: int = 10):
    request = context["request"]
    flagged = warnings.filter_colour(selectors.zone_projects(request), warnings.FLAGGED, timezone.localdate())
    flagged = flagged.order_by("-warning_level", "name", "pk")
    count = flagged.count()
    items = [(project, warnings.light_of(project)) for project in flagged.select_related("responsible_unit")[:limit]]
    return {"items": items, "count": count, "url": _list_url(warnings.FLAGGED)}
