import json

from zhaoshang.core.management.base import Command as BaseCommand
from zhaoshang.core.management.base import get_zone, usage_error
from zhaoshang.industry.actions import find_chain
from zhaoshang.industry.models import IndustryChain
from zhaoshang.industry.selectors import chain_coverage


class Command(BaseCommand):
    help = "列出园区各产业链的关键节点缺口（没有本地企业的关键节点）和未覆盖节点。"

    def add_arguments(self, parser):
        parser.add_argument("--zone", required=True, help="园区代码")
        parser.add_argument("--chain", help="产业链名称或别名（默认全部）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, **options):
        zone = get_zone(options["zone"])
        if options["chain"]:
            chain = find_chain(zone, options["chain"])
            if chain is None:
                known = "、".join(IndustryChain.objects.filter(zone=zone).values_list("name", flat=True))
                raise usage_error(f"园区“{zone.code}”没有产业链“{options['chain']}”（已有：{known}）")
            chains = [chain]
        else:
            chains = list(IndustryChain.objects.filter(zone=zone))
        report = []
        for chain in chains:
            coverage = chain_coverage(chain)
            report.append({
                "chain": chain.name,
                "nodes": len(coverage.nodes),
                "key_nodes": len(coverage.key_nodes),
                "covered": len(coverage.covered_nodes),
                "gaps": [{"node": n.node.name, "position": n.node.get_position_display(), "targets": n.targets}
                         for n in coverage.gaps],
                "empty": [n.node.name for n in coverage.empty_nodes],
                "leaders": [e.name for e in coverage.leaders],
            })
        if options["json"]:
            self.stdout.write(json.dumps({"zone": zone.code, "chains": report}, ensure_ascii=False, indent=2))
            return
        for row in report:
            gaps = "、".join(f"{g['node']}（{g['position']}，目标企业{g['targets']}家）" for g in row["gaps"]) or "无"
            self.stdout.write(f"{row['chain']}：节点{row['nodes']}个，关键节点{row['key_nodes']}个，已覆盖{row['covered']}个")
            self.stdout.write(f"  关键节点缺口：{gaps}")
            if row["empty"]:
                self.stdout.write(f"  未覆盖节点：{'、'.join(row['empty'])}")
            if row["leaders"]:
                self.stdout.write(f"  链主：{'、'.join(row['leaders'])}")
