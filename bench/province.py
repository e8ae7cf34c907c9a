"""A province on one installation, on PostgreSQL: 50 zones, 1,000,000 enterprises, 500,000
projects, 5,000,000 follow-ups and 1,500,000 fund arrivals, loaded with COPY (minutes), then
measured:

- the province roll-up (the cockpit of an observer of all 50 zones: its figures and the
  zones side by side) and one zone's cockpit;
- the project list, search, a filtered list, a project's page, the board and the workbench
  (p50/p95 over ZHAOSHANG_BENCH_REQUESTS requests each, 200 by default, in-process through
  Django's test client);
- `kpi` for one zone-year and for all zones against one hand-written SQL aggregate;
- the database's size.

Goals: page p95 ≤ 150 ms; one zone's cockpit p95 ≤ 300 ms; province roll-up ≤ 1 s; kpi all
zones ≤ 1.5 × the SQL floor.

    ZHAOSHANG_PROVINCE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/h19bench python -m bench province

The data is generated once and kept (a marker in the zones' city field); delete the
database to generate it again. ZHAOSHANG_BENCH_SCALE=0.1 makes a tenth of it (a quick try).
"""

import datetime as dt
import os
import random
import time
from decimal import Decimal

from bench import setup_django, summary, timed

URL = os.environ.get("ZHAOSHANG_PROVINCE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/h19bench")
SCALE = float(os.environ.get("ZHAOSHANG_BENCH_SCALE", "1"))
REQUESTS = int(os.environ.get("ZHAOSHANG_BENCH_REQUESTS", "200"))
ROLLUP_REQUESTS = int(os.environ.get("ZHAOSHANG_BENCH_ROLLUP_REQUESTS", "30"))
ZONES = 50
SIZES = {name: int(count * SCALE) for name, count in
         {"enterprises": 1_000_000, "projects": 500_000, "follow_ups": 5_000_000, "arrivals": 1_500_000}.items()}
MARKER = f"prov{SIZES['projects'] // 1000}k"
NOW = dt.datetime(2025, 6, 30, 12, 0, tzinfo=dt.timezone.utc)
# Zones whose certification is off (the default) certify each fact on its own date
# (review.actions): the figures count a fact only once certified.
CERTIFIED = ["signed_certified_on", "started_certified_on", "producing_certified_on"]


def create_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')


def copy(model, names: list[str], rows) -> int:
    """COPY rows (tuples in the order of `names`) into the model's table; NOT NULL columns not
    named get their field's default (timestamps: NOW)."""
    from django.db import connection, models
    from psycopg.types.json import Jsonb

    meta = model._meta
    fields = [meta.get_field(name) for name in names]
    extra, constants = [], []
    for field in meta.concrete_fields:
        if field in fields or field.null or field.primary_key:
            continue
        if isinstance(field, models.DateTimeField):
            value = NOW
        else:
            value = field.get_default()
            value = getattr(value, "value", value)
            if isinstance(field, models.JSONField):
                value = Jsonb(value)
        extra.append(field)
        constants.append(value)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields + extra)
    constants = tuple(constants)
    count = 0
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {meta.db_table} ({columns}) FROM STDIN") as stream:
            for row in rows:
                stream.write_row(row + constants)
                count += 1
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{meta.db_table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {meta.db_table}))")
    return count


def generate(seed: int = 19) -> None:
    from django.db import connection, transaction

    from zhaoshang.core import changelog
    from zhaoshang.core.actions import create_park, create_unit, create_zone
    from zhaoshang.core.models import OrgUnit
    from zhaoshang.enterprises.models import Enterprise
    from zhaoshang.projects.models import FollowUp, FundArrival, Project, StageChange
    from zhaoshang.projects.regions import SourceRegion

    rng = random.Random(seed)
    started = time.perf_counter()

    def step(label, count):
        print(f"  {label}: {count:,} rows, {time.perf_counter() - started:.0f} s so far", flush=True)

    with changelog.paused(), transaction.atomic():
        # Django's foreign keys are checked at COMMIT, one row at a time: for 8 million rows
        # that is longer than the load itself. The rows are consistent by construction, so
        # this session skips the checks (replica mode; needs a superuser, as on a bench).
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
        zones = []
        for index in range(ZONES):
            zone = create_zone(code=f"p{index:02d}", name=f"全省开发区{index:02d}", province="山西省", city=MARKER)
            units = [create_unit(zone=zone, name=f"专班{u}", kind=OrgUnit.Kind.TASK_FORCE).pk for u in range(6)]
            units += [create_unit(zone=zone, name=f"国企{u}", kind=OrgUnit.Kind.SOE).pk for u in range(3)]
            parks = [create_park(zone=zone, name=f"园区{p}").pk for p in range(5)]
            chains = list(zone.chains.values_list("pk", "cluster_id", "name"))
            zones.append((zone, units, parks, chains))
        step("zones", ZONES)

        per_zone_enterprises = SIZES["enterprises"] // ZONES
        step("enterprises", copy(Enterprise, ["id", "zone", "name"], (
            (z * per_zone_enterprises + n + 1, zone.pk, f"{zone.code}企业{n:06d}")
            for z, (zone, *_rest) in enumerate(zones) for n in range(per_zone_enterprises))))

        provinces = [("北京市", SourceRegion.JING_JIN_JI), ("江苏省", SourceRegion.YANGTZE_DELTA), ("浙江省", SourceRegion.YANGTZE_DELTA),
                     ("广东省", SourceRegion.GREATER_BAY), ("山西省", SourceRegion.HOME_PROVINCE), ("河南省", SourceRegion.OTHER)]
        per_zone = SIZES["projects"] // ZONES
        signed_projects = []  # (id, signed_on)
        stage_rows = []

        def projects():
            pk = 0
            for z, (zone, units, parks, chains) in enumerate(zones):
                for n in range(per_zone):
                    pk += 1
                    chain, cluster, chain_name = rng.choice(chains)
                    province, region = rng.choice(provinces)
                    signed = planned = begun = producing = dropped = None
                    roll = rng.random()
                    stage = "lead" if roll < 0.15 else "negotiating" if roll < 0.30 else "signed"
                    if stage == "signed":
                        signed = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(5 * 365))
                        planned = signed + dt.timedelta(days=rng.randrange(30, 200))
                        signed_projects.append((pk, signed))
                        stage_rows.append((pk, "negotiating", "signed", signed))
                        if rng.random() < 0.75:
                            begun = signed + dt.timedelta(days=rng.randrange(10, 300))
                            stage = "started"
                            stage_rows.append((pk, "signed", "started", begun))
                            if rng.random() < 0.4:
                                producing = begun + dt.timedelta(days=rng.randrange(90, 600))
                                stage = "producing"
                    if rng.random() < 0.03:
                        dropped = (producing or begun or signed or dt.date(2023, 1, 1)) + dt.timedelta(days=rng.randrange(1, 200))
                        stage = "dropped"
                    year = (signed or dt.date(2024, 1, 1)).year
                    yield (pk, zone.pk, f"{zone.code.upper()}-{year}-{n:06d}", f"{chain_name}项目{n:06d}",
                           z * per_zone_enterprises + rng.randrange(per_zone_enterprises) + 1, chain, cluster,
                           rng.choice(["endogenous", "chain", "foundational"]), Decimal(rng.randrange(500, 500_000)),
                           rng.random() < 0.8, province, region, rng.choice(units),
                           rng.choice(parks) if rng.random() < 0.8 else None, stage, signed, planned, begun, producing, dropped,
                           "投资方撤回" if dropped else "", signed, begun, producing)

        step("projects", copy(Project, ["id", "zone", "code", "name", "investor", "chain", "cluster", "kind", "total_investment",
                                        "is_fixed_asset", "source_province", "source_region", "responsible_unit", "park",
                                        "stage", "signed_on", "planned_start_on", "started_on", "producing_on", "dropped_on",
                                        "drop_reason", *CERTIFIED], projects()))
        step("stage changes", copy(StageChange, ["project", "from_stage", "to_stage", "date"], iter(stage_rows)))
        stage_rows.clear()

        step("fund arrivals", copy(FundArrival, ["project", "date", "amount"], (
            (pk, signed + dt.timedelta(days=rng.randrange(0, 700)), Decimal(rng.randrange(10, 20_000)))
            for pk, signed in (rng.choice(signed_projects) for _ in range(SIZES["arrivals"])))))

        total_projects = per_zone * ZONES
        first = dt.date(2021, 1, 1)

        def follow_ups():
            for _ in range(SIZES["follow_ups"]):
                day = first + dt.timedelta(days=rng.randrange(5 * 365))
                yield (rng.randrange(total_projects) + 1, day, "visit", "走访企业，了解项目进展", "继续跟进", day + dt.timedelta(days=30))

        step("follow-ups", copy(FollowUp, ["project", "date", "kind", "summary", "next_step", "next_date"], follow_ups()))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    step("analyzed", 0)


def certify_facts() -> int:
    """Certify the facts of data generated before the load wrote the certified dates."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE projects_project SET signed_certified_on = signed_on, started_certified_on = started_on, "
            "producing_certified_on = producing_on WHERE signed_on IS NOT NULL AND signed_certified_on IS NULL"
        )
        count = cursor.rowcount
        if count:
            cursor.execute("VACUUM ANALYZE projects_project")
    return count


def ensure() -> bool:
    from django.core.management import call_command

    from zhaoshang.core.models import Zone

    call_command("migrate", verbosity=0)
    if Zone.objects.filter(city=MARKER).count() == ZONES:
        certified = certify_facts()
        if certified:
            print(f"certified the facts of {certified:,} projects (data generated without them)", flush=True)
        return False
    call_command("flush", "--noinput", verbosity=0)
    print(f"generating {ZONES} zones, " + ", ".join(f"{count:,} {name}" for name, count in SIZES.items()), flush=True)
    started = time.perf_counter()
    generate()
    print(f"generated in {time.perf_counter() - started:.0f} s", flush=True)
    return True


def _page(client, path, repeat):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    from django.db import connection

    queries = []
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        client.get(path)
    return summary(timed(lambda: client.get(path), repeat=repeat, warmup=1)), len(queries)


def _p50(figures):
    return figures["median_ms"]


def main():
    create_database(URL)
    setup_django(URL)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from bench.kpi import floor
    from zhaoshang.core.actions import grant_role
    from zhaoshang.core.models import Zone
    from zhaoshang.projects import kpi
    from zhaoshang.projects.models import FollowUp, FundArrival, Project

    ensure()
    zones = list(Zone.objects.filter(city=MARKER).order_by("code"))
    zone = zones[0]
    User = get_user_model()
    users = {}
    for name, role, scope in [("prov-bureau", "bureau", [zone]), ("prov-leader", "leadership", [zone]), ("prov-observer", "observer", zones)]:
        user, created = User.objects.get_or_create(username=name)
        if created:
            for each in scope:
                grant_role(user=user, zone=each, role=role)
        client = Client()
        client.force_login(user)
        users[name] = client

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database())), pg_database_size(current_database())")
        size_text, size = cursor.fetchone()
    print(f"database: PostgreSQL {connection.pg_version // 10000} ({URL.rsplit('@', 1)[-1]}), {size_text}; "
          f"{Zone.objects.count()} zones, {Project.objects.count():,} projects, {FundArrival.objects.count():,} fund arrivals, "
          f"{FollowUp.objects.count():,} follow-ups", flush=True)

    in_zone = Project.objects.filter(zone=zone)
    busy = in_zone.order_by("-total_investment").values_list("pk", flat=True).first()
    word = in_zone.order_by("pk").values_list("name", flat=True).first()[:2]
    unit = in_zone.exclude(responsible_unit=None).values_list("responsible_unit", flat=True).first()
    results = []

    def report(label, figures, queries, goal):
        verdict = "ok" if figures["p95_ms"] <= goal else "OVER"
        results.append((label, figures, goal))
        print(f"{label}: p50 {_p50(figures):.0f} ms, p95 {figures['p95_ms']:.0f} ms (goal ≤ {goal}) {verdict}, {queries} queries",
              flush=True)

    figures, queries = _page(users["prov-observer"], "/cockpit/?kind=year&year=2024", ROLLUP_REQUESTS)
    report(f"province roll-up (observer of {len(zones)} zones, cockpit 2024; {ROLLUP_REQUESTS} requests)", figures, queries, 1000)
    figures, queries = _page(users["prov-leader"], "/cockpit/?kind=year&year=2024", REQUESTS)
    report("one zone's cockpit, 2024", figures, queries, 300)
    for label, path in [
        ("project list", "/projects/"),
        ("project list, search", f"/projects/?q={word}"),
        ("project list, filtered", f"/projects/?stage=signed&stage=started&unit={unit}&amount_min=1000&sort=-amount"),
        ("project detail", f"/projects/{busy}/"),
        ("board", "/projects/board/"),
        ("workbench", "/"),
    ]:
        figures, queries = _page(users["prov-bureau"], path, REQUESTS)
        report(label, figures, queries, 150)

    period = kpi.Period.year(2024)
    for label, scope_zones, zone_id in [("kpi, one zone-year", [zone], zone.pk), (f"kpi, all {len(zones)} zones, 2024", zones, None)]:
        ours = kpi.compute(kpi.scope(scope_zones), period)
        raw = floor(zone_id, period.start, period.end, period.as_of)
        assert ours["signed_count"] == raw[0] and ours["started_count"] == raw[2], (ours, raw)
        ours_time = summary(timed(lambda: kpi.compute(kpi.scope(scope_zones), period), repeat=15, warmup=1))
        floor_time = summary(timed(lambda: floor(zone_id, period.start, period.end, period.as_of), repeat=15, warmup=1))
        ratio = ours_time["median_ms"] / floor_time["median_ms"]
        print(f"{label}: kpi.compute p50 {ours_time['median_ms']:.0f} ms, hand-written SQL p50 {floor_time['median_ms']:.0f} ms, "
              f"ratio {ratio:.2f} (goal ≤ 1.5) {'ok' if ratio <= 1.5 else 'OVER'}; signed {ours['signed_count']:,}", flush=True)
    print(f"database size {size_text} ({size / 2**30:.2f} GiB)")


if __name__ == "__main__":
    main()
