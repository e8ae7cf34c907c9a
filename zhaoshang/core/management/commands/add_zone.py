from django.core.exceptions import ValidationError

from zhaoshang.core.actions import create_zone
from zhaoshang.core.management.base import Command as BaseCommand
from zhaoshang.core.management.base import usage_error


class Command(BaseCommand):
    help = "新建园区（开发区），并装入默认产业分类（4个产业集群、7条产业链）。"

    def add_arguments(self, parser):
        parser.add_argument("code", help="园区代码，如 yqgxq")
        parser.add_argument("name", help="园区名称，如 阳泉高新区")
        parser.add_argument("--province", default="", help="所在省份，如 山西省（用于判定“省内”来源）")
        parser.add_argument("--city", default="")

    def handle(self, *args, **options):
        try:
            zone = create_zone(code=options["code"], name=options["name"], province=options["province"], city=options["city"])
        except ValidationError as error:
            raise usage_error("；".join(message for messages in error.message_dict.values() for message in messages)) from None
        self.stdout.write(f"已新建园区 {zone.code} {zone.name}：{zone.clusters.count()} 个产业集群，{zone.chains.count()} 条产业链")
