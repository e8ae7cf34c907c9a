"""{% project_claims project %}: the 认定 panel of a project page (claims, evidence, 增资);
{% pending_badge n url %}: the small "待认定 N" beside a figure."""

from django import template

from zhaoshang.projects.permissions import can_write_project
from zhaoshang.review import actions, selectors
from zhaoshang.review.forms import CapitalIncreaseForm, EvidenceForm, ReturnForm
from zhaoshang.review.models import Claim

register = template.Library()


@register.inclusion_tag("review/_project_claims.html", takes_context=True)
def project_claims(context, project):
    request = context.get("request")
    user = getattr(request, "user", None)
    claims = list(selectors.project_claims(project))
    can_write = bool(user) and can_write_project(user, project)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "project": project,
        "claims": claims,
        "increases": list(project.capital_increases.select_related("claim").order_by("-date", "-id")),
        "can_write": can_write,
        "can_certify": bool(user) and actions.can_certify(user, project.zone),
        "certification_required": project.zone.certification_required,
        "evidence_form": EvidenceForm(),
        "return_form": ReturnForm(),
        "increase_form": CapitalIncreaseForm(),
        "statuses": Claim.Status,
        "next": request.get_full_path() if request else "",
    }


@register.inclusion_tag("review/_pending_badge.html")
def pending_badge(count, url="", link=True):
    """`link=False` shows the count without the drill-down, for those who may not open it."""
    return {"count": count or 0, "url": url, "link": link}
