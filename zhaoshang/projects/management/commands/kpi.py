import json

from zhaoshang.core.management.base import Command as BaseCommand
from zhaoshang.core.management.base import get_zone, parse_date, scope_options, usage_error
from zhaoshang.projects import kpi


class Command(BaseCommand):
    help = "计算一个时期、范围和截至日期的招商指标（docs/figures.md）。"

    def add_arguments(self, parser):
        parser.add_argument("--zone", required=True, action="append", help="园区代码；可重复以汇总多个园区")
        parser.add_argument("--from", dest="start", required=True, help="起始日期 YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="截止日期 YYYY-MM-DD")
        parser.add_argument("--as-of", dest="as_of", help="数据截至日期 YYYY-MM-DD，默认同 --to")
        parser.add_argument("--unit", help="责任单位名称")
        parser.add_argument("--chain", help="产业链名称（或其别名）")
        parser.add_argument("--cluster", help="产业集群名称")
        parser.add_argument("--park", help="落地园区名称")
        parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象")

    def handle(self, *args, **options):
        zones = [get_zone(code) for code in options["zone"]]
        start, end = parse_date(options["start"], "--from"), parse_date(options["end"], "--to")
        as_of = parse_date(options["as_of"], "--as-of") if options["as_of"] else None
        try:
            period = kpi.Period(start, end, as_of)
        except ValueError:
            raise usage_error(f"--from（{start}）不能晚于 --to（{end}）") from None
        narrowing = self._narrowing(zones, options)
        figures = kpi.compute(kpi.scope(zones, **narrowing), period)
        if options["json"]:
            self.stdout.write(json.dumps(kpi.as_json(figures), ensure_ascii=False))
            return
        self._table(zones, narrowing, period, figures)

    def _narrowing(self, zones, options):
        if len(zones) > 1 and any(options[key] for key in ("unit", "chain", "cluster", "park")):
            raise usage_error("--unit、--chain、--cluster、--park 只能用于单个园区")
        return scope_options(zones[0], options)

    def _table(self, zones, narrowing, period, figures):
        title = "、".join(zone.name for zone in zones)
        if narrowing:
            title += "·" + "·".join(str(value) for value in narrowing.values())
        self.stdout.write(f"{title}  {period.start} 至 {period.end}（数据截至 {period.as_of}）")
        width = max(len(str(label)) for label in kpi.LABELS.values())
        for code in kpi.CODES:
            value = figures[code]
            kind = kpi.KINDS[code]
            if kind == kpi.AMOUNT:
                shown = kpi.format_amount(value)
            elif kind == kpi.RATE:
                shown = kpi.format_rate(value)
            else:
                shown = f"{value} 个"
            label = str(kpi.LABELS[code])
            self.stdout.write(f"  {label}{'　' * (width - len(label))}  {shown}")
