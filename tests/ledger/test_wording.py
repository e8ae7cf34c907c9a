"""Ledgers as published lists write them: amounts and dates with words around them,
qualifiers, Chinese numerals, periods and year-less months — each with the exact value it
gives, and each cell that cannot be read named."""

import datetime as dt
from decimal import Decimal

import pytest

from zhaoshang.ledger import cells
from zhaoshang.ledger.actions import import_ledger
from zhaoshang.ledger.models import LedgerSettings
from zhaoshang.projects.models import Project

from .conftest import day

HEADER = ["项目名称", "总投资", "签约时间", "开工时间", "项目进展"]


@pytest.mark.parametrize("written, wan", [
    ("计划投资2.3亿元", "23000.00"),
    ("协议投资3亿元", "30000.00"),
    ("合同投资2亿元", "20000.00"),
    ("总投资：5000万元", "5000.00"),
    ("注册资本1000万元", "1000.00"),
    ("投资1亿5千万元", "15000.00"),
    ("三千万元", "3000.00"),
    ("一点五亿", "15000.00"),
    ("2亿5千万", "25000.00"),
    ("壹亿贰仟万", "12000.00"),
    ("5千万元", "5000.00"),
    ("1,200,000元", "120.00"),
])
def test_amounts_with_words_and_chinese_numerals(written, wan):
    found = cells.amount(written)
    assert found == Decimal(wan) and found.__class__ is Decimal


@pytest.mark.parametrize("written, wan", [
    ("约3亿元", "30000.00"), ("3000余万元", "3000.00"), ("超5亿", "50000.00"), ("逾2亿元", "20000.00"),
    ("3亿多元", "30000.00"), ("3亿元左右", "30000.00"),
])
def test_a_qualified_amount_keeps_its_number_as_a_rough_one(written, wan):
    found = cells.amount(written)
    assert found == Decimal(wan) and found.__class__ is cells.RoughAmount


@pytest.mark.parametrize("written", ["3-5亿", "3至5亿元", "3亿、5亿", "3亿，5亿"])
def test_a_range_or_two_numbers_is_an_error(written):
    with pytest.raises(cells.CellError, match="写了一个范围或两个数"):
        cells.amount(written)


def test_an_amount_in_dollars_needs_the_zones_rate():
    with pytest.raises(cells.CellError, match="未设置美元汇率"):
        cells.amount("5000万美元")
    assert cells.amount("5000万美元", usd_rate=Decimal("7.1")) == Decimal("35500.00")


@pytest.mark.parametrize("written, date", [
    ("2024年2月动工", "2024-02-01"), ("签约于2024.3", "2024-03-01"), ("2024年3月5日开工", "2024-03-05"),
])
def test_dates_with_words_around_them(written, date):
    assert cells.date(written) == day(date)


@pytest.mark.parametrize("written, date", [
    ("2024年底", "2024-12-31"), ("2024年末", "2024-12-31"), ("2024年中", "2024-06-30"), ("2024年上半年", "2024-06-30"),
    ("2024年一季度", "2024-03-31"), ("2024年第三季度", "2024-09-30"), ("2024年下半年", "2024-12-31"),
])
def test_a_period_is_its_last_day_with_a_note(written, date):
    found = cells.date(written)
    assert found == day(date) and found.__class__ is cells.RoughDate
    assert found.note == f"“{written}”按{date}计"


def test_two_dates_in_one_cell_are_an_error():
    with pytest.raises(cells.CellError, match="写了两个日期"):
        cells.date("2024.3-2024.5")


def test_a_published_list_imports_with_its_wording(zone, simple_ledger):
    path = simple_ledger(
        ["甲项目", "计划投资2.3亿元", "2024年3月", "同年11月", "在建"],
        ["乙项目", "约3亿元", "签约于2024.3", "次年2月", "在建"],
        ["丙项目", "投资1亿5千万元", "2024年底", "", "已签约"],
        ["丁项目", "壹亿贰仟万", "2024-05-06", "", "已签约"],
        header=HEADER,
    )
    result = import_ledger(path, zone=zone, today=day("2025-06-01"))
    assert result.ok, [str(issue) for issue in result.errors]
    projects = {project.name: project for project in Project.objects.filter(zone=zone)}
    assert {name: project.total_investment for name, project in projects.items()} == {
        "甲项目": Decimal("23000.00"), "乙项目": Decimal("30000.00"), "丙项目": Decimal("15000.00"), "丁项目": Decimal("12000.00")}
    assert (projects["甲项目"].signed_on, projects["甲项目"].started_on) == (day("2024-03-01"), day("2024-11-01"))
    assert (projects["乙项目"].signed_on, projects["乙项目"].started_on) == (day("2024-03-01"), day("2025-02-01"))
    assert projects["丙项目"].signed_on == day("2024-12-31")
    warnings = {(issue.row, issue.column): issue.message for issue in result.warnings}
    assert warnings[3, "总投资"] == "约数：按30000.00万元计"
    assert warnings[2, "开工时间"] == "“同年11月”按“签约时间”的年份计为2024-11-01"
    assert warnings[3, "开工时间"] == "“次年2月”按“签约时间”的年份计为2025-02-01"
    assert warnings[4, "签约时间"] == "“2024年底”按2024-12-31计"


def test_a_yearless_month_without_a_year_in_its_row_is_reported(zone, simple_ledger):
    result = import_ledger(simple_ledger(["甲项目", "3亿元", "同年11月", "", "已签约"], header=HEADER), zone=zone,
                           today=day("2025-06-01"))
    assert [(issue.row, issue.column, issue.message) for issue in result.errors] == [
        (2, "签约时间", "“同年11月”没有写年份，本行也没有可参照的日期：请写明年份")]
    assert not Project.objects.filter(zone=zone).exists()


def test_a_range_is_refused_naming_its_cell(zone, simple_ledger):
    result = import_ledger(simple_ledger(["甲项目", "3-5亿", "2024-03-01", "", "已签约"], header=HEADER), zone=zone,
                           today=day("2025-06-01"))
    assert [str(issue) for issue in result.errors] == ["项目 第2行「总投资」：金额“3-5亿”写了一个范围或两个数，请只填一个金额"]


def test_dollars_import_with_the_zones_rate(zone, simple_ledger):
    path = simple_ledger(["甲项目", "协议投资5000万美元", "2024-03-01", "", "已签约"], header=HEADER)
    refused = import_ledger(path, zone=zone, today=day("2025-06-01"))
    assert "未设置美元汇率" in refused.errors[0].message and refused.errors[0].column == "总投资"
    LedgerSettings.objects.create(zone=zone, usd_rate=Decimal("7.1"))
    assert import_ledger(path, zone=zone, today=day("2025-06-01")).ok
    assert Project.objects.get(zone=zone).total_investment == Decimal("35500.00")


def test_rough_values_are_plain_once_read():
    assert cells.RoughDate(2024, 12, 31) == dt.date(2024, 12, 31)
