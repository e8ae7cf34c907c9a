from zhaoshang.core.management.base import Command as BaseCommand
from zhaoshang.core.uploads import purge_unconfirmed_uploads


class Command(BaseCommand):
    help = "清除上传后超过1天未确认导入的台账文件（及无记录的遗留文件）。建议每日运行。"

    def handle(self, *args, **options):
        removed = purge_unconfirmed_uploads()
        self.stdout.write(
            f"已清除 {removed['jobs']} 个未确认导入的上传文件、{removed['orphans']} 个遗留文件，"
            f"共 {removed['bytes'] / 1024 / 1024:.1f} MB。"
        )
