"""Introducer rewards (引荐奖励), computed from a zone's rule and the project's fund arrivals.

The basis is the project's investment in place (Σ fund arrivals dated on or before the
as-of date). The rule's tiers are marginal bands, as zones' policies word them ("1亿元以下
部分按3‰，1亿元至5亿元部分按2‰，5亿元以上部分按1.5‰"): each band's part of the basis earns its
own rate. A cap limits the total; conditions (fixed-asset projects only, 开工 within N days
of signing) decide whether anything is due. Every step is a line the page shows.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from zhaoshang.campaigns.models import RewardPayment, RewardRule
from zhaoshang.projects.models import FundArrival, Project

CENT = Decimal("0.01")
THOUSAND = Decimal("1000")


@dataclass
class Line:
    label: str
    base: Decimal
    permille: Decimal
    amount: Decimal


@dataclass
class Calculation:
    rule: RewardRule
    project: Project
    as_of: dt.date
    funds_in_place: Decimal
    eligible: bool
    conditions: list[str] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    uncapped: Decimal = Decimal("0.00")
    total: Decimal = Decimal("0.00")
    capped: bool = False
    paid: Decimal = Decimal("0.00")

    @property
    def outstanding(self) -> Decimal:
        return max(self.total - self.paid, Decimal("0.00"))


def _wan(value: Decimal) -> str:
    from zhaoshang.projects.kpi import format_amount

    return format_amount(value, "万元")


def _band_label(lower: Decimal, upper: Decimal | None) -> str:
    if upper is None:
        return _("%(lower)s以上部分") % {"lower": _wan(lower)}
    return _("%(lower)s至%(upper)s部分") % {"lower": _wan(lower), "upper": _wan(upper)}


def calculate(rule: RewardRule, project: Project, as_of: dt.date) -> Calculation:
    funds = FundArrival.objects.filter(project=project, date__lte=as_of).aggregate(total=Sum("amount"))["total"] or Decimal("0")
    paid = RewardPayment.objects.filter(project=project, rule=rule).aggregate(total=Sum("amount"))["total"] or Decimal("0")
    calc = Calculation(rule=rule, project=project, as_of=as_of, funds_in_place=funds.quantize(CENT), eligible=True,
                       paid=paid.quantize(CENT))
    if rule.fixed_asset_only and not project.is_fixed_asset:
        calc.eligible = False
        calc.conditions.append(_("不符合：本政策只奖励固定资产投资类项目"))
    if rule.start_within_days is not None:
        if project.signed_on is None:
            calc.eligible = False
            calc.conditions.append(_("不符合：项目尚未签约"))
        else:
            deadline = project.signed_on + dt.timedelta(days=rule.start_within_days)
            started = project.started_on if project.started_on and project.started_on <= as_of else None
            if started is None or started > deadline:
                calc.eligible = False
                calc.conditions.append(
                    _("不符合：须在签约后%(days)s天内（%(deadline)s前）开工") % {"days": rule.start_within_days, "deadline": deadline}
                )
            else:
                calc.conditions.append(
                    _("符合：签约%(signed)s，开工%(started)s，在%(days)s天内") % {
                        "signed": project.signed_on, "started": started, "days": rule.start_within_days}
                )
    if not calc.eligible:
        return calc
    lower = Decimal("0")
    for tier in rule.tiers.all():
        upper = tier.upto
        if calc.funds_in_place <= lower:
            break
        base = (min(calc.funds_in_place, upper) if upper is not None else calc.funds_in_place) - lower
        amount = (base * tier.permille / THOUSAND).quantize(CENT, rounding=ROUND_HALF_UP)
        calc.lines.append(Line(label=_band_label(lower, upper), base=base, permille=tier.permille, amount=amount))
        if upper is None:
            break
        lower = upper
    calc.uncapped = sum((line.amount for line in calc.lines), Decimal("0.00"))
    calc.total = calc.uncapped
    if rule.cap is not None and calc.total > rule.cap:
        calc.total, calc.capped = rule.cap.quantize(CENT), True
    return calc
