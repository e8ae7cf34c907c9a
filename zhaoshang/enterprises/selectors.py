"""Reads of the enterprise pages: an enterprise's projects and follow-ups within what the
user may see of projects (which enterprises they see is Enterprise.objects.visible_to)."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from zhaoshang.projects.models import FollowUp, Project


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

