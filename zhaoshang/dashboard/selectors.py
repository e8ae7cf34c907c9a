"""What the cockpit shows: the headline figures, the charts' data and the link behind every
number, all from projects/kpi.py. A fixed number of queries, whatever the data."""

from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from zhaoshang.campaigns.selectors import source_table
from zhaoshang.core import access, numbers
from zhaoshang.core.models import Role, Zone
from zhaoshang.projects import kpi
from zhaoshang.projects.models import Project
from zhaoshang.projects.regions import SourceRegion

HEADLINE = [
    "signed_count", "signed_investment", "started_count", "start_rate", "new_started_investment",
    "fai_funds_in_place", "funds_in_place", "major_signed_count", "producing_count", "fulfilment_rate",
]
FIGURE_ROLES = {Role.ADMIN, Role.LEADERSHIP, Role.BUREAU, Role.OBSERVER}


def figure_zones(user) -> list[Zone]:
    """The zones whose whole figures the user may read: leadership, bureau and observers."""
    if access.is_superuser(user):
        return list(Zone.objects.order_by("code"))
    ids = access.zone_ids(user, FIGURE_ROLES)
    return list(Zone.objects.filter(pk__in=ids).order_by("code"))


def reads_whole_zone(user, zone: Zone) -> bool:
    return access.is_superuser(user) or zone.pk in access.zone_ids(user, FIGURE_ROLES)


def figure_projects(user, zone: Zone):
    """The projects the cockpit's figures are computed over: the zone's projects whose
    figures the user reads (Project.objects.figures_visible_to) — the whole zone for
    leadership, the bureau and observers, a unit's own projects for its cockpit."""
    return Project.objects.filter(zone=zone).figures_visible_to(user)


def drill_url(code: str, period: kpi.Period, **narrowing) -> str:
    query = {"figure": code, "from": period.start.isoformat(), "to": period.end.isoformat(), "as_of": period.as_of.isoformat()}
    query.update({key: value for key, value in narrowing.items() if value not in (None, "")})
    return reverse("projects:list") + "?" + urlencode(query)


def shown(code: str, value) -> str:
    kind = kpi.KINDS[code]
    if kind == kpi.AMOUNT:
        return numbers.yi(value)
    if kind == kpi.RATE:
        return numbers.rate(value)
    return numbers.count(value)


def _change(current, previous) -> Decimal | None:
    """Year-on-year change as a fraction; None when last year had nothing."""
    if current is None or not previous:
        return None
    return ((Decimal(current) - Decimal(previous)) / Decimal(previous)).quantize(Decimal("0.0001"))


def _completion(zone: Zone, period: kpi.Period) -> dict:
    """Targets of the period's year where the assessment app has them."""
    if period.start.year != period.end.year:
        return {}
    from zhaoshang.assessment.selectors import completion

    return completion(zone, period.start.year, as_of=period.as_of)


def headline(projects, zone: Zone, period: kpi.Period) -> tuple[list[dict], dict]:
    figures = kpi.compute(projects, period)
    last_year_period = period.previous_year()
    last_year = kpi.compute(projects, last_year_period)
    targets = _completion(zone, period)
    pending = kpi.pending(projects, period)  # 待认定 beside each figure
    rows = []
    for code in HEADLINE:
        target = targets.get(code) or {}
        change = _change(figures[code], last_year[code]) if kpi.KINDS[code] != kpi.RATE else None
        rows.append({
            "code": code,
            "label": str(kpi.LABELS[code]),
            "value": figures[code],
            "shown": shown(code, figures[code]),
            "last_year": shown(code, last_year[code]),
            "last_year_url": drill_url(code, last_year_period),
            "change": change,
            "change_shown": None if change is None else ("↑" if change >= 0 else "↓") + kpi.format_rate(abs(change)),
            "target": shown(code, target["target"]) if target.get("target") is not None else None,
            "completion": kpi.format_rate(target.get("completion")) if target.get("completion") is not None else None,
            "url": drill_url(code, period),
            "pending": pending.get(code, 0),
            "pending_url": drill_url(code, period, pending=1),
        })
    return rows, figures


def _named(model, ids) -> dict:
    return dict(model.objects.filter(pk__in=[pk for pk in ids if pk]).values_list("pk", "name"))


def charts(user, projects, zone: Zone, period: kpi.Period) -> dict:
    from zhaoshang.core.models import OrgUnit
    from zhaoshang.industry.models import IndustryChain, IndustryCluster

    last_year = period.previous_year()
    funnel = kpi.reached_funnel(projects, period.as_of)
    by_cluster = kpi.compute_by(projects, period, "cluster", arrivals=False)
    by_chain = kpi.compute_by(projects, period, "chain", arrivals=False)
    by_region = kpi.compute_by(projects, period, "source_region", arrivals=False)
    by_unit = kpi.compute_by(projects, period, "responsible_unit", arrivals=False)
    clusters = _named(IndustryCluster, by_cluster)
    chains = _named(IndustryChain, by_chain)
    units = _named(OrgUnit, by_unit)
    signed = kpi.monthly(projects, period, "signed_on")
    started = kpi.monthly(projects, period, "started_on")
    signed_before = kpi.monthly(projects, last_year, "signed_on")
    started_before = kpi.monthly(projects, last_year, "started_on")
    arrivals = kpi.monthly_arrivals(projects, period)
    arrivals_before = kpi.monthly_arrivals(projects, last_year)

    wan_to_yi = numbers.yi_number

    def month_url(code, month, source_period):
        return drill_url(code, kpi.month_period(month, source_period.as_of))

    return {
        "funnel": [
            {"name": str(label), "value": funnel[code]["count"], "investment": wan_to_yi(funnel[code]["investment"]),
             "url": drill_url(code, period)}
            for code, label in kpi.REACHED
        ],
        "clusters": sorted(
            ({"name": clusters.get(pk) or _("未分类"), "value": wan_to_yi(row["signed_investment"]), "count": row["signed_count"],
              "url": drill_url("signed_investment", period, cluster=pk or "")}
             for pk, row in by_cluster.items() if row["signed_count"]),
            key=lambda item: -item["value"],
        ),
        "chains": sorted(
            ({"name": chains.get(pk) or _("未对应产业链"), "value": wan_to_yi(row["signed_investment"]), "count": row["signed_count"],
              "url": drill_url("signed_investment", period, chain=pk or "")}
             for pk, row in by_chain.items() if row["signed_count"] and pk),
            key=lambda item: -item["value"],
        ),
        "regions": [
            {"name": str(region.label), "value": by_region.get(region.value, {}).get("signed_count", 0),
             "investment": wan_to_yi(by_region.get(region.value, {}).get("signed_investment", Decimal(0))),
             "url": drill_url("signed_count", period, region=region.value)}
            for region in SourceRegion
        ],
        "units": sorted(
            ({"name": units.get(pk) or _("未指定单位"), "signed": row["signed_count"], "investment": wan_to_yi(row["signed_investment"]),
              "started": row["started_count"], "start_rate": float(row["start_rate"] * 100) if row["start_rate"] is not None else None,
              "start_rate_shown": numbers.rate(row["start_rate"]), "investment_shown": numbers.yi(row["signed_investment"]),
              "url": drill_url("signed_count", period, unit=pk or ""),
              "started_url": drill_url("started_count", period, unit=pk or "")}
             for pk, row in by_unit.items() if pk and (row["signed_count"] or row["new_started_count"])),
            key=lambda item: -item["investment"],
        ),
        "months": {
            "labels": [f"{month.month}月" for month in kpi.months(period)],
            "signed": [{"value": row["count"], "url": month_url("signed_count", row["month"], period)} for row in signed],
            "started": [{"value": row["count"], "url": month_url("new_started_count", row["month"], period)} for row in started],
            "signed_last_year": [{"value": row["count"], "url": month_url("signed_count", row["month"], last_year)} for row in signed_before],
            "started_last_year": [{"value": row["count"], "url": month_url("new_started_count", row["month"], last_year)} for row in started_before],
        },
        "arrivals": {
            "labels": [f"{month.month}月" for month in kpi.months(period)],
            "this_year": [{"value": wan_to_yi(row["amount"]), "url": month_url("funds_in_place", row["month"], period)} for row in arrivals],
            "last_year": [{"value": wan_to_yi(row["amount"]), "url": month_url("funds_in_place", row["month"], last_year)} for row in arrivals_before],
        },
        "tickets": ticket_statuses(user, zone, period),
    }


def ticket_statuses(user, zone: Zone, period: kpi.Period) -> list[dict]:
    """The service tickets raised in the period that the viewer may see, by their status
    now; each slice links to the ticket list filtered the same way."""
    from zhaoshang.tickets.models import Status, Ticket

    tickets = Ticket.objects.visible_to(user).filter(zone=zone, raised_on__gte=period.start, raised_on__lte=period.cut)
    counts = dict(tickets.order_by().values_list("status").annotate(count=Count("pk")))
    window = {"raised_from": period.start.isoformat(), "raised_to": period.cut.isoformat()}
    return [
        {"name": str(status.label), "value": counts.get(status.value, 0),
         "url": reverse("tickets:list") + "?" + urlencode({"status": status.value, **window})}
        for status in Status
    ]


def zones_side_by_side(zones: list[Zone], period: kpi.Period) -> list[dict]:
    """The same headline figures for each zone, ranked by signed investment."""
    if len(zones) < 2:
        return []
    by_zone = kpi.compute_by(Project.objects.filter(zone__in=zones), period, "zone")
    rows = []
    for zone in zones:
        figures = by_zone.get(zone.pk) or kpi.compute(Project.objects.none(), period)
        rows.append({"zone": zone, "figures": {code: shown(code, figures[code]) for code in HEADLINE}, "sort": figures["signed_investment"]})
    rows.sort(key=lambda row: (-row["sort"], row["zone"].code))
    for rank, row in enumerate(rows, 1):
        row["rank"] = rank
    return rows


def cockpit(user, zone: Zone, period: kpi.Period) -> dict:
    projects = figure_projects(user, zone)
    rows, figures = headline(projects, zone, period)
    return {
        "zone": zone,
        "period": period,
        "headline": rows,
        "figures": figures,
        "charts": charts(user, projects, zone, period),
        "zones": zones_side_by_side(figure_zones(user), period),
        "whole_zone": reads_whole_zone(user, zone),
        "sources": source_table(projects, period),
    }
