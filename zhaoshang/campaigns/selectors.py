"""Reads of the campaigns area: what a trip, an event or an introducer brought, from the
figures of projects/kpi.py over the projects credited to it."""

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.campaigns.models import Source
from zhaoshang.projects import kpi
from zhaoshang.projects.models import Project

SOURCE_FIELDS = {"trip": "source__trip", "event": "source__event", "introducer": "source__introducer"}


def brought(obj, kind: str, projects, start: dt.date, today: dt.date | None = None) -> dict:
    """What a trip, event or introducer brought from `start` up to today: leads (credited
    projects whose first fact is in that span), signings and their investment, the
    conversion rate, plus links to the rows."""
    today = today or timezone.localdate()
    period = kpi.Period(min(start, today), today)
    field = SOURCE_FIELDS[kind]
    figures = kpi.by_source(projects.filter(**{field: obj.pk}), period, field).get(obj.pk, {})
    query = {"from": period.start.isoformat(), "to": period.end.isoformat(), kind: obj.pk}
    follow_ups = obj.visits.exclude(outcome="lead").exclude(project=None).count() if kind == "trip" else 0
    return {
        "as_of": today,
        "leads": figures.get("leads", 0),
        "signed_count": figures.get("signed_count", 0),
        "signed_investment": figures.get("signed_investment", kpi.ZERO),
        "conversion_rate": figures.get("conversion_rate"),
        "median_days_to_sign": figures.get("median_days_to_sign"),
        "follow_ups": follow_ups,
        "leads_url": reverse("projects:list") + "?" + urlencode({"figure": "source_leads", **query}),
        "signed_url": reverse("projects:list") + "?" + urlencode({"figure": "signed_count", **query}),
    }


def source_table(projects, period: kpi.Period) -> list[dict]:
    """One row per source kind (and one for projects with none recorded), each figure with
    the link to its rows."""
    figures = kpi.by_source(projects, period)
    base = {"from": period.start.isoformat(), "to": period.end.isoformat()}
    if period.as_of != period.end:
        base["as_of"] = period.as_of.isoformat()
    rows = []
    for value, label in [*Source.choices, (None, _("未登记来源"))]:
        row = figures.get(value)
        if row is None:
            continue
        source = value or "none"
        rows.append({
            "source": source, "label": label, **row,
            "leads_url": reverse("projects:list") + "?" + urlencode({"figure": "source_leads", "source": source, **base}),
            "signed_url": reverse("projects:list") + "?" + urlencode({"figure": "signed_count", "source": source, **base}),
        })
    return rows


def credited_projects(projects, introducer) -> list[Project]:
    return list(projects.filter(source__introducer=introducer).select_related("investor", "responsible_unit").order_by("-signed_on", "pk"))
