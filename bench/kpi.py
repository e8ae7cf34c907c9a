"""All figures of docs/figures.md for one zone-year and for all zones, against the floor: one
hand-written SQL query computing the same figures. Goal: ratio ≤ 1.5.

    python -m bench kpi
"""

from decimal import Decimal

from bench import setup_django, summary, timed

FLOOR_SQL = """
SELECT pa.*, fa.*
FROM (
  SELECT
    SUM(CASE WHEN p.signed_on BETWEEN %(start)s AND %(cut)s THEN 1 ELSE 0 END),
    SUM(CASE WHEN p.signed_on BETWEEN %(start)s AND %(cut)s THEN p.total_investment ELSE 0 END),
    SUM(CASE WHEN p.signed_on BETWEEN %(start)s AND %(cut)s AND p.started_on <= %(as_of)s THEN 1 ELSE 0 END),
    SUM(CASE WHEN p.planned_start_on BETWEEN %(start)s AND %(end)s THEN 1 ELSE 0 END),
    SUM(CASE WHEN p.planned_start_on BETWEEN %(start)s AND %(end)s AND p.started_on <= %(as_of)s THEN 1 ELSE 0 END),
    SUM(CASE WHEN p.started_on BETWEEN %(start)s AND %(cut)s THEN 1 ELSE 0 END),
    SUM(CASE WHEN p.started_on BETWEEN %(start)s AND %(cut)s THEN p.total_investment ELSE 0 END),
    SUM(CASE WHEN p.producing_on BETWEEN %(start)s AND %(cut)s THEN 1 ELSE 0 END),
    SUM(CASE WHEN p.signed_on BETWEEN %(start)s AND %(cut)s AND p.total_investment >= z.major_project_threshold THEN 1 ELSE 0 END),
    SUM(CASE WHEN p.signed_on BETWEEN %(start)s AND %(cut)s AND (p.dropped_on IS NULL OR p.dropped_on > %(as_of)s) THEN 1 ELSE 0 END)
  FROM projects_project p JOIN core_zone z ON z.id = p.zone_id
  WHERE {project_zone}
) pa CROSS JOIN (
  SELECT
    SUM(CASE WHEN a.date BETWEEN %(start)s AND %(cut)s THEN a.amount ELSE 0 END),
    SUM(CASE WHEN a.date BETWEEN %(start)s AND %(cut)s AND q.is_fixed_asset THEN a.amount ELSE 0 END),
    SUM(CASE WHEN q.signed_on BETWEEN %(start)s AND %(cut)s AND a.date <= %(as_of)s THEN a.amount ELSE 0 END)
  FROM projects_fundarrival a JOIN projects_project q ON q.id = a.project_id
  WHERE {arrival_zone}
) fa
"""

def floor(zone_id, start, end, as_of):
    from django.db import connection

    project_zone = "p.zone_id = %(zone)s" if zone_id else "1 = 1"
    arrival_zone = "q.zone_id = %(zone)s" if zone_id else "1 = 1"
    sql = FLOOR_SQL.format(project_zone=project_zone, arrival_zone=arrival_zone)
    params = {"zone": zone_id, "start": start, "end": end, "cut": min(end, as_of), "as_of": as_of}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def main():
    url = setup_django()
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from bench.data import ensure
    from zhaoshang.core.models import Zone
    from zhaoshang.projects import kpi

    info = ensure(projects=100_000, zones=20, arrivals=300_000, follow_ups=500_000)
    zones = list(Zone.objects.filter(code__in=info["zones"]).order_by("code"))
    period = kpi.Period.year(2024)
    print(f"database: {connection.vendor} ({url.split('@')[-1]})")

    cases = [("one zone, 2024", zones[0], [zones[0]]), ("all 20 zones, 2024", None, zones)]
    for label, zone, scope_zones in cases:
        ours = kpi.compute(kpi.scope(scope_zones), period)
        raw = floor(zone.pk if zone else None, period.start, period.end, period.as_of)
        assert ours["signed_count"] == raw[0] and ours["started_count"] == raw[2], (ours, raw)
        assert ours["signed_investment"] == Decimal(raw[1]).quantize(Decimal("0.01")), (ours["signed_investment"], raw[1])
        assert ours["funds_in_place"] == Decimal(raw[10] or 0).quantize(Decimal("0.01"))
        with CaptureQueriesContext(connection) as queries:
            kpi.compute(kpi.scope(scope_zones), period)
        ours_time = summary(timed(lambda: kpi.compute(kpi.scope(scope_zones), period), repeat=15))
        floor_time = summary(timed(lambda: floor(zone.pk if zone else None, period.start, period.end, period.as_of), repeat=15))
        ratio = ours_time["median_ms"] / floor_time["median_ms"]
        print(f"{label}: kpi.compute median {ours_time['median_ms']:.1f} ms (p95 {ours_time['p95_ms']:.1f}, "
              f"{len(queries)} queries); hand-written SQL median {floor_time['median_ms']:.1f} ms; "
              f"ratio {ratio:.2f} (goal ≤ 1.5); signed {ours['signed_count']}, 开工率 {kpi.format_rate(ours['start_rate'])}")
        reset_queries()


if __name__ == "__main__":
    main()
