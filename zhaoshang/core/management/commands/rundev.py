import os
import subprocess
import sys

from zhaoshang.core.management.base import Command as BaseCommand


class Command(BaseCommand):
    help = "开发用：启动开发服务器和一个后台任务进程（含定时任务调度），开发服务器退出时后台任务进程一并退出。"

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, **options):
        me = [sys.executable, "-m", "zhaoshang"]
        # This process becomes the development server (exec keeps its pid); the worker watches
        # that pid and exits within a second once the server is gone, however it ended.
        subprocess.Popen([*me, "worker", "--parent-pid", str(os.getpid())])
        sys.stdout.flush()
        os.execv(sys.executable, [*me, "runserver", options["addrport"]])
