"""Reads of 认定: the month's claims for the review page, a project's claims."""

import datetime as dt

from django.db.models import Prefetch

from zhaoshang.review.models import Claim, Evidence


def parse_month(text: str | None, today: dt.date) -> dt.date | None:
    """'2026-11' → 2026-11-01; empty → this month; anything else → None."""
    if not text:
        return today.replace(day=1)
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        return dt.date(year, month, 1)
    except (TypeError, ValueError):
        return None


def month_end(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def _with_parts(claims):
    return claims.select_related(
        "project", "project__responsible_unit", "project__investor", "capital_increase", "certified_by", "claimed_by"
    ).prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("created_at", "id")))


def month_claims(user, zone, month: dt.date, status: str = ""):
    """The claims of facts dated in the month that the user may read, in the zone."""
    claims = Claim.objects.visible_to(user).filter(project__zone=zone, date__gte=month, date__lte=month_end(month))
    if status in Claim.Status.values:
        claims = claims.filter(status=status)
    return _with_parts(claims).order_by("status", "date", "id")


def earlier_pending(user, zone, month: dt.date) -> int:
    """Claims still waiting from before the month (so none is forgotten)."""
    return Claim.objects.visible_to(user).filter(project__zone=zone, status=Claim.Status.PENDING, date__lt=month).count()


def project_claims(project):
    return _with_parts(Claim.objects.filter(project=project)).order_by("-date", "-id")
