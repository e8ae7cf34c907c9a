import datetime as dt
from decimal import Decimal

import pytest

from zhaoshang.ledger import cells, columns
from zhaoshang.projects.stages import Stage

D = dt.date


@pytest.mark.parametrize("value, unit, expected", [
    (12.5, "亿元", Decimal("125000.00")),
    (0.8, "亿元", Decimal("8000.00")),
    ("125,000", "万元", Decimal("125000.00")),
    ("1，200 ", "万元", Decimal("1200.00")),
    ("3.5亿", "万元", Decimal("35000.00")),
    ("2.5亿元", "万元", Decimal("25000.00")),
    ("800万", "亿元", Decimal("800.00")),
    ("800万元", "亿元", Decimal("800.00")),
    ("12,000,000元", "万元", Decimal("1200.00")),
    (1500000, "元", Decimal("150.00")),
    ("１２００", "万元", Decimal("1200.00")),
    ("1.2亿", "万元", Decimal("12000.00")),
    ("", "万元", None),
    ("—", "万元", None),
])
def test_amounts_take_the_cell_unit_before_the_header_unit(value, unit, expected):
    assert cells.amount(value, unit) == expected


@pytest.mark.parametrize("value, message", [
    ("-300", "金额不能为负数"),
    (-5.0, "金额不能为负数"),
    ("待定", "金额“待定”无法识别"),
    ("9" * 30, "过大"),  # more digits than a Decimal context holds
    (1e30, "过大"),
    ("3000000000000亿", "过大"),
])
def test_bad_amounts_are_refused_with_the_reason(value, message):
    with pytest.raises(cells.CellError, match=message):
        cells.amount(value)


@pytest.mark.parametrize("value, expected", [
    (dt.datetime(2024, 3, 5), D(2024, 3, 5)),
    (D(2024, 3, 5), D(2024, 3, 5)),
    (45356.0, D(2024, 3, 5)),  # an Excel serial shown as a number
    ("45356", D(2024, 3, 5)),
    ("2024.3.5", D(2024, 3, 5)),
    ("2024/3/5", D(2024, 3, 5)),
    ("2024-03-05", D(2024, 3, 5)),
    ("2024-03-05 00:00:00", D(2024, 3, 5)),
    ("2024年3月5日", D(2024, 3, 5)),
    ("2024年3月5号", D(2024, 3, 5)),
    ("２０２４年９月５日", D(2024, 9, 5)),
    ("2024年3月", D(2024, 3, 1)),
    ("2024.3", D(2024, 3, 1)),
    ("2024-03 ", D(2024, 3, 1)),
    ("20240305", D(2024, 3, 5)),
    (" 2024.6.18  ", D(2024, 6, 18)),
    ("", None),
    ("/", None),
])
def test_every_date_form_of_the_ledgers(value, expected):
    assert cells.date(value) == expected


@pytest.mark.parametrize("value, message", [("2024-02-30", "不存在"), ("明年三月", "无法识别"), ("2024年13月", "不存在"), (3.5, "无法识别")])
def test_unreadable_dates_say_so(value, message):
    with pytest.raises(cells.CellError, match=message):
        cells.date(value)


@pytest.mark.parametrize("word, stage", [
    ("在谈", Stage.NEGOTIATING), ("洽谈中", Stage.NEGOTIATING), ("已签约", Stage.SIGNED), ("签约待开工", Stage.SIGNED),
    ("已开工", Stage.STARTED), ("在建", Stage.STARTED), ("开工建设", Stage.STARTED), ("已投产", Stage.PRODUCING),
    ("终止", Stage.DROPPED), ("线索", Stage.LEAD), (" 在建 ", Stage.STARTED), ("已签约，待开工", Stage.SIGNED),
    ("主体已开工建设", Stage.STARTED),
])
def test_stage_words(word, stage):
    assert cells.stage(word) == stage


def test_an_unknown_stage_word_is_an_error():
    with pytest.raises(cells.CellError, match="无法识别的项目进展“进行中”"):
        cells.stage("进行中")


def test_yes_no_and_names():
    assert cells.yes_no("是") is True and cells.yes_no("否") is False and cells.yes_no("√") is True and cells.yes_no("") is None
    with pytest.raises(cells.CellError, match="应填写“是”或“否”"):
        cells.yes_no("也许")
    assert cells.names("王强、李娜") == ["王强", "李娜"]
    assert cells.names("王强，李娜;周敏") == ["王强", "李娜", "周敏"]
    assert cells.names("王  强") == ["王强"]  # padded to line up: one person
    assert cells.names("王强 李娜") == ["王强", "李娜"]


@pytest.mark.parametrize("header, name, unit", [
    ("计划总投资（亿元）", "计划总投资", "亿元"),
    ("总投资(万元)", "总投资", "万元"),
    ("协议投资额 （元）", "协议投资额", "元"),
    ("总投资万元", "总投资", "万元"),
    ("* 项目 名称", "项目名称", None),
    ("到位金额\n(万元)", "到位金额", "万元"),
    ("签约时间（年月日）", "签约时间", None),
    ("ｘ项目编号", "x项目编号", None),
])
def test_headers_are_normalised_and_carry_their_unit(header, name, unit):
    assert columns.normalise(header) == (name, unit)


def test_header_synonyms_map_to_fields():
    lookup = columns.PROJECT_LOOKUP
    assert columns.match("投资方", lookup) == "investor"
    assert columns.match("社会信用代码", lookup) == "uscc"
    assert columns.match("计划总投资（亿元）", lookup) == "total_investment"
    assert columns.match("责任专班", lookup) == "responsible_unit"
    assert columns.match("入驻园区", lookup) == "park"
    assert columns.match("项目状态", lookup) == "stage"
    assert columns.match("存在问题", lookup) == "notes"
    assert columns.match("序号", lookup) is None
