from zhaoshang.core import demo
from zhaoshang.core.management.base import Command as BaseCommand
from zhaoshang.core.management.base import usage_error


class Command(BaseCommand):
    help = "装入演示园区 yqgxq 阳泉高新区（2023—2025年一季度的项目、企业、跟进和资金到位）。"

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="数据库已有园区时什么也不做")

    def handle(self, *args, **options):
        from zhaoshang.core.models import Zone

        if options["if_empty"] and Zone.objects.exists():
            self.stdout.write("数据库中已有园区，跳过演示数据。")
            return
        try:
            zone = demo.seed_demo()
        except demo.DemoAlreadySeeded:
            raise usage_error(f"演示园区“{demo.ZONE_CODE}”已存在") from None
        self.stdout.write(f"已装入演示园区 {zone.code} {zone.name}：{zone.projects.count()} 个项目")
