from pathlib import Path

from zhaoshang.assessment import bulletins
from zhaoshang.assessment.management.commands.ranking import add_period_arguments, period_from
from zhaoshang.core.management.base import Command as BaseCommand
from zhaoshang.core.management.base import get_zone, usage_error


class Command(BaseCommand):
    help = "生成一个时期的考核通报（.docx，同名 .xlsx 附表）；不发布、不保存到系统。"

    def add_arguments(self, parser):
        add_period_arguments(parser)
        parser.add_argument("--out", required=True, help="输出文件 FILE.docx（同时写出 FILE.xlsx）")
        parser.add_argument("--title", default="", help="标题，默认“关于××招商引资工作考核情况的通报”")
        parser.add_argument("--number", default="", help="文号，如 阳高投促〔2025〕3号")

    def handle(self, *args, **options):
        zone = get_zone(options["zone"])
        period = period_from(options)
        out = Path(options["out"])
        if out.suffix.lower() != ".docx":
            raise usage_error(f"--out 应为 .docx 文件（收到“{out}”）")
        if not out.parent.exists():
            raise usage_error(f"目录“{out.parent}”不存在")
        data = bulletins.build(zone, period, title=options["title"], number=options["number"])
        out.write_bytes(bulletins.render_docx(data))
        table = out.with_suffix(".xlsx")
        table.write_bytes(bulletins.render_xlsx(data))
        self.stdout.write(f"已生成 {out} 和 {table}：{data['title']}")
        self.stdout.write(data["summary"])
