from zhaoshang.assessment import demo
from zhaoshang.core.management.base import Command as BaseCommand
from zhaoshang.core.management.base import get_zone


class Command(BaseCommand):
    help = "为园区安装默认考核方案并设定 2023—2025 年示例目标任务（用于演示）。"

    def add_arguments(self, parser):
        parser.add_argument("--zone", default="yqgxq", help="园区代码，默认 yqgxq")

    def handle(self, *args, **options):
        zone = get_zone(options["zone"])
        count = demo.seed(zone)
        self.stdout.write(f"{zone.name}：已安装默认考核方案，设定目标任务 {count} 项。")
