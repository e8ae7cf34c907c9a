"""Reads of the statistics area: the thresholds in force
in a year, and the 入规 pipeline (enterprises over or near their threshold, not yet in the
statistics)."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from zhaoshang.core import numbers
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.stats import sectors
from zhaoshang.stats.models import AnnualFigures, EnterpriseProfile, Threshold

NEAR_SHARE = Decimal("0.8")
OVER, NEAR = "over", "near"


def thresholds_in_force(year: int) -> dict[str, Threshold]:
    """Industry code → the threshold row in force in `year` (the latest from_year ≤ year)."""
    in_force = {}
    for threshold in Threshold.objects.filter(from_year__lte=year).order_by("industry_code", "from_year"):
        in_force[threshold.industry_code] = threshold
    return in_force


@dataclass
class Candidate:
    enterprise: Enterprise
    profile: EnterpriseProfile
    threshold: Threshold
    status: str  # OVER or NEAR
    revenue: Decimal | None = None
    employees: int | None = None
    year: int | None = None

    @property
    def share(self) -> Decimal | None:
        if self.revenue is None or not self.threshold.min_revenue:
            return None
        return self.revenue / self.threshold.min_revenue

    @property
    def group_label(self) -> str:
        group = sectors.GROUPS.get(self.profile.industry_code)
        return str(sectors.Group(group).label) if group else ""

    @property
    def evidence(self) -> str:
        basis = self.threshold.basis
        if basis == Threshold.Basis.QUALIFICATION:
            return _("具有建筑业资质：%(qualification)s") % {"qualification": self.profile.construction_qualification}
        if basis == Threshold.Basis.ALL:
            return _("房地产开发经营企业全部纳入统计")
        share = (self.share * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return _("%(year)s年主营业务收入 %(revenue)s万元，门槛 %(threshold)s（达到门槛的 %(share)s%%）") % {
            "year": self.year, "revenue": numbers.wan(self.revenue), "threshold": self.threshold.describe(), "share": share,
        }

    def as_dict(self) -> dict:
        share = self.share
        return {
            "enterprise": self.enterprise.name,
            "uscc": self.enterprise.uscc,
            "industry_code": self.profile.industry_code,
            "industry": str(sectors.NAMES.get(self.profile.industry_code, "")),
            "group": self.group_label,
            "status": self.status,
            "basis": self.threshold.basis,
            "threshold": float(self.threshold.min_revenue) if self.threshold.min_revenue is not None else None,
            "threshold_from_year": self.threshold.from_year,
            "revenue": float(self.revenue) if self.revenue is not None else None,
            "share": float(share.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)) if share is not None else None,
            "employees": self.employees,
            "evidence": self.evidence,
        }


def candidates(zone, year: int, enterprises: QuerySet | None = None, near_share: Decimal = NEAR_SHARE) -> list[Candidate]:
    """Enterprises of `zone` not yet in the statistics that are over their threshold in
    `year` (status OVER) or within `near_share` of it (status NEAR), with the evidence:
    revenue-based classes by that year's revenue, construction by qualification,
    real-estate development always."""
    in_force = thresholds_in_force(year)
    profiles = EnterpriseProfile.objects.filter(enterprise__zone=zone, in_statistics=False).exclude(industry_code="")
    if enterprises is not None:
        profiles = profiles.filter(enterprise__in=enterprises)
    found: list[Candidate] = []

    by_revenue = {code: t for code, t in in_force.items() if t.basis == Threshold.Basis.REVENUE and t.min_revenue is not None}
    near = Q(pk__in=[])
    for code, threshold in by_revenue.items():
        near |= Q(enterprise__profile__industry_code=code, revenue__gte=threshold.min_revenue * near_share)
    rows = (
        AnnualFigures.objects.filter(near, year=year, enterprise__profile__in=profiles)
        .select_related("enterprise", "enterprise__profile")
    )
    for row in rows:
        profile = row.enterprise.profile
        threshold = by_revenue[profile.industry_code]
        status = OVER if row.revenue >= threshold.min_revenue else NEAR
        found.append(Candidate(row.enterprise, profile, threshold, status, row.revenue, row.employees, year))

    other = {code: t for code, t in in_force.items() if t.basis != Threshold.Basis.REVENUE}
    if other:
        figures = {
            row.enterprise_id: row
            for row in AnnualFigures.objects.filter(year=year, enterprise__profile__in=profiles)
        }
        for profile in profiles.filter(industry_code__in=list(other)).select_related("enterprise"):
            threshold = other[profile.industry_code]
            if threshold.basis == Threshold.Basis.QUALIFICATION and not profile.construction_qualification.strip():
                continue
            row = figures.get(profile.enterprise_id)
            found.append(Candidate(
                profile.enterprise, profile, threshold, OVER,
                row.revenue if row else None, row.employees if row else None, year,
            ))
    found.sort(key=lambda c: (c.status != OVER, -(c.share or Decimal(10**6)), c.enterprise.name))
    return found


def in_statistics(zone, enterprises: QuerySet | None = None) -> QuerySet:
    profiles = EnterpriseProfile.objects.filter(enterprise__zone=zone, in_statistics=True).select_related("enterprise")
    return profiles.filter(enterprise__in=enterprises) if enterprises is not None else profiles
