import time

from zhaoshang.core import queue
from zhaoshang.core.management.base import Command as BaseCommand


class Command(BaseCommand):
    help = ("定时任务调度：每隔一段时间把到期的定时任务（如每日诉求逾期检查）放入队列，并把失去进程的任务重新排队或标为失败。"
            "每个后台任务进程已自带此功能；多个调度进程同时运行也只排一次。")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="只运行一轮")
        parser.add_argument("--list", action="store_true", help="列出已登记的定时任务")

    def handle(self, *args, **options):
        if options["list"]:
            for job in queue.discover().values():
                self.stdout.write(f"{job.name}\t{job.every}\t{job.at.strftime('%H:%M')}")
            return
        while True:
            recovered, enqueued = queue.tick()
            for line in enqueued:
                self.stdout.write(f"已排队 {line}")
            for job_id in recovered:
                self.stdout.write(f"已处理失去进程的任务 {job_id}")
            if options["once"]:
                return
            time.sleep(queue.scheduler_seconds())
