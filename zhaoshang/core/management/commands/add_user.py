import getpass
import os

from django.core.exceptions import ValidationError

from zhaoshang.core.actions import create_user
from zhaoshang.core.management.base import Command as BaseCommand
from zhaoshang.core.management.base import get_zone, usage_error
from zhaoshang.core.models import OrgUnit, Park, Role

PASSWORD_VARIABLE = "ZHAOSHANG_NEW_PASSWORD"


class Command(BaseCommand):
    help = (
        "新建登录用户并授予某园区的角色。密码取自环境变量 ZHAOSHANG_NEW_PASSWORD，未设置时提示输入。"
        "角色：" + "，".join(f"{role.value}（{role.label}）" for role in Role)
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="用户名（登录用）")
        parser.add_argument("--zone", required=True, help="园区代码，如 yqgxq")
        parser.add_argument("--role", required=True, help="角色：" + "/".join(Role.values))
        parser.add_argument("--unit", default="", help="所属单位名称（专班/国企成员、职能部门必填）")
        parser.add_argument("--park", default="", help="所属载体园区名称（园区角色必填）")
        parser.add_argument("--name", default="", help="姓名")

    def handle(self, *args, **options):
        zone = get_zone(options["zone"])
        role = options["role"]
        if role not in Role.values:
            raise usage_error(f"角色“{role}”无效（可选：{'、'.join(Role.values)}）")
        unit = park = None
        if options["unit"]:
            unit = OrgUnit.objects.filter(zone=zone, name=options["unit"].strip()).first()
            if unit is None:
                known = "、".join(OrgUnit.objects.filter(zone=zone).values_list("name", flat=True)[:20]) or "无"
                raise usage_error(f"园区“{zone.code}”没有名为“{options['unit']}”的单位（已有：{known}）")
        if options["park"]:
            park = Park.objects.filter(zone=zone, name=options["park"].strip()).first()
            if park is None:
                known = "、".join(Park.objects.filter(zone=zone).values_list("name", flat=True)) or "无"
                raise usage_error(f"园区“{zone.code}”没有名为“{options['park']}”的载体园区（已有：{known}）")
        password = os.environ.get(PASSWORD_VARIABLE)
        if not password:
            password = self._prompt()
        try:
            user = create_user(
                username=options["username"], password=password, zone=zone, role=role, unit=unit, park=park,
                full_name=options["name"], must_change=True,
            )
        except ValidationError as error:
            raise usage_error("；".join(m for messages in error.message_dict.values() for m in messages)) from None
        where = f"（{unit or park}）" if (unit or park) else ""
        self.stdout.write(f"已新建用户 {user.username}：{zone.name} {Role(role).label}{where}")

    def _prompt(self) -> str:
        try:
            first = getpass.getpass("密码：")
            second = getpass.getpass("再次输入密码：")
        except (EOFError, KeyboardInterrupt):
            raise usage_error(f"未提供密码（设置 {PASSWORD_VARIABLE} 或在终端输入）") from None
        if first != second:
            raise usage_error("两次输入的密码不一致")
        if not first:
            raise usage_error("密码不能为空")
        return first
