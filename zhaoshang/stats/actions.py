"""Every write of the statistics area."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhaoshang.core import validators
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.stats import sectors
from zhaoshang.stats.models import AnnualFigures, EnterpriseProfile, Threshold

PROFILE_FIELDS = {"industry_code", "construction_qualification", "in_statistics", "in_statistics_since", "landed_on"}


def _amount(value, field: str, label: str) -> Decimal:
    return validators.amount(value, field, label)


@transaction.atomic
def update_profile(enterprise: Enterprise, *, actor=None, **changes) -> EnterpriseProfile:
    unknown = set(changes) - PROFILE_FIELDS
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    code = changes.get("industry_code")
    if code and code not in sectors.NAMES:
        raise ValidationError({"industry_code": _("行业分类“%(code)s”不存在") % {"code": code}})
    profile, _created = EnterpriseProfile.objects.select_for_update().get_or_create(enterprise=enterprise)
    for field, value in changes.items():
        setattr(profile, field, value)
    if profile.in_statistics_since and not profile.in_statistics:
        profile.in_statistics = True
    profile.full_clean()
    profile.save()
    return profile


@transaction.atomic
def record_annual_figures(enterprise: Enterprise, *, year: int, revenue, employees=None, actor=None) -> AnnualFigures:
    """Set an enterprise's figures for a year (replacing what was recorded for that year)."""
    if not isinstance(year, int) or not 1949 <= year <= 2100:
        raise ValidationError({"year": _("年度“%(year)s”无效") % {"year": year}})
    revenue = _amount(revenue, "revenue", _("主营业务收入"))
    if employees is not None and (not isinstance(employees, int) or employees < 0):
        raise ValidationError({"employees": _("从业人员必须是非负整数")})
    figures, _created = AnnualFigures.objects.update_or_create(
        enterprise=enterprise, year=year, defaults={"revenue": revenue, "employees": employees}
    )
    return figures


@transaction.atomic
def delete_annual_figures(figures: AnnualFigures, *, actor=None) -> None:
    figures.delete()


def _check_threshold(industry_code, basis, min_revenue):
    if industry_code not in sectors.NAMES:
        raise ValidationError({"industry_code": _("行业分类“%(code)s”不存在") % {"code": industry_code}})
    if basis not in Threshold.Basis.values:
        raise ValidationError({"basis": _("标准“%(basis)s”无效") % {"basis": basis}})
    if basis == Threshold.Basis.REVENUE:
        if min_revenue in (None, ""):
            raise ValidationError({"min_revenue": _("按收入入统的行业必须填写收入门槛")})
        return _amount(min_revenue, "min_revenue", _("收入门槛"))
    return None


@transaction.atomic
def create_threshold(*, industry_code: str, from_year: int, basis: str = Threshold.Basis.REVENUE,
                     min_revenue=None, source: str = "", actor=None) -> Threshold:
    min_revenue = _check_threshold(industry_code, basis, min_revenue)
    if Threshold.objects.filter(industry_code=industry_code, from_year=from_year).exists():
        raise ValidationError({"from_year": _("%(code)s 自%(year)s年起的门槛已存在，请直接修改") % {
            "code": sectors.label(industry_code), "year": from_year}})
    return Threshold.objects.create(
        industry_code=industry_code, from_year=from_year, basis=basis, min_revenue=min_revenue, source=source
    )


@transaction.atomic
def update_threshold(threshold: Threshold, *, actor=None, **changes) -> Threshold:
    merged = {field: changes.get(field, getattr(threshold, field)) for field in ("industry_code", "basis", "min_revenue")}
    changes["min_revenue"] = _check_threshold(**merged)
    code, year = changes.get("industry_code", threshold.industry_code), changes.get("from_year", threshold.from_year)
    if Threshold.objects.filter(industry_code=code, from_year=year).exclude(pk=threshold.pk).exists():
        raise ValidationError({"from_year": _("%(code)s 自%(year)s年起的门槛已存在") % {"code": sectors.label(code), "year": year}})
    for field, value in changes.items():
        setattr(threshold, field, value)
    threshold.save()
    return threshold


@transaction.atomic
def delete_threshold(threshold: Threshold, *, actor=None) -> None:
    threshold.delete()
