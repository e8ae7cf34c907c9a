import json
from pathlib import Path

from django.core.management.base import CommandError

from zhaoshang.core.changelog import acting_as
from zhaoshang.core.management.base import Command as BaseCommand
from zhaoshang.core.management.base import get_zone, usage_error
from zhaoshang.ledger.actions import import_ledger
from zhaoshang.ledger.names import NameAnswers

FILE_ERRORS = 1


class Command(BaseCommand):
    help = (
        "导入台账（.xlsx/.xls/.csv）：自动识别表头、单位和各种日期写法，全部成功才写入；"
        "有错误时什么都不写并列出每个错误所在的工作表、行、列。退出码：0 成功，1 文件有错误，2 用法错误。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="台账文件")
        parser.add_argument("--zone", required=True, help="园区代码")
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告将会做什么，不写入")
        parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
        parser.add_argument("--map", metavar="ANSWERS.json",
                            help='本园区没有的单位、园区、包联领导如何对应：{"park": {"台账中的名称": "已有名称或“新建”"}, "unit": {…}, "leader": {…}}')
        parser.add_argument("--create-missing", action="store_true", help="本园区没有的单位、园区、包联领导一律新建")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise usage_error(f"文件“{path}”不存在")
        zone = get_zone(options["zone"])
        names = NameAnswers(create_missing=options["create_missing"])
        if options["map"]:
            try:
                names = NameAnswers.from_json(json.loads(Path(options["map"]).read_text(encoding="utf-8")),
                                              create_missing=options["create_missing"])
            except (OSError, ValueError) as error:
                raise usage_error(f"对应文件“{options['map']}”无法读取：{error}") from None
        with acting_as(None, origin="import_ledger"):
            result = import_ledger(path, zone=zone, dry_run=options["dry_run"], names=names)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, default=str))
        else:
            self._report(result, zone)
        if result.errors:
            raise CommandError(f"台账有 {len(result.errors)} 处错误，未写入任何数据", returncode=FILE_ERRORS)

    def _report(self, result, zone):
        if result.unknown_names:
            self.stdout.write("以下名称本园区没有，请用 --map 对应到已有名称（或写“新建”），或用 --create-missing 全部新建：")
            for item in result.unknown_names:
                nearest = "、".join(item["closest"]) or "无"
                self.stdout.write(f"  ? {item['kind']}「{item['name']}」（{item['sheet']} 第{item['row']}行）最接近：{nearest}")
        if result.errors:
            self.stdout.write(f"台账有 {len(result.errors)} 处错误，未写入任何数据：")
            for issue in result.errors:
                self.stdout.write(f"  ✗ {issue}")
        else:
            verb = "将" if result.dry_run else "已"
            self.stdout.write(
                f"{zone.name}：{verb}新建项目 {result.projects_created} 个，更新 {result.projects_updated} 个，"
                f"未变 {result.projects_unchanged} 个；资金到位 {result.fund_arrivals_created} 笔；"
                f"新建单位 {result.units_created} 个、载体园区 {result.parks_created} 个、企业 {result.enterprises_created} 家"
                + ("（试运行，未写入）" if result.dry_run else "")
            )
            for label, created in (("新建单位", result.new_units), ("新建载体园区", result.new_parks), ("新建包联领导", result.new_people)):
                if created:
                    self.stdout.write(f"  {label}：{'、'.join(created)}")
            for item in result.mapped_names:
                how = "（已记住的对应）" if item["remembered"] else ""
                self.stdout.write(f"  对应：{item['written']} → {item['target']}{how}")
        if result.warnings:
            self.stdout.write(f"提示 {len(result.warnings)} 条：")
            for issue in result.warnings[:200]:
                self.stdout.write(f"  ! {issue}")
            if len(result.warnings) > 200:
                self.stdout.write(f"  …… 另有 {len(result.warnings) - 200} 条（用 --json 查看全部）")
