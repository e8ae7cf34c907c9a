import json

from zhaoshang.core.management.base import Command as BaseCommand
from zhaoshang.core.management.base import get_zone, parse_date, usage_error
from zhaoshang.industry.actions import find_chain
from zhaoshang.industry.models import IndustryChain
from zhaoshang.industry.recommend import recommend


class Command(BaseCommand):
    help = "为一条产业链推荐目标企业：按得分排序，并说明理由（规则见 docs/targeting.md）。"

    def add_arguments(self, parser):
        parser.add_argument("--zone", required=True, help="园区代码")
        parser.add_argument("--chain", required=True, help="产业链名称或别名")
        parser.add_argument("--limit", type=int, default=20, help="推荐数量（默认20）")
        parser.add_argument("--today", help="按该日期计算接触时效（YYYY-MM-DD，默认今天）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, **options):
        zone = get_zone(options["zone"])
        chain = find_chain(zone, options["chain"])
        if chain is None:
            known = "、".join(IndustryChain.objects.filter(zone=zone).values_list("name", flat=True))
            raise usage_error(f"园区“{zone.code}”没有产业链“{options['chain']}”（已有：{known}）")
        if options["limit"] < 1:
            raise usage_error("--limit 应为正整数")
        today = parse_date(options["today"], "--today") if options["today"] else None
        result = recommend(chain, limit=options["limit"], today=today)
        if options["json"]:
            self.stdout.write(json.dumps({
                "zone": zone.code, "chain": chain.name,
                "recommendations": [
                    {"rank": rank, "target": r.target.name, "uscc": r.target.uscc, "status": r.target.status,
                     "score": r.score, "parts": r.parts, "reasons": r.reasons}
                    for rank, r in enumerate(result, start=1)
                ],
            }, ensure_ascii=False, indent=2))
            return
        if not result:
            self.stdout.write(f"{chain.name}：目标企业库中暂无对应本产业链节点的企业")
            return
        self.stdout.write(f"{chain.name} 推荐目标企业（前{len(result)}家）：")
        for rank, r in enumerate(result, start=1):
            self.stdout.write(f"{rank:>3}. {r.target.name}  {r.score}分  {r.target.get_status_display()}  {r.reason}")
