import os

from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db.management.commands.db_worker import Worker, valid_interval, valid_max_tasks, validate_worker_id

from zhaoshang.core import queue
from zhaoshang.core.management.base import Command as BaseCommand


class Command(BaseCommand):
    help = "运行后台任务进程：从数据库领取任务（台账导入、通知、每日检查等）并执行；可在多台机器上各运行几个。"

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default="*", help="处理的队列，逗号分隔；* 为全部（默认）")
        parser.add_argument("--interval", type=valid_interval, default=1.0, help="队列为空时每隔几秒再查（默认 1）")
        parser.add_argument("--batch", action="store_true", help="处理完已有任务后退出")
        parser.add_argument("--max-tasks", type=valid_max_tasks, default=None, help="执行这么多任务后退出")
        parser.add_argument("--worker-id", type=validate_worker_id, default=None, help="进程标识，默认随机")
        parser.add_argument("--no-scheduler", action="store_true", help="不在本进程内安排定时任务（另有 scheduler 进程时）")
        parser.add_argument("--parent-pid", type=int, default=None, help="该进程结束时本进程也退出（make run 使用）")

    def handle(self, *args, **options):
        worker_id = options["worker_id"] or get_random_string(32)
        queues = options["queue_name"].split(",")
        worker = Worker(
            queue_names=queues, interval=options["interval"], batch=options["batch"], backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=not options["batch"], max_tasks=options["max_tasks"], worker_id=worker_id, excluded_queue_names=[],
        )
        housekeeping = queue.Heartbeat(worker_id, options["parent_pid"], schedule=not options["no_scheduler"])
        housekeeping.start()
        if options["verbosity"]:
            self.stdout.write(f"后台任务进程 {worker_id} 已启动（pid {os.getpid()}）")
        try:
            if not options["batch"]:
                worker.configure_signals()
            worker.run()
        except SystemExit:
            pass
        finally:
            housekeeping.close()
            worker.reset_signals()
