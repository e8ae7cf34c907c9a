"""Generate a province's worth of data for the benchmarks, fast (bulk inserts).

    from bench import setup_django; setup_django()
    from bench.data import ensure
    ensure(projects=100_000, zones=20, arrivals=300_000, follow_ups=500_000)

The data is kept and reused while its size matches (a marker row in the zone table).
"""

import datetime as dt
import random
import time
from decimal import Decimal

from django.core.management import call_command
from django.db import connection, transaction

BATCH = 5000
STAGES_BY_DATES = ("signed", "started", "producing")


def _marker(projects, zones, arrivals, follow_ups) -> str:
    # Kept in Zone.city (20 characters at most).
    return f"b{projects // 1000}k{zones}z{arrivals // 1000}a{follow_ups // 1000}f"


def ensure(projects=100_000, zones=20, arrivals=300_000, follow_ups=500_000, seed=7) -> dict:
    """Make sure the benchmark database holds exactly this data; returns its zone codes."""
    from zhaoshang.core.models import Zone

    call_command("migrate", verbosity=0)
    marker = _marker(projects, zones, arrivals, follow_ups)
    if Zone.objects.filter(city=marker).count() == zones:
        return {"zones": list(Zone.objects.filter(city=marker).values_list("code", flat=True)), "generated": False}
    call_command("flush", "--noinput", verbosity=0)
    started = time.perf_counter()
    codes = generate(projects, zones, arrivals, follow_ups, seed, marker)
    print(f"generated {projects:,} projects, {arrivals:,} fund arrivals, {follow_ups:,} follow-ups in {zones} zones "
          f"in {time.perf_counter() - started:.1f} s", flush=True)
    return {"zones": codes, "generated": True}


def _chunks(rows, size=BATCH):
    for index in range(0, len(rows), size):
        yield rows[index:index + size]


@transaction.atomic
def generate(projects, zones, arrivals, follow_ups, seed, marker) -> list[str]:
    from zhaoshang.core.actions import create_park, create_unit, create_zone
    from zhaoshang.core.models import OrgUnit
    from zhaoshang.core.pinyin import search_key
    from zhaoshang.enterprises.models import Enterprise
    from zhaoshang.projects.models import FollowUp, FundArrival, Project, StageChange
    from zhaoshang.projects.regions import SourceRegion

    rng = random.Random(seed)
    provinces = ["北京", "江苏", "浙江", "广东", "山西", "河南", "四川", "上海"]
    regions = {"北京": SourceRegion.JING_JIN_JI, "江苏": SourceRegion.YANGTZE_DELTA, "浙江": SourceRegion.YANGTZE_DELTA,
               "上海": SourceRegion.YANGTZE_DELTA, "广东": SourceRegion.GREATER_BAY, "山西": SourceRegion.HOME_PROVINCE}
    codes, zone_parts = [], []
    for index in range(zones):
        zone = create_zone(code=f"z{index:02d}", name=f"基准开发区{index:02d}", province="山西省", city=marker)
        units = [create_unit(zone=zone, name=f"专班{u}", kind=OrgUnit.Kind.TASK_FORCE) for u in range(6)]
        units += [create_unit(zone=zone, name=f"国企{u}", kind=OrgUnit.Kind.SOE) for u in range(3)]
        parks = [create_park(zone=zone, name=f"园区{p}") for p in range(5)]
        chains = list(zone.chains.select_related("cluster"))
        codes.append(zone.code)
        zone_parts.append((zone, units, parks, chains))

    per_zone = projects // zones
    enterprise_rows = []
    for zone, *_ in zone_parts:
        enterprise_rows += [Enterprise(zone=zone, name=f"{zone.code}企业{n:06d}", name_pinyin=search_key(f"{zone.code}企业{n:06d}"))
                            for n in range(per_zone // 2)]
    for chunk in _chunks(enterprise_rows):
        Enterprise.objects.bulk_create(chunk)
    enterprises = {}
    for zone_id, pk in Enterprise.objects.values_list("zone_id", "pk"):
        enterprises.setdefault(zone_id, []).append(pk)

    project_rows = []
    for zone, units, parks, chains in zone_parts:
        for n in range(per_zone):
            chain = rng.choice(chains)
            province = rng.choice(provinces)
            signed = started = producing = planned = None
            roll = rng.random()
            stage = "lead" if roll < 0.15 else "negotiating" if roll < 0.30 else "signed"
            if stage == "signed":
                signed = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(5 * 365))
                planned = signed + dt.timedelta(days=rng.randrange(30, 200))
                if rng.random() < 0.75:
                    started = signed + dt.timedelta(days=rng.randrange(10, 300))
                    stage = "started"
                    if rng.random() < 0.4:
                        producing = started + dt.timedelta(days=rng.randrange(90, 600))
                        stage = "producing"
            dropped = None
            if rng.random() < 0.03:
                dropped = (producing or started or signed or dt.date(2023, 1, 1)) + dt.timedelta(days=rng.randrange(1, 200))
                stage = "dropped"
            project_rows.append(Project(
                zone=zone, code=f"{zone.code}-{n:06d}", name=f"{chain.name}项目{n:06d}",
                name_pinyin=search_key(f"{chain.name}项目{n:06d}"),
                investor_id=rng.choice(enterprises[zone.pk]), chain=chain, cluster=chain.cluster,
                kind=rng.choice(["endogenous", "chain", "foundational"]),
                total_investment=Decimal(rng.randrange(500, 500_000)), is_fixed_asset=rng.random() < 0.8,
                source_province=province + "省", source_region=regions.get(province, SourceRegion.OTHER),
                responsible_unit=rng.choice(units), park=rng.choice(parks) if rng.random() < 0.8 else None,
                stage=stage, signed_on=signed, planned_start_on=planned, started_on=started, producing_on=producing,
                dropped_on=dropped, drop_reason="投资方撤回" if dropped else "",
            ))
    for chunk in _chunks(project_rows):
        Project.objects.bulk_create(chunk)
    signed_projects = list(Project.objects.filter(signed_on__isnull=False).values_list("pk", "signed_on", "started_on"))
    all_projects = list(Project.objects.values_list("pk", flat=True))

    stage_rows = [StageChange(project_id=pk, from_stage="negotiating", to_stage="signed", date=signed)
                  for pk, signed, _started in signed_projects]
    for chunk in _chunks(stage_rows):
        StageChange.objects.bulk_create(chunk)

    arrival_rows = []
    for _ in range(arrivals):
        pk, signed, started = rng.choice(signed_projects)
        arrival_rows.append(FundArrival(project_id=pk, date=signed + dt.timedelta(days=rng.randrange(0, 700)),
                                        amount=Decimal(rng.randrange(10, 20_000))))
    for chunk in _chunks(arrival_rows):
        FundArrival.objects.bulk_create(chunk)
    del arrival_rows

    follow_rows = []
    for _ in range(follow_ups):
        day = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(5 * 365))
        follow_rows.append(FollowUp(project_id=rng.choice(all_projects), date=day, kind="visit", summary="走访企业，了解项目进展",
                                    next_step="继续跟进", next_date=day + dt.timedelta(days=30)))
        if len(follow_rows) == BATCH:
            FollowUp.objects.bulk_create(follow_rows)
            follow_rows = []
    FollowUp.objects.bulk_create(follow_rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return codes
