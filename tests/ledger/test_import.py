import datetime as dt
from decimal import Decimal

import pytest

from zhaoshang.core.models import OrgUnit, Park, Person
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.ledger.actions import import_ledger
from zhaoshang.projects.models import FundArrival, Project, StageChange
from zhaoshang.projects.stages import Stage

from .conftest import HEADER, VALID_USCC, day

SAMPLE_NAMES = {
    "年产2GWh钠离子电芯项目", "智能终端注塑配套项目", "算力调度云平台项目", "高端泵阀铸件项目", "废旧锂电池回收利用项目", "钼靶材深加工项目",
}


def nothing_written(zone):
    return (Project.objects.filter(zone=zone).count(), Enterprise.objects.filter(zone=zone).count(),
            FundArrival.objects.filter(project__zone=zone).count(), Park.objects.filter(zone=zone).count(),
            Person.objects.filter(zone=zone).count()) == (0, 0, 0, 0, 0)


def only_error(result):
    assert len(result.errors) == 1, [str(issue) for issue in result.errors]
    return result.errors[0]


# --- the two shared samples ------------------------------------------------------------


def test_the_yiyuan_xlsx_sample_imports_six_projects_and_three_arrivals(zone, sample):
    result = import_ledger(sample("ledger_sample_yiyuan.xlsx"), zone=zone, today=day("2025-01-10"))
    assert result.ok, [str(issue) for issue in result.errors]
    assert (result.projects_created, result.fund_arrivals_created, result.enterprises_created) == (6, 3, 6)
    assert set(Project.objects.filter(zone=zone).values_list("name", flat=True)) == SAMPLE_NAMES
    battery = Project.objects.get(zone=zone, name="年产2GWh钠离子电芯项目")
    # 12.5 in a 亿元 column; 2024年3月 is the first of the month; 在建 with a start date.
    assert battery.total_investment == Decimal("125000.00")
    assert (battery.signed_on, battery.started_on, battery.stage) == (day("2024-03-01"), day("2024-06-18"), Stage.STARTED)
    assert battery.chain.name == "新能源电池及材料" and battery.cluster.name == "新能源新材料"
    assert sorted(battery.leaders.values_list("name", flat=True)) == ["李娜", "王强"]
    assert battery.park.name == "中电数字经济产业园二期" and battery.responsible_unit.name == "新能源新材料专班"
    assert (battery.source_province, battery.source_city, battery.source_region) == ("江苏省", "常州市", "yrd")
    assert battery.notes == "需协调110kV接入"
    # full-width digits in the date, 1.2亿 and "3,500" in the fund sheet named Sheet2
    assert Project.objects.get(zone=zone, name="高端泵阀铸件项目").signed_on == day("2024-09-05")
    amounts = sorted(FundArrival.objects.filter(project__zone=zone).values_list("amount", flat=True))
    assert amounts == [Decimal("3500.00"), Decimal("8000.00"), Decimal("12000.00")]
    assert Project.objects.get(zone=zone, name="废旧锂电池回收利用项目").stage == Stage.NEGOTIATING
    assert Project.objects.get(zone=zone, name="算力调度云平台项目").is_fixed_asset is False
    # the 合计 row is no project; new units and parks are listed
    assert not Project.objects.filter(zone=zone, name__contains="合计").exists()
    assert set(result.new_units) >= {"新能源新材料专班", "数科公司"} and "循环经济园" in result.new_parks
    assert OrgUnit.objects.get(zone=zone, name="数科公司").kind == OrgUnit.Kind.SOE


def test_the_gbk_csv_sample_imports_with_codes(zone, sample):
    result = import_ledger(sample("ledger_sample_gbk.csv"), zone=zone)
    assert result.ok, [str(issue) for issue in result.errors]
    assert result.projects_created == 6
    project = Project.objects.get(zone=zone, code="YQ-2024-001")
    assert project.name == "年产2GWh钠离子电芯项目" and project.total_investment == Decimal("125000.00")
    assert Project.objects.get(zone=zone, code="YQ-2024-006").started_on == day("2024-02-01")


def test_xlsx_then_csv_fills_codes_and_keeps_parks_and_leaders(zone, sample):
    assert import_ledger(sample("ledger_sample_yiyuan.xlsx"), zone=zone).ok
    second = import_ledger(sample("ledger_sample_gbk.csv"), zone=zone)
    assert second.ok, [str(issue) for issue in second.errors]
    assert (second.projects_created, second.projects_updated, second.enterprises_created, second.units_created) == (0, 6, 0, 0)
    assert Project.objects.filter(zone=zone).count() == 6
    battery = Project.objects.get(zone=zone, code="YQ-2024-001")
    assert battery.park.name == "中电数字经济产业园二期"  # the CSV has no park column: left as it was
    assert sorted(battery.leaders.values_list("name", flat=True)) == ["李娜", "王强"]
    assert Enterprise.objects.filter(zone=zone).count() == 6
    third = import_ledger(sample("ledger_sample_yiyuan.xlsx"), zone=zone)
    assert (third.projects_created, third.projects_updated, third.projects_unchanged, third.fund_arrivals_created) == (0, 0, 6, 0)
    assert Project.objects.get(zone=zone, name="年产2GWh钠离子电芯项目").code == "YQ-2024-001"


def test_csv_then_xlsx_fills_parks_and_leaders_and_keeps_codes(zone, sample):
    assert import_ledger(sample("ledger_sample_gbk.csv"), zone=zone).ok
    second = import_ledger(sample("ledger_sample_yiyuan.xlsx"), zone=zone)
    assert second.ok, [str(issue) for issue in second.errors]
    assert (second.projects_created, second.fund_arrivals_created) == (0, 3)
    assert Project.objects.filter(zone=zone).count() == 6
    pumps = Project.objects.get(zone=zone, code="YQ-2024-004")
    assert pumps.park.name == "装备制造园" and list(pumps.leaders.values_list("name", flat=True)) == ["刘伟"]


def test_importing_the_same_ledger_again_changes_nothing(zone, sample):
    path = sample("ledger_sample_yiyuan.xlsx")
    import_ledger(path, zone=zone)
    versions = dict(Project.objects.filter(zone=zone).values_list("pk", "version"))
    history = StageChange.objects.filter(project__zone=zone).count()
    again = import_ledger(path, zone=zone)
    assert again.ok
    assert (again.projects_created, again.projects_updated, again.projects_unchanged) == (0, 0, 6)
    assert (again.fund_arrivals_created, again.units_created, again.enterprises_created, again.parks_created) == (0, 0, 0, 0)
    assert dict(Project.objects.filter(zone=zone).values_list("pk", "version")) == versions
    assert StageChange.objects.filter(project__zone=zone).count() == history
    assert FundArrival.objects.filter(project__zone=zone).count() == 3


# --- messy forms ---------------------------------------------------------------------


def test_a_messy_ledger_reads_like_an_office_means_it(zone, workbook):
    path = workbook({"2024年台账": [
        ["2024年度招商引资项目台账"],
        ["填报单位：投资促进局", None, None, None, "单位：亿元"],
        ["序号", "项目名称", "投资方", "所属行业", "协议投资额", "责任单位", "时间节点", None, "项目进展"],
        [None, None, None, None, None, None, "签约时间", "开工时间", None],
        ["一、数字经济（2个）", None, None, None, 4.5],
        [1, "  智算中心项目 ", "云峰数据服务有限公司", "算力", "3.5亿", "数字经济专班", dt.datetime(2024, 3, 5), None, "已签约"],
        ["２", "智能终端配套项目", "港速精密制造有限公司", "数字经济", 1, "数字经济专班", "2024.4.1", 45413, "在建"],
        [None, "小计", None, None, 4.5],
        [],
        ["二、装备制造（1个）", None, None, None, 0.08],
        [3, "泵阀铸件项目", "晋阳泵阀股份有限公司", "泵阀", "800万", "开创集团", "2024年5月", "", "洽谈中"],
        [4, "文旅综合体项目", "某文旅公司", "文旅康养", "1,200万元", "开创集团", "２０２４年６月１日", None, "签约待开工"],
        ["合计", None, None, None, 4.7],
        ["总计", None, None, None, 4.7],
    ]}, merged={"2024年台账": ["A1:I1", "G3:H3", "A3:A4", "B3:B4"]})
    result = import_ledger(path, zone=zone)
    assert result.ok, [str(issue) for issue in result.errors]
    assert result.projects_created == 4
    by_name = {project.name: project for project in Project.objects.filter(zone=zone)}
    assert set(by_name) == {"智算中心项目", "智能终端配套项目", "泵阀铸件项目", "文旅综合体项目"}
    assert by_name["智算中心项目"].total_investment == Decimal("35000.00")
    assert by_name["智算中心项目"].signed_on == day("2024-03-05") and by_name["智算中心项目"].stage == Stage.SIGNED
    assert by_name["智算中心项目"].chain.name == "智算及人工智能"
    terminal = by_name["智能终端配套项目"]
    assert terminal.total_investment == Decimal("10000.00")  # 1 in a 亿元 ledger
    assert (terminal.signed_on, terminal.started_on, terminal.stage) == (day("2024-04-01"), day("2024-05-01"), Stage.STARTED)
    assert terminal.cluster.name == "数字经济" and terminal.chain is None  # a cluster name
    pumps = by_name["泵阀铸件项目"]
    # 洽谈中 but a signing date: the dates win, with a warning naming the row and column
    assert pumps.stage == Stage.SIGNED and pumps.signed_on == day("2024-05-01") and pumps.total_investment == Decimal("800.00")
    warning = next(issue for issue in result.warnings if issue.row == 11)
    assert warning.sheet == "2024年台账" and warning.column == "项目进展" and "以日期为准" in warning.message
    tourism = by_name["文旅综合体项目"]
    assert tourism.industry_label == "文旅康养" and tourism.chain is None and tourism.total_investment == Decimal("1200.00")
    assert any("文旅康养" in issue.message and issue.column == "所属行业" for issue in result.warnings)


def test_a_stage_word_ahead_of_the_dates_gives_way_to_the_dates(zone, simple_ledger):
    path = simple_ledger(["甲项目", "", "", "", 100, "", "", "", "已开工"], ["乙项目", "", "", "", 100, "", "2024-01-05", "", "已投产"])
    result = import_ledger(path, zone=zone)
    assert result.ok
    assert Project.objects.get(name="甲项目").stage == Stage.NEGOTIATING
    assert Project.objects.get(name="乙项目").stage == Stage.SIGNED
    assert {(issue.row, issue.column) for issue in result.warnings} == {(2, "项目进展"), (3, "项目进展")}


def test_a_csv_in_utf8_with_bom_and_a_semicolon_free_layout(zone, tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_text("项目名称,总投资（亿元）,签约日期\n光伏组件项目,2.5,2024/3/5\n", encoding="utf-8-sig")
    result = import_ledger(path, zone=zone)
    assert result.ok and Project.objects.get(zone=zone).total_investment == Decimal("25000.00")


def test_a_gbk_csv_written_by_excel(zone, tmp_path):
    path = tmp_path / "台账.csv"
    path.write_bytes("项目编号,项目名称,投资主体,总投资(万元),签约时间,当前阶段\r\nA-1,氢能装备项目,氢源科技有限公司,\"12,000\",2024年3月5日,已签约\r\n".encode("gbk"))
    result = import_ledger(path, zone=zone)
    assert result.ok, [str(issue) for issue in result.errors]
    project = Project.objects.get(zone=zone, code="A-1")
    assert (project.name, project.investor.name, project.total_investment) == ("氢能装备项目", "氢源科技有限公司", Decimal("12000.00"))


def test_investors_are_found_by_credit_code_else_by_name(zone, simple_ledger):
    existing = Enterprise.objects.create(zone=zone, name="华钠能源科技有限公司（旧名）", uscc=VALID_USCC[0])
    by_name = Enterprise.objects.create(zone=zone, name="港速精密制造有限公司")
    path = simple_ledger(
        ["甲项目", "华钠能源科技有限公司", VALID_USCC[0], "", 10, "", "", "", ""],
        ["乙项目", "港速精密制造有限公司", VALID_USCC[1], "", 10, "", "", "", ""],
        ["丙项目", "新企业有限公司", "", "", 10, "", "", "", ""],
    )
    result = import_ledger(path, zone=zone)
    assert result.ok and result.enterprises_created == 1
    assert Project.objects.get(name="甲项目").investor == existing
    assert Project.objects.get(name="乙项目").investor == by_name
    by_name.refresh_from_db()
    assert by_name.uscc == VALID_USCC[1]  # a name match gains the code


def test_existing_projects_move_on_through_the_stage_rules(zone, make_project, simple_ledger):
    project = make_project(name="甲项目", signed_on="2024-01-10")
    path = simple_ledger(["甲项目", "", "", "", "", "", "2024-01-10", "2024-05-06", "在建"])
    result = import_ledger(path, zone=zone)
    assert result.ok and result.projects_updated == 1
    project.refresh_from_db()
    assert (project.stage, project.started_on) == (Stage.STARTED, day("2024-05-06"))
    assert project.stage_changes.filter(from_stage=Stage.SIGNED, to_stage=Stage.STARTED, date=day("2024-05-06")).exists()


def test_fund_sheet_is_told_by_its_headers(zone, workbook):
    path = workbook({
        "明细": [["到位日期", "项目编号", "到位资金（亿元）"], ["2024-05-01", "P-1", 0.5], ["2024-06-01", "P-1", "300万"]],
        "表1": [["项目编号", "项目名称", "签约日期", "总投资"], ["P-1", "储能项目", "2024-04-01", 50000]],
    })
    result = import_ledger(path, zone=zone)
    assert result.ok, [str(issue) for issue in result.errors]
    assert sorted(FundArrival.objects.values_list("amount", flat=True)) == [Decimal("300.00"), Decimal("5000.00")]


def test_dry_run_reports_and_writes_nothing(zone, sample):
    result = import_ledger(sample("ledger_sample_yiyuan.xlsx"), zone=zone, dry_run=True)
    assert result.ok and result.projects_created == 6 and result.fund_arrivals_created == 3
    assert [row["name"] for row in result.created][:1] == ["年产2GWh钠离子电芯项目"]
    assert nothing_written(zone)


# --- bad input: the error names sheet, row, column and reason; nothing is written ------


@pytest.mark.parametrize("row, column, message", [
    (["甲项目", "某公司", "91140300000007919X", "", 10, "", "", "", ""], "统一社会信用代码", "校验位错误：末位应为“W”，实际为“X”"),
    (["甲项目", "某公司", "", "", -10, "", "", "", ""], "总投资（万元）", "金额不能为负数"),
    (["甲项目", "某公司", "", "", "约一个亿", "", "", "", ""], "总投资（万元）", "金额“约一个亿”无法识别"),
    (["甲项目", "某公司", "", "", 10, "", "2024-05-01", "2024-03-01", ""], "开工时间", "开工日期（2024-03-01）不能早于签约日期（2024-05-01）"),
    (["甲项目", "某公司", "", "", 10, "", "2024年13月", "", ""], "签约时间", "日期“2024年13月”不存在"),
    (["甲项目", "某公司", "", "", 10, "", "下个月", "", ""], "签约时间", "日期“下个月”无法识别"),
    (["", "某公司", "", "", 10, "", "", "", ""], "项目名称", "缺少项目名称"),
    (["甲项目", "某公司", "", "", 10, "", "", "", "进行中"], "项目进展", "无法识别的项目进展“进行中”"),
])
def test_each_bad_cell_is_an_error_with_its_place_and_nothing_is_written(zone, simple_ledger, row, column, message):
    good = ["好项目", "好公司", VALID_USCC[2], "泵阀", 10, "新的专班", "2024-01-01", "", ""]
    path = simple_ledger(good, row)
    result = import_ledger(path, zone=zone)
    error = only_error(result)
    assert (error.sheet, error.row, error.column) == ("项目", 3, column)
    assert message in error.message
    assert nothing_written(zone) and not OrgUnit.objects.filter(zone=zone, name="新的专班").exists()


def test_a_duplicate_row_is_an_error(zone, simple_ledger):
    path = simple_ledger(["甲项目", "", "", "", 10, "", "", "", ""], ["甲项目", "", "", "", 20, "", "", "", ""])
    error = only_error(import_ledger(path, zone=zone))
    assert (error.row, error.column) == (3, "项目名称") and "与第2行重复" in error.message
    assert nothing_written(zone)


def test_an_arrival_for_an_unknown_project_is_an_error(zone, workbook):
    path = workbook({"项目": [HEADER, ["甲项目", "", "", "", 10, "", "2024-01-01", "", ""]],
                     "资金": [["项目名称", "到位时间", "到位金额"], ["乙项目", "2024-02-01", 100], ["甲项目", "2024-02-01", 0]]})
    result = import_ledger(path, zone=zone)
    assert [(issue.sheet, issue.row, issue.column) for issue in result.errors] == [("资金", 2, "项目名称"), ("资金", 3, "到位金额")]
    assert "未找到项目“乙项目”" in result.errors[0].message and "到位金额应大于零" in result.errors[1].message
    assert nothing_written(zone)


def test_an_update_breaking_the_stage_rules_rolls_back_everything(zone, make_project, simple_ledger):
    make_project(name="甲项目", signed_on="2024-06-01")
    path = simple_ledger(["新项目", "", "", "", 10, "", "2024-01-01", "", ""], ["甲项目", "", "", "", 10, "", "", "2024-03-01", ""])
    result = import_ledger(path, zone=zone)
    error = only_error(result)
    assert (error.row, "不能早于") == (3, "不能早于") and "不能早于" in error.message
    assert not Project.objects.filter(name="新项目").exists()
    assert Project.objects.get(name="甲项目").started_on is None


def test_a_file_without_a_header_says_what_it_needs(zone, workbook):
    error = only_error(import_ledger(workbook({"Sheet1": [["随便写点"], ["1", "2"]]}), zone=zone))
    assert "没有找到台账表头" in error.message


@pytest.mark.parametrize("content, message", [
    (b"%PDF-1.4 something", "PDF"),
    (b"\x00\x01\x02garbage" * 10, "不是 Excel"),
    ("<html><table><tr><td>项目名称</td></tr></table></html>".encode(), "网页"),
    (b"PK\x03\x04 broken zip", "已损坏"),
    (b"", "文件是空的"),
])
def test_a_file_that_is_no_spreadsheet_gets_a_clear_message(zone, tmp_path, content, message):
    path = tmp_path / "ledger.xls"
    path.write_bytes(content)
    error = only_error(import_ledger(path, zone=zone))
    assert message in error.message and error.row is None
    assert nothing_written(zone)


def test_size_row_and_unpacked_size_limits(zone, sample, settings, simple_ledger, tmp_path):
    path = sample("ledger_sample_yiyuan.xlsx")
    settings.ZHAOSHANG_LEDGER_MAX_BYTES = 1000
    assert "文件过大" in only_error(import_ledger(path, zone=zone)).message
    settings.ZHAOSHANG_LEDGER_MAX_BYTES = 20 * 1024 * 1024
    settings.ZHAOSHANG_LEDGER_MAX_UNCOMPRESSED_BYTES = 10_000
    assert "解压后过大" in only_error(import_ledger(path, zone=zone)).message
    settings.ZHAOSHANG_LEDGER_MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
    settings.ZHAOSHANG_LEDGER_MAX_ROWS = 5
    many = simple_ledger(*[[f"项目{i}", "", "", "", 1, "", "", "", ""] for i in range(200)])
    assert "超过上限" in only_error(import_ledger(many, zone=zone)).message
    assert nothing_written(zone)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(zone, tmp_path, settings):
    import zipfile

    settings.ZHAOSHANG_LEDGER_MAX_UNCOMPRESSED_BYTES = 5 * 1024 * 1024
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (20 * 1024 * 1024))
    assert path.stat().st_size < 100_000
    assert "可能是恶意文件" in only_error(import_ledger(path, zone=zone)).message
