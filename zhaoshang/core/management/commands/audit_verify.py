import sys

from zhaoshang.core import auditchain
from zhaoshang.core.management.base import Command as BaseCommand
from zhaoshang.core.models import ChangeRecord

REASONS = {
    "content": "记录内容与其摘要不符（记录被修改）",
    "previous": "前一记录摘要不符（其前的记录被删除、插入或修改）",
}


class Command(BaseCommand):
    help = "校验变更记录（审计日志）的哈希链：全部完好时退出码为 0，否则报告第一处断链并以退出码 1 结束。"

    def handle(self, *args, **options):
        checked, broken, reason = auditchain.verify(ChangeRecord)
        if broken is None:
            self.stdout.write(f"审计日志完好：共 {checked} 条变更记录，哈希链无断点。")
            return
        self.stderr.write(
            f"审计日志哈希链在第 {checked + 1} 条记录处断开：编号 {broken.pk}，"
            f"{broken.timestamp:%Y-%m-%d %H:%M:%S} {broken.username or '系统'} "
            f"{broken.get_action_display()} {broken.object_repr}。原因：{REASONS[reason]}。"
        )
        sys.exit(1)
