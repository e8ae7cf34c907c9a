"""What the platform knows of an enterprise or a project, as the facts the policy rules
read (see rules.FIELDS). Built for many enterprises at once with a fixed number of queries."""

import datetime as dt
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from zhaoshang.enterprises.models import Enterprise
from zhaoshang.projects.models import Project
from zhaoshang.projects.stages import Stage
from zhaoshang.stats.models import AnnualFigures, EnterpriseProfile


def _years_between(start: dt.date | None, today: dt.date) -> Decimal | None:
    if start is None:
        return None
    years = today.year - start.year - ((today.month, today.day) < (start.month, start.day))
    return Decimal(max(years, 0))


def _profile(enterprise) -> EnterpriseProfile | None:
    try:
        return enterprise.profile
    except EnterpriseProfile.DoesNotExist:
        return None


def _sector(profile) -> set[str]:
    if profile is None or not profile.industry_code:
        return set()
    return {profile.industry_code, profile.industry_code[:1]}


def _project_sets(project: Project) -> dict[str, set[str]]:
    chain = project.chain
    cluster = project.cluster or (chain.cluster if chain else None)
    return {
        "chain": {chain.name} if chain else set(),
        "cluster": {cluster.name} if cluster else set(),
        "park": {project.park.name} if project.park else set(),
        "stage": {str(Stage(project.stage).label)},
    }


def _landing(project: Project) -> dt.date | None:
    return project.started_on or project.signed_on


def _enterprise_queryset(enterprises):
    projects = Project.objects.exclude(stage=Stage.DROPPED).select_related("chain__cluster", "cluster", "park")
    return enterprises.select_related("profile").prefetch_related(
        "tags",
        Prefetch("projects", queryset=projects, to_attr="live_projects"),
        Prefetch("annual_figures", queryset=AnnualFigures.objects.order_by("-year"), to_attr="figures_by_year"),
    )


def _enterprise_facts(enterprise, today: dt.date) -> dict:
    profile = _profile(enterprise)
    latest = enterprise.figures_by_year[0] if enterprise.figures_by_year else None
    facts = {
        "chain": set(), "cluster": set(), "park": set(), "stage": set(),
        "tag": {tag.name for tag in enterprise.tags.all()},
        "sector": _sector(profile),
        "revenue": latest.revenue if latest else None,
        "revenue_year": latest.year if latest else None,
        "employees": Decimal(latest.employees) if latest and latest.employees is not None else None,
        "total_investment": None,
        "fixed_asset_investment": None,
        "in_statistics": profile.in_statistics if profile else False,
    }
    landings = [_landing(project) for project in enterprise.live_projects if _landing(project)]
    landed = profile.landed_on if profile and profile.landed_on else (min(landings) if landings else None)
    facts["years_since_landing"] = _years_between(landed, today)
    if enterprise.live_projects:
        facts["total_investment"] = sum((p.total_investment for p in enterprise.live_projects), Decimal(0))
        facts["fixed_asset_investment"] = sum(
            (p.total_investment for p in enterprise.live_projects if p.is_fixed_asset), Decimal(0)
        )
    for project in enterprise.live_projects:
        for key, names in _project_sets(project).items():
            facts[key] |= names
    return facts


def enterprise_facts(enterprises, today: dt.date | None = None) -> dict[int, dict]:
    """Enterprise id → facts, for every enterprise of the queryset."""
    today = today or timezone.localdate()
    if isinstance(enterprises, Enterprise):
        enterprises = Enterprise.objects.filter(pk=enterprises.pk)
    return {enterprise.pk: _enterprise_facts(enterprise, today) for enterprise in _enterprise_queryset(enterprises)}


def project_facts(project: Project, today: dt.date | None = None) -> dict:
    """A project's facts: its own chain, park, stage, investment and landing date, and its
    investor's tags, sector, revenue, employees and statistics status."""
    today = today or timezone.localdate()
    project = Project.objects.select_related("chain__cluster", "cluster", "park").get(pk=project.pk)
    facts = {
        "tag": set(), "sector": set(), "revenue": None, "revenue_year": None, "employees": None, "in_statistics": False,
    }
    if project.investor_id:
        investor = enterprise_facts(Enterprise.objects.filter(pk=project.investor_id), today)[project.investor_id]
        for key in facts:
            facts[key] = investor[key]
    facts.update(_project_sets(project))
    facts["total_investment"] = project.total_investment
    facts["fixed_asset_investment"] = project.total_investment if project.is_fixed_asset else Decimal(0)
    facts["years_since_landing"] = _years_between(_landing(project), today)
    return facts
