"""Targets: set on a page or imported from the bureau's Excel table (all or nothing),
and completion (实际 ÷ 目标) for other pages."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from zhaoshang.assessment import actions, selectors, target_sheet
from zhaoshang.assessment.models import Target

D = dt.date.fromisoformat


def workbook(rows, title="目标任务") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_long_table_with_title_rows_quarters_and_the_zone(zone, unit, other_unit):
    content = workbook([
        ["测试高新区2025年招商引资目标任务分解表"],
        ["填报单位：投资促进局", None, None, "单位：万元"],
        ["单位", "指标", "年度目标", "一季度", "二季度", "三季度", "四季度"],
        [unit.name, "签约项目数", 8, 1, 2, 2, 3],
        [unit.name, "签约总投资（亿元）", "12", None, None, None, None],
        [unit.name, "开工率", "80%", None, None, None, None],
        [None, None, None, None, None, None, None],
        [" 数字经济专班 ", "签约投资", "3.5亿", None, None, None, None],
        ["全区", "签约项目数", "３０", None, None, None, None],
    ])
    assert actions.import_targets(zone=zone, content=content, year=2025) == 5
    targets = {(t.unit_id, t.indicator): t for t in Target.objects.filter(zone=zone, year=2025)}
    count = targets[(unit.pk, "signed_count")]
    assert (count.annual, count.quarters) == (Decimal("8"), [Decimal("1"), Decimal("2"), Decimal("2"), Decimal("3")])
    assert targets[(unit.pk, "signed_investment")].annual == Decimal("120000")
    assert targets[(unit.pk, "start_rate")].annual == Decimal("0.8")
    assert targets[(other_unit.pk, "signed_investment")].annual == Decimal("35000")
    assert targets[(None, "signed_count")].annual == Decimal("30")
    # importing again replaces, it does not duplicate
    actions.import_targets(zone=zone, content=content, year=2025)
    assert Target.objects.filter(zone=zone, year=2025).count() == 5


def test_wide_table_one_column_per_indicator(zone, unit, other_unit):
    content = workbook([
        ["单位", "年度", "签约项目数（个）", "签约总投资（亿元）", "开工率（%）"],
        [unit.name, "2025年", 6, 10, 75],
        [other_unit.name, 2025, 4, 5.5, None],
    ])
    assert actions.import_targets(zone=zone, content=content) == 5
    assert Target.objects.get(unit=other_unit, indicator="signed_investment").annual == Decimal("55000")
    assert Target.objects.get(unit=unit, indicator="start_rate").annual == Decimal("0.75")


def test_bad_cells_are_named_and_nothing_is_written(zone, unit):
    content = workbook([
        ["单位", "指标", "年度目标", "一季度"],
        [unit.name, "签约项目数", 8, None],
        ["不存在专班", "签约项目数", 3, None],
        [unit.name, "签约总投资", "abc", None],
        [unit.name, "开工率", "120%", None],
        [unit.name, "开工项目数", 2.5, None],
        [unit.name, "招商热情", 1, None],
        [unit.name, "签约项目数", 9, "x"],
    ], title="Sheet1")
    with pytest.raises(actions.ImportFailed) as failure:
        actions.import_targets(zone=zone, content=content, year=2025)
    errors = failure.value.errors
    assert "工作表“Sheet1”第3行“年度目标”列：本园区没有名为“不存在专班”的单位" in errors
    assert "工作表“Sheet1”第4行“年度目标”列：“abc”不是有效的数值" in errors
    assert "工作表“Sheet1”第5行“年度目标”列：比率“120%”超过100%" in errors
    assert "工作表“Sheet1”第6行“年度目标”列：个数“2.5”应为整数" in errors
    assert "工作表“Sheet1”第7行“指标”列：无法识别的指标“招商热情”" in errors
    assert "工作表“Sheet1”第8行“一季度”列：“x”不是有效的数值" in errors
    assert not Target.objects.exists()


def test_not_a_workbook_and_a_missing_header(zone):
    with pytest.raises(actions.ImportFailed, match="xlsx"):
        actions.import_targets(zone=zone, content=b"PK not really", year=2025)
    with pytest.raises(actions.ImportFailed, match="找不到“单位”表头"):
        actions.import_targets(zone=zone, content=workbook([["名称", "数值"], ["a", 1]]), year=2025)


def test_set_target_checks_its_input(zone, unit, other_zone):
    with pytest.raises(ValidationError, match="比率目标不能超过100%"):
        actions.set_target(zone=zone, unit=unit, year=2025, indicator="start_rate", annual="1.5")
    with pytest.raises(ValidationError, match="未知的指标"):
        actions.set_target(zone=zone, unit=unit, year=2025, indicator="happiness", annual="1")
    from zhaoshang.core.actions import create_unit

    foreign = create_unit(zone=other_zone, name="外区专班", kind="task_force")
    with pytest.raises(ValidationError, match="不属于本园区"):
        actions.set_target(zone=zone, unit=foreign, year=2025, indicator="signed_count", annual="1")


def test_template_reads_back(zone, unit):
    actions.set_target(zone=zone, unit=unit, year=2025, indicator="start_rate", annual=Decimal("0.8"))
    content = target_sheet.template(zone, 2025, [None, unit], ["signed_count", "start_rate"])
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[1][:4] == ("单位", "年度", "指标", "年度目标")
    assert (unit.name, 2025, "开工率", "80%") == rows[5][:4]
    parsed, errors = target_sheet.read(content)
    assert errors == [] and [(r.unit_name, r.indicator, r.annual) for r in parsed] == [(unit.name, "start_rate", Decimal("0.8000"))]


def test_completion_for_a_unit_and_the_zone(zone, unit, other_unit, make_project):
    make_project(amount="30000", responsible_unit=unit, signed_on="2024-02-01", started_on="2024-03-01")
    make_project(amount="20000", responsible_unit=unit, signed_on="2024-05-01")
    make_project(amount="10000", responsible_unit=other_unit, signed_on="2024-06-01")
    actions.set_target(zone=zone, unit=unit, year=2024, indicator="signed_count", annual=4)
    actions.set_target(zone=zone, unit=unit, year=2024, indicator="start_rate", annual=Decimal("0.8"))
    actions.set_target(zone=zone, unit=other_unit, year=2024, indicator="signed_count", annual=1)
    actions.set_target(zone=zone, unit=None, year=2024, indicator="signed_investment", annual=100000)

    mine = selectors.completion(zone, 2024, unit)
    assert mine["signed_count"] == {"target": Decimal("4.0000"), "actual": 2, "completion": Decimal("0.5000")}
    assert mine["start_rate"]["actual"] == Decimal("0.5000") and mine["start_rate"]["completion"] == Decimal("0.6250")
    assert set(mine) == {"signed_count", "start_rate"}

    whole = selectors.completion(zone, 2024)
    # the zone's own target for investment; the units' targets summed for the count
    assert whole["signed_investment"]["completion"] == Decimal("0.6000")
    assert whole["signed_count"] == {"target": Decimal("5.0000"), "actual": 3, "completion": Decimal("0.6000")}
    # as of a date inside the year: only what had happened by then
    early = selectors.completion(zone, 2024, unit, as_of=D("2024-03-31"))
    assert early["signed_count"]["actual"] == 1
    assert selectors.completion(zone, 2023) == {}
    # many units at once: the same figures as one by one
    grouped = selectors.completion_by_unit(zone, 2024, [unit, other_unit])
    assert grouped == {unit.pk: mine, other_unit.pk: selectors.completion(zone, 2024, other_unit)}
    assert grouped[other_unit.pk]["signed_count"]["actual"] == 1


def test_the_targets_page_costs_the_same_queries_however_many_units(client, zone, unit, department, bureau_user,
                                                                    make_project):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhaoshang.core.actions import create_unit
    from zhaoshang.core.models import OrgUnit

    year = 2024
    make_project(amount="30000", responsible_unit=unit, signed_on="2024-02-01")
    actions.set_target(zone=zone, unit=unit, year=year, indicator="signed_count", annual=4)
    actions.set_target(zone=zone, unit=department, year=year, indicator="received", annual=10)
    client.force_login(bureau_user)
    client.get(f"/assessment/targets/?year={year}")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/assessment/targets/?year={year}")
    for number in range(5):
        more = create_unit(zone=zone, name=f"新增专班{number}", kind=OrgUnit.Kind.TASK_FORCE)
        make_project(amount="1000", responsible_unit=more, signed_on="2024-03-01")
        actions.set_target(zone=zone, unit=more, year=year, indicator="signed_count", annual=2)
    with CaptureQueriesContext(connection) as many:
        page = client.get(f"/assessment/targets/?year={year}").content.decode()
    assert "新增专班4" in page and "50.00%" in page  # 1 signed of 2
    assert len(many) == len(few)
