from zhaoshang.core.management.base import Command as BaseCommand
from zhaoshang.core.management.base import get_zone, parse_date
from zhaoshang.tickets import actions
from zhaoshang.tickets.models import Step


class Command(BaseCommand):
    help = "检查超过受理或办结时限的诉求，向投资促进局、管委会领导和牵头部门发出逾期提醒（每张诉求每个环节一次）。"

    def add_arguments(self, parser):
        parser.add_argument("--zone", help="园区代码；默认全部园区")
        parser.add_argument("--date", help="按该日期检查 YYYY-MM-DD，默认今天")

    def handle(self, *args, **options):
        zone = get_zone(options["zone"]) if options["zone"] else None
        today = parse_date(options["date"], "--date") if options["date"] else None
        sent = actions.notify_overdue(today=today, zone=zone)
        for ticket, step in sent:
            self.stdout.write(f"{ticket.code} {ticket.title}：{Step(step).label}逾期")
        self.stdout.write(f"发出逾期提醒 {len(sent)} 条")
