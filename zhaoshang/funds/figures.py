"""The figures a bureau reports for its funds, computed with database aggregates.

For a fund — and for a mother fund, over itself and its sub-funds:
  committed   认缴规模          the fund's size (a mother fund: its own size)
  paid_in     实缴              Σ capital calls
  invested    已投资            Σ investments
  local       本地投资（返投）  Σ investments marked as made in the zone
  local_share 本地投资占比      local ÷ invested
  reinvest    返投倍数          local ÷ the mother fund's money in it: a sub-fund's
                                parent_commitment; for a mother fund, Σ its commitments
                                to its sub-funds (its direct investments count as local
                                investment and as its own money: + their amount)
  projects    招引项目数        distinct projects the investments went into
  project_capital  项目总投资   Σ total investment of those projects
  fund_in_projects 基金投入项目  Σ investments into those projects
  leverage    撬动倍数          project_capital ÷ fund_in_projects
For a mother fund also: sub_funds (count), sub_fund_size (Σ sizes), mother_commitments
(Σ parent_commitment) and amplification 放大倍数 = sub_fund_size ÷ mother_commitments.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from zhaoshang.funds.models import CapitalCall, Fund, Investment
from zhaoshang.projects.models import Project

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=16, decimal_places=2))

LABELS = {
    "committed": _("认缴规模"), "paid_in": _("实缴出资"), "invested": _("已投资"), "local": _("本地投资（返投）"),
    "local_share": _("本地投资占比"), "reinvest": _("返投倍数"), "projects": _("招引项目数"),
    "project_capital": _("招引项目总投资"), "fund_in_projects": _("基金投入项目"), "leverage": _("撬动倍数"),
    "sub_funds": _("子基金数"), "sub_fund_size": _("子基金总规模"), "mother_commitments": _("母基金认缴出资"),
    "amplification": _("放大倍数"),
}


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if not denominator:
        return None
    return (numerator / denominator).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def tree(fund: Fund) -> list[int]:
    """The fund's id, and its sub-funds' when it is a mother fund."""
    if fund.parent_id:
        return [fund.pk]
    return [fund.pk, *Fund.objects.filter(parent=fund).values_list("pk", flat=True)]


def compute(fund: Fund) -> dict:
    return compute_many([fund])[fund.pk]


def compute_many(funds) -> dict[int, dict]:
    """{fund id: figures} for many funds at once, in a fixed number of grouped queries
    (however many funds there are)."""
    funds = list(funds)
    if not funds:
        return {}
    mothers = [f.pk for f in funds if not f.parent_id]
    children: dict[int, list[int]] = {pk: [] for pk in mothers}
    for pk, parent_id in Fund.objects.filter(parent_id__in=mothers).values_list("pk", "parent_id"):
        children[parent_id].append(pk)
    trees = {f.pk: [f.pk, *children.get(f.pk, [])] if not f.parent_id else [f.pk] for f in funds}
    ids = {pk for tree_ids in trees.values() for pk in tree_ids}
    per_fund = {
        row["fund_id"]: row
        for row in Investment.objects.filter(fund_id__in=ids).order_by().values("fund_id").annotate(
            invested=Coalesce(Sum("amount"), ZERO),
            local=Coalesce(Sum("amount", filter=Q(is_local=True)), ZERO),
            fund_in_projects=Coalesce(Sum("amount", filter=Q(project__isnull=False)), ZERO),
        )
    }
    projects_of: dict[int, dict[int, Decimal]] = {}
    pairs = (
        Investment.objects.filter(fund_id__in=ids, project__isnull=False).order_by()
        .values_list("fund_id", "project_id", "project__total_investment").distinct()
    )
    for fund_id, project_id, capital in pairs:
        projects_of.setdefault(fund_id, {})[project_id] = capital or Decimal(0)
    paid_in = dict(
        CapitalCall.objects.filter(fund_id__in=[f.pk for f in funds]).order_by().values("fund_id")
        .annotate(total=Sum("amount")).values_list("fund_id", "total")
    )
    sub_funds = {
        row["parent_id"]: row
        for row in Fund.objects.filter(parent_id__in=mothers).order_by().values("parent_id").annotate(
            count=Count("pk"), size=Coalesce(Sum("size"), ZERO), commitments=Coalesce(Sum("parent_commitment"), ZERO)
        )
    }
    result = {}
    for fund in funds:
        sums = {key: Decimal(0) for key in ("invested", "local", "fund_in_projects")}
        brought: dict[int, Decimal] = {}
        for pk in trees[fund.pk]:
            for key in sums:
                sums[key] += per_fund.get(pk, {}).get(key, Decimal(0))
            brought.update(projects_of.get(pk, {}))
        capital = sum(brought.values(), Decimal(0))
        figures = {
            "committed": fund.size,
            "paid_in": paid_in.get(fund.pk) or Decimal(0),
            "invested": sums["invested"],
            "local": sums["local"],
            "local_share": _ratio(sums["local"], sums["invested"]),
            "projects": len(brought),
            "project_capital": capital,
            "fund_in_projects": sums["fund_in_projects"],
            "leverage": _ratio(capital, sums["fund_in_projects"]),
        }
        if fund.parent_id:
            figures["reinvest"] = _ratio(sums["local"], fund.parent_commitment or Decimal(0))
        else:
            row = sub_funds.get(fund.pk, {})
            size, commitments = row.get("size", Decimal(0)), row.get("commitments", Decimal(0))
            direct = per_fund.get(fund.pk, {}).get("invested", Decimal(0))
            figures.update(
                sub_funds=row.get("count", 0),
                sub_fund_size=size,
                mother_commitments=commitments,
                amplification=_ratio(size, commitments),
                reinvest=_ratio(sums["local"], commitments + direct),
            )
        figures["reinvest_met"] = (
            None if fund.reinvest_target is None or figures["reinvest"] is None else figures["reinvest"] >= fund.reinvest_target
        )
        result[fund.pk] = figures
    return result


def brought_projects(fund: Fund):
    """The projects the fund (and its sub-funds) invested in, with the fund money in each."""
    ids = tree(fund)
    return (
        Project.objects.filter(fund_investments__fund_id__in=ids)
        .annotate(fund_amount=Sum("fund_investments__amount", filter=Q(fund_investments__fund_id__in=ids)))
        .select_related("chain", "park", "responsible_unit")
        .order_by("-signed_on", "name")
    )


def zone_totals(funds) -> dict:
    """Σ over the mother funds of a zone (each already including its sub-funds)."""
    totals = {key: Decimal(0) for key in ("committed", "paid_in", "invested", "local", "project_capital", "fund_in_projects")}
    totals["projects"] = 0
    for figures in compute_many(fund for fund in funds if not fund.parent_id).values():
        for key in totals:
            totals[key] += figures[key]
    totals["leverage"] = _ratio(totals["project_capital"], totals["fund_in_projects"])
    totals["local_share"] = _ratio(totals["local"], totals["invested"])
    return totals


def format_multiple(value: Decimal | None) -> str:
    """1.5 → '1.50倍'."""
    return "—" if value is None else f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}倍"
