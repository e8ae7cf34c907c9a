from django.core.management.base import CommandError

from zhaoshang.core import backup
from zhaoshang.core.management.base import Command as BaseCommand


class Command(BaseCommand):
    help = ("从 zhaoshang backup 生成的文件恢复数据库和上传文件。目标应为新建的空数据库（无需先 migrate）；"
            "目标已有数据时拒绝执行，除非加 --force（先清空目标数据库和上传文件目录）。")

    def add_arguments(self, parser):
        parser.add_argument("file", help="备份文件路径")
        parser.add_argument("--force", action="store_true", help="目标数据库不空时也恢复：先清空它和上传文件目录")

    def handle(self, *args, **options):
        try:
            manifest = backup.restore(options["file"], force=options["force"])
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"已恢复 {options['file']}（备份于 {manifest['created_at']}，上传文件 {manifest['media_files']} 个）；"
                          "如程序版本较新，请再运行 zhaoshang migrate")
