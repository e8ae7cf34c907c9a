"""Every write of the funds area."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from zhaoshang.core import validators
from zhaoshang.projects.kpi import format_amount

from zhaoshang.funds.models import CapitalCall, Fund, Investment

def _wan(value) -> str:
    """1234.5 → '1,234.50万元'."""
    return format_amount(Decimal(value), "万元")


FUND_FIELDS = {"name", "parent", "manager", "size", "parent_commitment", "reinvest_target", "established_on", "notes"}


def _amount(value, field: str, label: str, positive: bool = False, optional: bool = False):
    return validators.amount(value, field, label, positive=positive, optional=optional)


def _check_fund(zone, fields: dict, fund: Fund | None = None) -> None:
    name = (fields.get("name") or "").strip()
    if not name:
        raise ValidationError({"name": _("基金名称不能为空")})
    fields["name"] = name
    if Fund.objects.filter(zone=zone, name=name).exclude(pk=getattr(fund, "pk", None)).exists():
        raise ValidationError({"name": _("基金“%(name)s”已存在") % {"name": name}})
    fields["size"] = _amount(fields.get("size"), "size", _("认缴规模"))
    fields["parent_commitment"] = _amount(fields.get("parent_commitment"), "parent_commitment", _("母基金认缴出资"), optional=True)
    fields["reinvest_target"] = _amount(fields.get("reinvest_target"), "reinvest_target", _("返投倍数要求"), optional=True)
    parent = fields.get("parent")
    if parent is not None:
        if parent.zone_id != zone.pk:
            raise ValidationError({"parent": _("母基金必须属于同一园区")})
        if parent.parent_id is not None:
            raise ValidationError({"parent": _("“%(name)s”本身是子基金，不能再作为母基金") % {"name": parent}})
        if fund is not None and (parent.pk == fund.pk or fund.children.exists()):
            raise ValidationError({"parent": _("“%(name)s”已有子基金，不能再挂到其他母基金下") % {"name": fund}})
        if fields["parent_commitment"] is not None and fields["parent_commitment"] > fields["size"]:
            raise ValidationError({"parent_commitment": _("母基金认缴出资（%(c)s）不能超过子基金规模（%(s)s）") % {
                "c": _wan(fields["parent_commitment"]), "s": _wan(fields["size"])}})
    elif fields["parent_commitment"] is not None:
        raise ValidationError({"parent_commitment": _("母基金认缴出资只适用于子基金，请先选择母基金")})


@transaction.atomic
def create_fund(*, zone, name: str, size, focus_chains=(), actor=None, **fields) -> Fund:
    unknown = set(fields) - FUND_FIELDS
    if unknown:
        raise TypeError(f"unknown fund fields: {sorted(unknown)}")
    fields.update(name=name, size=size)
    _check_fund(zone, fields)
    fund = Fund.objects.create(zone=zone, **fields)
    if focus_chains:
        fund.focus_chains.set(focus_chains)
    return fund


@transaction.atomic
def update_fund(fund: Fund, *, focus_chains=None, actor=None, **changes) -> Fund:
    unknown = set(changes) - FUND_FIELDS
    if unknown:
        raise TypeError(f"unknown fund fields: {sorted(unknown)}")
    merged = {field: changes.get(field, getattr(fund, field)) for field in FUND_FIELDS}
    _check_fund(fund.zone, merged, fund)
    for field in FUND_FIELDS:
        setattr(fund, field, merged[field])
    fund.save()
    if focus_chains is not None:
        fund.focus_chains.set(focus_chains)
    return fund


@transaction.atomic
def delete_fund(fund: Fund, *, actor=None) -> None:
    if fund.children.exists() or fund.investments.exists():
        raise ValidationError(_("基金“%(name)s”已有子基金或投资记录，不能删除") % {"name": fund})
    fund.delete()


@transaction.atomic
def add_call(fund: Fund, *, date: dt.date, amount, note: str = "", actor=None) -> CapitalCall:
    """实缴: capital paid in; the total may not exceed the committed size."""
    if date is None:
        raise ValidationError({"date": _("请填写实缴日期")})
    amount = _amount(amount, "amount", _("实缴金额"), positive=True)
    paid = fund.calls.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    if paid + amount > fund.size:
        raise ValidationError({"amount": _("实缴合计 %(total)s 将超过认缴规模 %(size)s") % {
            "total": _wan(paid + amount), "size": _wan(fund.size)}})
    return CapitalCall.objects.create(fund=fund, date=date, amount=amount, note=note)


@transaction.atomic
def delete_call(call: CapitalCall, *, actor=None) -> None:
    call.delete()


@transaction.atomic
def add_investment(fund: Fund, *, date: dt.date, amount, enterprise=None, project=None, investee_name: str = "",
                   round: str = Investment.Round.PROJECT, is_local: bool = True, note: str = "", actor=None) -> Investment:
    """A fund's investment into a project, an enterprise, or a company known only by name."""
    if date is None:
        raise ValidationError({"date": _("请填写投资日期")})
    amount = _amount(amount, "amount", _("投资金额"), positive=True)
    investee_name = (investee_name or "").strip()
    if project is None and enterprise is None and not investee_name:
        raise ValidationError({"project": _("请选择招引项目或被投企业，或填写被投企业名称")})
    for label, obj in ((_("项目"), project), (_("企业"), enterprise)):
        if obj is not None and obj.zone_id != fund.zone_id:
            raise ValidationError({"project": _("%(label)s“%(name)s”不属于本基金所在园区") % {"label": label, "name": obj}})
    if project is not None and enterprise is None:
        enterprise = project.investor
    if round not in Investment.Round.values:
        raise ValidationError({"round": _("投资阶段“%(round)s”无效") % {"round": round}})
    return Investment.objects.create(
        fund=fund, date=date, amount=amount, enterprise=enterprise, project=project, investee_name=investee_name,
        round=round, is_local=is_local, note=note, recorded_by=actor if getattr(actor, "pk", None) else None,
    )


@transaction.atomic
def delete_investment(investment: Investment, *, actor=None) -> None:
    investment.delete()
