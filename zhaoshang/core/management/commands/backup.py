from django.core.management.base import CommandError

from zhaoshang.core import backup
from zhaoshang.core.management.base import Command as BaseCommand


class Command(BaseCommand):
    help = "备份：把数据库（SQLite 在线备份或 pg_dump 自定义格式）和全部上传文件（附件、照片等）写入一个 tar 文件。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="备份文件路径，如 /srv/backup/zhaoshang-20260101.tar")

    def handle(self, *args, **options):
        try:
            manifest = backup.backup(options["file"])
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"已备份到 {options['file']}：{manifest['vendor']} 数据库，上传文件 {manifest['media_files']} 个")
