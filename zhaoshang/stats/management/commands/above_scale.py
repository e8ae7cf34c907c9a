import json

from zhaoshang.core.management.base import Command as BaseCommand
from zhaoshang.core.management.base import get_zone, usage_error
from zhaoshang.stats import selectors


class Command(BaseCommand):
    help = "列出一个年度已达入统门槛但尚未入统、以及接近门槛（80%以上）的企业及其依据（入规培育清单）。"

    def add_arguments(self, parser):
        parser.add_argument("--zone", required=True, help="园区代码")
        parser.add_argument("--year", required=True, help="年度 YYYY")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args, **options):
        zone = get_zone(options["zone"])
        try:
            year = int(options["year"])
        except ValueError:
            year = 0
        if not 1949 <= year <= 2100:
            raise usage_error(f"--year 的年度“{options['year']}”无效，应为四位年份如 2024")
        found = selectors.candidates(zone, year)
        over = [c for c in found if c.status == selectors.OVER]
        near = [c for c in found if c.status == selectors.NEAR]
        if options["json"]:
            payload = {
                "zone": zone.code, "year": year,
                "over": [c.as_dict() for c in over], "near": [c.as_dict() for c in near],
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        self.stdout.write(f"{zone.name} {year}年 入规培育清单")
        for title, rows in (("已达门槛、尚未入统", over), ("接近门槛（达到80%以上）", near)):
            self.stdout.write(f"\n{title}：{len(rows)} 家")
            for c in rows:
                self.stdout.write(f"  {c.enterprise.name}　{c.profile.get_industry_code_display()}　{c.evidence}")
