"""Recommendation benchmark (issue 9): rank the targets of one chain in a pool of 200,000.

Builds (once, then reuses) an SQLite database under var/bench/targets-<N>.sqlite3 — or
uses ZHAOSHANG_BENCH_DATABASE_URL — with one zone, its seven chains, local enterprises
placed on most nodes (a few key nodes left as gaps, chain leaders marked), and N target
companies (default 200,000; TARGETS_BENCH_N to change): half of them serve the
新能源电池及材料 chain (the worst case: ~100,000 candidates), the rest the other chains;
about a third carry tags, a fifth have been approached, one in fifty supplies a chain leader.

Prints the time of recommend(chain, limit=20) (median and p95 of 10 runs; goal ≤ 1 s),
of the chain's coverage, and of the zone's duplicate scan.

    .venv/bin/python -m bench targets
"""

import datetime as dt
import os
import random
import time

from bench import BENCH_DIR, setup_django, summary, timed

N = int(os.environ.get("TARGETS_BENCH_N", "200000"))
TODAY = dt.date(2025, 6, 30)
TAGS = ["行业龙头", "瞪羚企业", "专精特新", "小巨人", "链主", "上市公司", "500强", "央企", "外资", "高新技术企业"]
PROVINCES = ["北京市", "天津市", "河北省", "上海市", "江苏省", "浙江省", "安徽省", "广东省", "山西省", "河南省", "四川省", "湖北省"]
WORDS = "华信锂能芯源智算精工恒通瑞达宏远鑫泰新材科技动力电子装备环保云帆博创中科联创汇川晶显光电"


def _name(rng, index):
    return "".join(rng.choice(WORDS) for _ in range(4)) + f"{index:06d}" + rng.choice(["科技有限公司", "新材料有限公司", "股份有限公司"])


def build(zone_code="bench"):
    from django.core.management import call_command
    from django.db import transaction

    from zhaoshang.core.actions import create_zone
    from zhaoshang.core.changelog import paused
    from zhaoshang.core.models import Zone
    from zhaoshang.enterprises.models import Enterprise, Tag
    from zhaoshang.industry.models import ChainNode, ChainPlacement, TargetCompany, TargetRelation
    from zhaoshang.industry.names import normalize_name
    from zhaoshang.projects.regions import region_of

    call_command("migrate", verbosity=0)
    if Zone.objects.filter(code=zone_code).exists():
        zone = Zone.objects.get(code=zone_code)
        if TargetCompany.objects.filter(zone=zone).count() == N:
            return zone
        raise SystemExit(f"the benchmark database holds another pool size; delete {BENCH_DIR} and run again")
    rng = random.Random(9)
    start = time.perf_counter()
    with paused(), transaction.atomic():
        zone = create_zone(code=zone_code, name="基准测试园区", province="山西省")
        tags = [Tag.objects.get_or_create(name=name)[0] for name in TAGS]
        nodes = list(ChainNode.objects.filter(chain__zone=zone).select_related("chain"))
        battery = [n for n in nodes if n.chain.name == "新能源电池及材料"]
        others = [n for n in nodes if n.chain.name != "新能源电池及材料"]
        leaders = []
        for index, node in enumerate(nodes):
            if node.is_key and index % 4 == 0:
                continue  # a gap
            for k in range(3):
                enterprise = Enterprise.objects.create(zone=zone, name=f"本地企业{index:02d}{k}")
                ChainPlacement.objects.create(node=node, enterprise=enterprise, is_chain_leader=(k == 0 and node.is_key))
                if k == 0 and node.is_key:
                    leaders.append(enterprise)
        batch = []
        for index in range(N):
            province = rng.choice(PROVINCES)
            name = _name(rng, index)
            contacted = TODAY - dt.timedelta(days=rng.randint(0, 400)) if rng.random() < 0.2 else None
            batch.append(TargetCompany(
                zone=zone, name=name, name_key=normalize_name(name), province=province,
                region=region_of(province, zone.province), last_contacted_on=contacted,
                status="contacted" if contacted else "untouched",
            ))
        TargetCompany.objects.bulk_create(batch, batch_size=5000)
        ids = list(TargetCompany.objects.filter(zone=zone).values_list("pk", flat=True))
        node_rows, tag_rows, relations = [], [], []
        NodeThrough, TagThrough = TargetCompany.nodes.through, TargetCompany.tags.through
        for pk in ids:
            pool = battery if rng.random() < 0.5 else others
            for node in rng.sample(pool, rng.choice([1, 1, 2])):
                node_rows.append(NodeThrough(targetcompany_id=pk, chainnode_id=node.pk))
            if rng.random() < 0.35:
                for tag in rng.sample(tags, rng.choice([1, 2])):
                    tag_rows.append(TagThrough(targetcompany_id=pk, tag_id=tag.pk))
            if rng.random() < 0.02:
                relations.append(TargetRelation(target_id=pk, kind=rng.choice(["supplier", "customer", "partner"]),
                                                enterprise=rng.choice(leaders)))
        NodeThrough.objects.bulk_create(node_rows, batch_size=10000)
        TagThrough.objects.bulk_create(tag_rows, batch_size=10000)
        TargetRelation.objects.bulk_create(relations, batch_size=10000)
    from django.db import connection

    with connection.cursor() as cursor:  # as autovacuum would after a load this size
        cursor.execute("ANALYZE")
    print(f"built a pool of {N:,} targets ({len(node_rows):,} node links, {len(tag_rows):,} tags, "
          f"{len(relations):,} relations) in {time.perf_counter() - start:.1f} s")
    return zone


def main():
    url = os.environ.get("ZHAOSHANG_BENCH_DATABASE_URL") or f"sqlite:///{BENCH_DIR / f'targets-{N}.sqlite3'}"
    setup_django(url)
    from zhaoshang.industry.duplicates import duplicate_groups
    from zhaoshang.industry.models import TargetCompany
    from zhaoshang.industry.recommend import candidates, recommend
    from zhaoshang.industry.selectors import chain_coverage

    zone = build()
    chain = zone.chains.get(name="新能源电池及材料")
    pool = TargetCompany.objects.filter(zone=zone).count()
    print(f"database: {url.split('://')[0]}; pool {pool:,} targets; {candidates(chain).count():,} serve {chain.name}")
    result = recommend(chain, limit=20, today=TODAY)
    print(f"top: {result[0].target.name} {result[0].score}分 {result[0].reason}")
    cpu = time.process_time()
    figures = summary(timed(lambda: recommend(chain, limit=20, today=TODAY), repeat=10, warmup=1))
    cpu = (time.process_time() - cpu) / 11 * 1000
    print(f"recommend(chain, limit=20): median {figures['median_ms']:.0f} ms, p95 {figures['p95_ms']:.0f} ms (goal ≤ 1000 ms); "
          f"this process's CPU {cpu:.0f} ms per call; load average {os.getloadavg()[0]:.1f}")
    from zhaoshang.industry.recommend import _rank
    from zhaoshang.industry.selectors import gap_node_ids

    key_gaps, other_gaps = gap_node_ids(chain)
    every_node = list(chain.nodes.values_list("pk", flat=True))
    figures = summary(timed(lambda: _rank(chain, key_gaps, other_gaps, every_node, priority_regions=["jjj", "yrd", "gba"],
                                          today=TODAY, limit=20), repeat=5, warmup=1))
    print(f"worst case, all {candidates(chain).count():,} candidates scored and sorted (no top-k shortcut): "
          f"median {figures['median_ms']:.0f} ms")
    figures = summary(timed(lambda: chain_coverage(chain), repeat=10, warmup=1))
    print(f"chain_coverage(chain): median {figures['median_ms']:.0f} ms")
    start = time.perf_counter()
    groups = duplicate_groups(zone)
    print(f"duplicate_groups(zone): {time.perf_counter() - start:.2f} s, {len(groups)} groups")


if __name__ == "__main__":
    main()
