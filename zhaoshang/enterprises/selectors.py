"""Reads of the enterprise pages: which enterprises a user may see, and an enterprise's
projects and follow-ups within what the user may see of projects."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from zhaoshang.enterprises.models import Enterprise
from zhaoshang.projects.models import FollowUp, Project

def visible_enterprises(user, zone=None):
    """The enterprises the user may read (Enterprise.objects.visible_to): the whole registry
    for leadership and the bureau, the investors of their own projects for the others — an
    investor's name is as confidential as the project's."""
    qs = Enterprise.objects.visible_to(user)
    if zone is not None:
        qs = qs.filter(zone=zone)
    return qs


def with_project_counts(enterprises, user):
    """Each enterprise with the number of its projects the user may see (one subquery)."""
    counted = (
        Project.objects.visible_to(user).filter(investor=OuterRef("pk")).order_by()
        .values("investor").annotate(n=Count("pk")).values("n")
    )
    return enterprises.annotate(project_count=Coalesce(Subquery(counted), 0))


def enterprise_projects(enterprise, user):
    return (
        Project.objects.visible_to(user).filter(investor=enterprise)
        .select_related("responsible_unit", "chain").order_by("-signed_on", "code")
    )


def enterprise_follow_ups(enterprise, user, limit=50):
    projects = Project.objects.visible_to(user).filter(investor=enterprise).values("pk")
    return (
        FollowUp.objects.filter(project__in=projects).select_related("project", "recorded_by")
        .prefetch_related("participants").order_by("-date", "-id")[:limit]
    )

