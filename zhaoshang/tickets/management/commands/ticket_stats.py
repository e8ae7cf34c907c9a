import json
from decimal import Decimal

from zhaoshang.core.management.base import Command as BaseCommand
from zhaoshang.core.management.base import get_zone, parse_date, usage_error
from zhaoshang.core.models import OrgUnit
from zhaoshang.projects import kpi
from zhaoshang.tickets import figures
from zhaoshang.tickets.models import TicketCategory


def _number(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


def _shown(code, value):
    if code in figures.RATES:
        return kpi.format_rate(value)
    if code == "avg_working_days":
        return "—" if value is None else f"{value} 天"
    return str(value)


class Command(BaseCommand):
    help = "入企服务诉求统计：按部门、按类别的受理数、办结率、按期办结率、平均办结用时、满意率。"

    def add_arguments(self, parser):
        parser.add_argument("--zone", required=True, help="园区代码")
        parser.add_argument("--from", dest="start", required=True, help="起始日期 YYYY-MM-DD（按首次分派日期）")
        parser.add_argument("--to", dest="end", required=True, help="截止日期 YYYY-MM-DD")
        parser.add_argument("--as-of", dest="as_of", help="数据截至日期 YYYY-MM-DD，默认同 --to")
        parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象")

    def handle(self, *args, **options):
        zone = get_zone(options["zone"])
        start, end = parse_date(options["start"], "--from"), parse_date(options["end"], "--to")
        as_of = parse_date(options["as_of"], "--as-of") if options["as_of"] else end
        if start > end:
            raise usage_error(f"--from（{start}）不能晚于 --to（{end}）")
        total = figures.zone_figures(zone, start, end, as_of)
        names = dict(OrgUnit.objects.filter(zone=zone).values_list("pk", "name"))
        departments = [
            {"id": pk, "name": names.get(pk, ""), **row}
            for pk, row in figures.department_figures(zone, start, end, as_of).items()
        ]
        by_category = figures.category_figures(zone, start, end, as_of)
        categories = [
            {"id": category.pk, "name": category.name, **by_category[category.pk]}
            for category in TicketCategory.objects.filter(zone=zone)
        ]
        if options["json"]:
            clean = lambda row: {key: _number(value) for key, value in row.items()}  # noqa: E731
            self.stdout.write(json.dumps({
                "zone": zone.code, "from": start.isoformat(), "to": end.isoformat(), "as_of": as_of.isoformat(),
                "total": clean(total),
                "departments": [clean(row) for row in departments],
                "categories": [clean(row) for row in categories],
            }, ensure_ascii=False))
            return
        self.stdout.write(f"{zone.name} 入企服务诉求  {start} 至 {end}（数据截至 {as_of}）")
        codes = [code for code, _label in figures.FIGURES]
        header = ["", *[str(label) for _code, label in figures.FIGURES]]
        for title, rows in (("部门", departments), ("类别", categories)):
            self.stdout.write("")
            self.stdout.write("\t".join([title, *header[1:]]))
            for row in rows:
                self.stdout.write("\t".join([row["name"], *[_shown(code, row[code]) for code in codes]]))
        self.stdout.write("\t".join(["合计", *[_shown(code, total[code]) for code in codes]]))
