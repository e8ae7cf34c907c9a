"""What the project's management commands share: usage errors as one clear line with
exit code 2, and the parsing of zones and dates."""

import datetime as dt
import sys
import types

from django.core.management.base import BaseCommand, CommandError, CommandParser, handle_default_options
from django.db import connections

from zhaoshang.core.models import Zone

USAGE_ERROR = 2


def _one_line_error(parser: CommandParser, message: str):
    if parser.called_from_command_line:
        sys.stderr.write(f"错误：{message}（{parser.prog} --help 查看用法）\n")
        sys.exit(USAGE_ERROR)
    raise CommandError(f"错误：{message}", returncode=USAGE_ERROR)


class Command(BaseCommand):
    """A command whose bad options print one line and exit 2, like its other usage errors
    (Django prints a CommandError as one line on stderr and exits with its returncode)."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.error = types.MethodType(_one_line_error, parser)
        return parser

    def execute(self, *args, **options):
        """Every change a command makes is on record under one request id, as the system's
        (or as the user a command names with changelog.acting_as)."""
        from zhaoshang.core import changelog

        name = self.__class__.__module__.rsplit(".", 1)[-1]
        with changelog.acting_as(None, origin=f"命令 {name}"):
            return super().execute(*args, **options)

    def run_from_argv(self, argv):
        """Django's own, but a CommandError reads 错误：… rather than CommandError: …"""
        self._called_from_command_line = True
        parser = self.create_parser(argv[0], argv[1])
        options = parser.parse_args(argv[2:])
        cmd_options = vars(options)
        args = cmd_options.pop("args", ())
        handle_default_options(options)
        try:
            self.execute(*args, **cmd_options)
        except CommandError as error:
            if options.traceback:
                raise
            self.stderr.write(f"错误：{error}")
            sys.exit(error.returncode)
        finally:
            connections.close_all()


def usage_error(message: str) -> CommandError:
    return CommandError(message, returncode=USAGE_ERROR)


def get_zone(code: str) -> Zone:
    try:
        return Zone.objects.get(code=code)
    except Zone.DoesNotExist:
        known = ", ".join(Zone.objects.values_list("code", flat=True)) or "无"
        raise usage_error(f"园区“{code}”不存在（已有：{known}）") from None


def parse_date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise usage_error(f"{option} 的日期“{value}”无效，应为 YYYY-MM-DD") from None


def scope_options(zone, options) -> dict:
    """The --unit/--chain/--cluster/--park options of a figures command, looked up in the
    zone (a chain also by its aliases): {"unit": OrgUnit, …} for kpi.scope()."""
    from django.core.exceptions import ObjectDoesNotExist

    from zhaoshang.core.models import OrgUnit, Park
    from zhaoshang.industry.actions import find_chain
    from zhaoshang.industry.models import IndustryCluster

    narrowing = {}
    lookups = {"unit": (OrgUnit, "责任单位"), "cluster": (IndustryCluster, "产业集群"), "park": (Park, "落地园区")}
    for key, (model, label) in lookups.items():
        if options.get(key):
            try:
                narrowing[key] = model.objects.get(zone=zone, name=options[key].strip())
            except ObjectDoesNotExist:
                raise usage_error(f"{zone.name}没有名为“{options[key]}”的{label}") from None
    if options.get("chain"):
        narrowing["chain"] = find_chain(zone, options["chain"])
        if narrowing["chain"] is None:
            raise usage_error(f"{zone.name}没有名为“{options['chain']}”的产业链")
    return narrowing
