"""Occupancy figures (database aggregates) and the vacancy list."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce

from zhaoshang.spaces.models import SpaceUnit

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2))
S = SpaceUnit.Status


def _area_sums(prefix: str = "") -> dict:
    def total(condition=None):
        field = f"{prefix}area_m2"
        if condition is None:
            return Coalesce(Sum(field), ZERO)
        return Coalesce(Sum(field, filter=condition), ZERO)

    return {
        "total_area": total(),
        "occupied_area": total(Q(**{f"{prefix}status__in": [S.LEASED, S.SELF_USED]})),
        "leased_area": total(Q(**{f"{prefix}status": S.LEASED})),
        "self_used_area": total(Q(**{f"{prefix}status": S.SELF_USED})),
        "intended_area": total(Q(**{f"{prefix}status": S.INTENDED})),
        "vacant_area": total(Q(**{f"{prefix}status": S.VACANT})),
        "unit_count": Count(f"{prefix}pk" if prefix else "pk", distinct=bool(prefix)),
    }


def rate(occupied: Decimal, total: Decimal) -> Decimal | None:
    """Occupied ÷ total area, None without any area."""
    if not total:
        return None
    return (occupied / total).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _with_rate(row: dict) -> dict:
    row["occupancy"] = rate(row["occupied_area"], row["total_area"])
    return row


def occupancy_by_park(parks) -> list[dict]:
    """One row per park: its areas by status and its occupancy rate."""
    sums = _area_sums("buildings__units__")
    rows = parks.annotate(**sums).order_by("name")
    return [_with_rate({"park": park, **{key: getattr(park, key) for key in sums}}) for park in rows]


def occupancy_by_building(buildings) -> list[dict]:
    sums = _area_sums("units__")
    rows = buildings.select_related("park").annotate(**sums)
    return [_with_rate({"building": b, **{key: getattr(b, key) for key in sums}}) for b in rows]


def occupancy_total(units) -> dict:
    """Σ over a set of units."""
    return _with_rate(units.aggregate(**_area_sums()))


def vacancies(units):
    """The vacancy list a recruiter hands an investor: vacant units, largest first."""
    return (
        units.filter(status=S.VACANT)
        .select_related("building__park")
        .order_by("building__park__name", "building__sort_order", "building__name", "-area_m2", "name")
    )
