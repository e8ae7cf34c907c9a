import json

from zhaoshang.assessment import scoring
from zhaoshang.assessment.periods import describe
from zhaoshang.core.management.base import Command as BaseCommand
from zhaoshang.core.management.base import get_zone, parse_date, usage_error
from zhaoshang.projects.kpi import Period


def period_from(options) -> Period:
    start, end = parse_date(options["start"], "--from"), parse_date(options["end"], "--to")
    as_of = parse_date(options["as_of"], "--as-of") if options.get("as_of") else None
    if start > end:
        raise usage_error(f"--from（{start}）不能晚于 --to（{end}）")
    return Period(start, end, as_of)


def add_period_arguments(parser) -> None:
    parser.add_argument("--zone", required=True, help="园区代码")
    parser.add_argument("--from", dest="start", required=True, help="起始日期 YYYY-MM-DD")
    parser.add_argument("--to", dest="end", required=True, help="截止日期 YYYY-MM-DD")
    parser.add_argument("--as-of", dest="as_of", help="数据截至日期 YYYY-MM-DD，默认同 --to")


class Command(BaseCommand):
    help = "按分类考核方案计算一个时期的单位得分与组内排名（含较上期变动、红黑榜）。"

    def add_arguments(self, parser):
        add_period_arguments(parser)
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args, **options):
        zone = get_zone(options["zone"])
        period = period_from(options)
        result = scoring.ranking(zone, period)
        if options["json"]:
            self.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False))
            return
        self.stdout.write(f"{zone.name} {describe(period)}考核排名（{period.start} 至 {period.end}，数据截至 {period.as_of}）")
        if not result.groups:
            self.stdout.write("尚未设置考核方案。")
            return
        if result.previous:
            self.stdout.write(f"较上期：{result.previous.start} 至 {result.previous.end}")
        for group in result.groups:
            self.stdout.write(f"\n{group.kind_label}（{group.scheme_name}）")
            self.stdout.write("  名次  总分     指标得分  加分    扣分    较上期  单位")
            for s in group.scores:
                board = "  红榜" if s in group.red else ("  黑榜" if s in group.black else "")
                self.stdout.write(
                    f"  {s.rank or '—':>3}  {s.total:>7}  {s.indicator_points:>7}  {s.bonus:>6}  {s.deduction:>6}  {s.arrow:<6}  {s.unit_name}{board}"
                )
        self.stdout.write(f"\n{scoring.TIE_BREAKS}。")
