from zhaoshang.core.management.base import Command as BaseCommand
from zhaoshang.core.management.base import get_zone, parse_date
from zhaoshang.projects.tasks import check_warnings


class Command(BaseCommand):
    help = "项目预警每日检查：记录每个项目的红、黄、绿灯，颜色变化时通知责任单位（每次变化一次）。"

    def add_arguments(self, parser):
        parser.add_argument("--zone", help="园区代码；默认全部园区")
        parser.add_argument("--date", help="按该日期检查 YYYY-MM-DD，默认今天")

    def handle(self, *args, **options):
        zone = get_zone(options["zone"]) if options["zone"] else None
        today = parse_date(options["date"], "--date") if options["date"] else None
        changed = check_warnings(today=today, zone=zone)
        for project, light in changed:
            self.stdout.write(f"{project.name}：{light.label}")
        self.stdout.write(f"颜色变化 {len(changed)} 个")
