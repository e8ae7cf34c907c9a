from pathlib import Path

from zhaoshang.core.changelog import acting_as
from zhaoshang.core.management.base import Command as BaseCommand
from zhaoshang.core.management.base import get_zone, parse_date, scope_options, usage_error
from zhaoshang.ledger.actions import export_projects
from zhaoshang.projects import kpi
from zhaoshang.projects.models import Project
from zhaoshang.projects.stages import Stage


class Command(BaseCommand):
    help = (
        "导出项目台账（.xlsx）：标题行、带单位的表头、冻结表头，另附资金到位表和指标汇总表。"
        "给出 --from/--to 时只导出该期间签约的项目（或 --figure 指标背后的项目），指标按该期间计算。"
    )

    def add_arguments(self, parser):
        parser.add_argument("out", help="输出文件，如 台账.xlsx")
        parser.add_argument("--zone", required=True, help="园区代码")
        parser.add_argument("--from", dest="start", help="起始日期 YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="截止日期 YYYY-MM-DD")
        parser.add_argument("--as-of", dest="as_of", help="数据截至日期 YYYY-MM-DD，默认同 --to")
        parser.add_argument("--figure", help="只导出某个指标背后的项目，如 signed_count、started_count（需 --from/--to）")
        parser.add_argument("--unit", help="责任单位名称")
        parser.add_argument("--chain", help="产业链名称（或其别名）")
        parser.add_argument("--cluster", help="产业集群名称")
        parser.add_argument("--park", help="落地园区名称")
        parser.add_argument("--stage", choices=[stage.value for stage in Stage], help="阶段")

    def handle(self, *args, **options):
        zone = get_zone(options["zone"])
        out = Path(options["out"])
        if out.suffix.lower() != ".xlsx":
            raise usage_error(f"输出文件应以 .xlsx 结尾：{out}")
        if not out.parent.exists():
            raise usage_error(f"目录“{out.parent}”不存在")
        period = None
        if options["start"] or options["end"]:
            if not (options["start"] and options["end"]):
                raise usage_error("--from 和 --to 需同时给出")
            start, end = parse_date(options["start"], "--from"), parse_date(options["end"], "--to")
            as_of = parse_date(options["as_of"], "--as-of") if options["as_of"] else None
            try:
                period = kpi.Period(start, end, as_of)
            except ValueError:
                raise usage_error(f"--from（{start}）不能晚于 --to（{end}）") from None
        elif options["figure"] or options["as_of"]:
            raise usage_error("--figure 和 --as-of 需要 --from 和 --to")
        projects = kpi.scope([zone], **scope_options(zone, options))
        if options["stage"]:
            projects = projects.filter(stage=options["stage"])
        if period is not None:
            figure = options["figure"] or "signed_count"
            if figure not in kpi.KINDS:
                raise usage_error(f"没有名为“{figure}”的指标（可用：{', '.join(kpi.CODES)}）")
            projects = kpi.projects_behind(figure, projects, period)
        projects = Project.objects.filter(pk__in=projects.values("pk"))
        filters = {key: options[key] for key in ("start", "end", "as_of", "figure", "unit", "chain", "cluster", "park", "stage") if options[key]}
        with acting_as(None, origin="export_ledger"):
            count = export_projects(projects, str(out), zone=zone, period=period, filters=filters,
                                    description=f"导出项目台账 {out.name}",
                                    filters_text="；".join(f"{key}={value}" for key, value in filters.items()))
        self.stdout.write(f"已导出 {count} 个项目到 {out}")
