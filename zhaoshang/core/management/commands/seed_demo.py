import datetime as dt

from zhaoshang.core import demo
from zhaoshang.core.management.base import Command as BaseCommand
from zhaoshang.core.management.base import usage_error


class Command(BaseCommand):
    help = (
        "装入演示园区 yqgxq 阳泉高新区：2023—2025年一季度的固定项目，以及此后直到今天"
        "（或 --today 给出的日期）逐月发生的项目、跟进、资金到位、诉求、目标、调度和通报。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="数据库已有园区时什么也不做")
        parser.add_argument("--today", help="把这一天当作今天（YYYY-MM-DD，不早于 2025-04-01），默认今天")

    def handle(self, *args, **options):
        from zhaoshang.core.models import Zone

        if options["if_empty"] and Zone.objects.exists():
            self.stdout.write("数据库中已有园区，跳过演示数据。")
            return
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise usage_error(f"--today “{options['today']}”不是 YYYY-MM-DD 格式的日期") from None
            if today < dt.date(2025, 4, 1):
                raise usage_error("--today 不能早于 2025-04-01（演示数据的固定部分到 2025 年一季度）")
        try:
            zone = demo.seed_demo(today=today)
        except demo.DemoAlreadySeeded:
            raise usage_error(f"演示园区“{demo.ZONE_CODE}”已存在") from None
        self.stdout.write(f"已装入演示园区 {zone.code} {zone.name}：{zone.projects.count()} 个项目")
