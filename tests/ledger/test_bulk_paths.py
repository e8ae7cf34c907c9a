"""The import's fast paths give what the plain ones give: multi-row inserts with a partial
last statement, repeated cells read once, re-imports that read the zone's projects in one
pass or by id, amounts and dates read back from the database for comparison."""

import datetime as dt
from decimal import Decimal

from zhaoshang.core.models import Person
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.ledger import bulk
from zhaoshang.ledger.actions import import_ledger
from zhaoshang.projects.models import FundArrival, Project, StageChange
from zhaoshang.projects.stages import Stage

from .conftest import day

HEADER = ["项目编号", "项目名称", "投资主体", "统一社会信用代码", "总投资（万元）", "责任单位", "签约时间", "开工时间", "包联领导", "项目进展"]
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def uscc(number: int) -> str:
    body = f"91140300{number:09d}"
    total = sum(USCC_ALPHABET.index(char) * pow(3, i, 31) for i, char in enumerate(body))
    return body + USCC_ALPHABET[(31 - total % 31) % 31]


def rows(count: int):
    """`count` project rows whose repeated cells (units, dates, leaders, stage words) repeat."""
    for number in range(1, count + 1):
        signed = dt.date(2024, 1, 1) + dt.timedelta(days=number % 40)
        started = f"{signed.year}年{signed.month}月{signed.day + 1 if signed.day < 28 else signed.day}日" if number % 3 == 0 else ""
        yield [f"KX-{number:04d}", f"第{number}号项目", f"企业{number % 70}有限公司", uscc(number % 70),
               f"{number * 10 + 0.25:,}" if number % 2 else number * 10 + 0.25, "专班甲" if number % 2 else "数科公司",
               signed.isoformat(), started, "王强、李娜" if number % 4 else "张伟", "在建" if started else "已签约"]


def test_a_ledger_longer_than_one_statement_imports_every_row_once(zone, workbook):
    count = bulk.COPY_ROWS + 37  # on PostgreSQL, past the size copied through a temporary table
    path = workbook({"项目": [HEADER, *rows(count)], "到位": [["项目编号", "到位时间", "到位金额(万元)"],
                                                            *[[f"KX-{n:04d}", "2024.6.1", "12.34"] for n in range(1, count + 1)]]})
    result = import_ledger(path, zone=zone, today=day("2025-01-01"))
    assert result.ok, [str(issue) for issue in result.errors]
    assert (result.projects_created, result.enterprises_created, result.fund_arrivals_created) == (count, 70, count)
    projects = Project.objects.filter(zone=zone)
    assert projects.count() == count
    assert sorted(projects.values_list("code", flat=True)) == [f"KX-{n:04d}" for n in range(1, count + 1)]
    third = projects.get(code="KX-0003")
    assert (third.stage, third.total_investment, third.responsible_unit.name) == (Stage.STARTED, Decimal("30.25"), "专班甲")
    assert sorted(third.leaders.values_list("name", flat=True)) == ["李娜", "王强"]
    assert list(third.stage_changes.order_by("date", "id").values_list("to_stage", flat=True)) == [
        Stage.NEGOTIATING, Stage.SIGNED, Stage.STARTED]
    assert projects.get(code="KX-0001").total_investment == Decimal("10.25")  # "10.25" written with its thousands comma form
    assert Person.objects.filter(zone=zone).count() == 3
    assert FundArrival.objects.filter(project__zone=zone, amount=Decimal("12.34")).count() == count
    # Every enterprise row carries its credit code; every project its investor.
    assert not projects.filter(investor__isnull=True).exists()
    assert Enterprise.objects.filter(zone=zone, uscc="").count() == 0


def test_importing_it_again_reads_the_zone_in_one_pass_and_changes_nothing(zone, workbook):
    path = workbook({"项目": [HEADER, *rows(250)], "到位": [["项目编号", "到位时间", "到位金额(万元)"],
                                                          ["KX-0001", "2024.6.1", "1,234.56"], ["KX-0002", 45000, 0.5]]})
    assert import_ledger(path, zone=zone, today=day("2025-01-01")).ok
    versions = dict(Project.objects.filter(zone=zone).values_list("pk", "version"))
    history = StageChange.objects.filter(project__zone=zone).count()
    again = import_ledger(path, zone=zone, today=day("2025-01-01"))
    assert again.ok
    assert (again.projects_created, again.projects_updated, again.projects_unchanged) == (0, 0, 250)
    assert (again.fund_arrivals_created, again.fund_arrivals_unchanged) == (0, 2)
    assert dict(Project.objects.filter(zone=zone).values_list("pk", "version")) == versions
    assert StageChange.objects.filter(project__zone=zone).count() == history


def test_a_few_changed_rows_in_a_large_zone_are_found_by_id(zone, workbook, make_project):
    assert import_ledger(workbook({"项目": [HEADER, *rows(120)]}), zone=zone, today=day("2025-01-01")).ok
    # A ledger naming 3 of the zone's 120 projects: one changes its amount, one starts.
    few = [row for row in rows(120) if row[0] in ("KX-0001", "KX-0002", "KX-0004")]
    few[0][4] = "99.5"
    few[1][7] = "2024-03-01"
    few[1][9] = "在建"
    result = import_ledger(workbook({"项目": [HEADER, *few]}), zone=zone, today=day("2025-01-01"))
    assert result.ok, [str(issue) for issue in result.errors]
    assert (result.projects_updated, result.projects_unchanged) == (2, 1)
    assert Project.objects.get(zone=zone, code="KX-0001").total_investment == Decimal("99.50")
    second = Project.objects.get(zone=zone, code="KX-0002")
    assert (second.stage, second.started_on) == (Stage.STARTED, day("2024-03-01"))


def test_a_repeated_bad_cell_is_named_on_every_row(zone, simple_ledger):
    from .conftest import HEADER as SIMPLE

    path = simple_ledger(*[[f"项目{n}", "", "", "", "-5", "", "2024-01-01", "", "已签约"] for n in range(3)], header=SIMPLE)
    result = import_ledger(path, zone=zone)
    assert [(issue.row, issue.column) for issue in result.errors] == [(2, "总投资（万元）"), (3, "总投资（万元）"), (4, "总投资（万元）")]
    assert all("负数" in issue.message for issue in result.errors)
    assert not Project.objects.filter(zone=zone).exists()


def test_a_project_without_a_code_gives_way_to_a_later_row_that_holds_its_number(zone, workbook):
    # Rows are written as they are read: the first row is numbered TESTZONE-2024-0001 at
    # once, and must be numbered again when the third row turns out to hold that code.
    path = workbook({"项目": [["项目编号", "项目名称", "签约时间", "项目进展"],
                              ["", "无编号项目甲", "2024-03-01", "已签约"],
                              ["", "无编号项目乙", "2024-04-01", "已签约"],
                              ["TESTZONE-2024-0001", "自带编号项目", "2024-05-01", "已签约"]]})
    result = import_ledger(path, zone=zone, today=day("2025-01-01"))
    assert result.ok, [str(issue) for issue in result.errors]
    codes = dict(Project.objects.filter(zone=zone).values_list("name", "code"))
    assert codes == {"无编号项目甲": "TESTZONE-2024-0003", "无编号项目乙": "TESTZONE-2024-0002", "自带编号项目": "TESTZONE-2024-0001"}
    assert [row["code"] for row in result.created] == ["TESTZONE-2024-0003", "TESTZONE-2024-0002", "TESTZONE-2024-0001"]


def test_an_error_after_rows_were_written_leaves_nothing_behind(zone, workbook):
    # An error on the last row leaves the zone as it was.
    count = 205
    body = [list(row) for row in rows(count)]
    body[-1][4] = "-5"  # a negative amount on the last row
    path = workbook({"项目": [HEADER, *body]})
    result = import_ledger(path, zone=zone, today=day("2025-01-01"))
    assert [(issue.row, issue.column) for issue in result.errors] == [(count + 1, "总投资（万元）")]
    assert not Project.objects.filter(zone=zone).exists()
    assert not Enterprise.objects.filter(zone=zone).exists()
    assert not StageChange.objects.filter(project__zone=zone).exists()
    assert not Person.objects.filter(zone=zone).exists()


def test_a_dry_run_leaves_few_ids_unused(zone, simple_ledger, make_project):
    # A check takes no ids at all (nothing is written): the next project's id follows on.
    before = make_project(name="导入前的项目").pk
    result = import_ledger(simple_ledger(["试算项目", "", "", "", 100, "专班甲", "2024-03-01", "", "已签约"]), zone=zone, dry_run=True)
    assert result.ok and result.projects_created == 1
    assert not Project.objects.filter(zone=zone, name="试算项目").exists()
    after = make_project(name="导入后的项目").pk
    assert after == before + 1
