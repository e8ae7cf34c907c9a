import os
import shutil
import subprocess
import sys
from pathlib import Path

from django.core.management.base import CommandError

from zhaoshang.core.management.base import Command as BaseCommand


class Command(BaseCommand):
    help = "生产方式在本机运行：gunicorn（gunicorn.conf.py）和一个后台任务进程（含定时任务调度），gunicorn 退出时后台任务进程一并退出。"

    def add_arguments(self, parser):
        parser.add_argument("--config", default="gunicorn.conf.py", help="gunicorn 配置文件（默认 ./gunicorn.conf.py）")
        parser.add_argument("--workers", type=int, default=1, help="同时启动的后台任务进程数（默认 1）")

    def handle(self, *args, **options):
        config = Path(options["config"])
        if not config.is_file():
            raise CommandError(f"找不到 gunicorn 配置文件 {config}")
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or shutil.which("gunicorn")
        if gunicorn is None:
            raise CommandError("找不到 gunicorn：请先 pip install gunicorn")
        for _ in range(options["workers"]):
            # Each worker watches this pid, which becomes gunicorn's master: they exit when it does.
            subprocess.Popen([sys.executable, "-m", "zhaoshang", "worker", "--parent-pid", str(os.getpid())])
        sys.stdout.flush()
        os.execv(gunicorn, [gunicorn, "-c", str(config)])
