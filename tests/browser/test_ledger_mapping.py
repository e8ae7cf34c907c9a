"""A bureau user imports a signing list typed as offices type them, in Chromium: the
preview asks about the parks and leaders the zone does not have (closest names first),
shows what each row was read as beside its raw cells, and writes what was answered; the
same file imported again asks nothing."""

import re

import pytest

from zhaoshang.core.actions import create_park, create_unit
from zhaoshang.core.models import OrgUnit, Park, Person
from zhaoshang.ledger.models import NameMapping
from zhaoshang.projects.models import Project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signing_list(path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "签约项目"
    sheet.append(["2024年第一批集中签约项目清单"])
    sheet.append(["序号", "项目名称", "投资主体", "项目类别", "总投资", "签约时间", "责任单位", "落地园区", "包联领导"])
    sheet.append([1, "高端液压件生产项目", "山西恒力液压有限公司", "工业项目", "计划投资2.3亿元", "2024年3月", "高端装备专班", "装备制造园", "赵志刚"])
    sheet.append([2, "废旧动力电池回收项目", "阳泉绿源再生科技有限公司", "工业项目", "协议投资3亿元", "2024.4.18", "高端装备专班", "循环经济园", "钱文博"])
    sheet.append([3, "精密铸件扩能项目", "阳泉精铸科技有限公司", "工业项目", "投资1亿5千万元", "签约于2024.5", "高端装备专班", "装备制造园", "赵志刚"])
    book.save(path)
    return path


def upload(page, live_server, path):
    page.goto(live_server.url + "/ledger/")
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="上传并检查").click()
    page.wait_for_url(re.compile(r"/ledger/jobs/\d+/$"), timeout=60_000)


def test_the_bureau_maps_one_park_creates_the_other_and_is_not_asked_again(browser_page, live_server, login, make_user, zone,
                                                                          tmp_path):
    page = browser_page
    equipment = create_park(zone=zone, name="高端装备制造产业园")
    create_park(zone=zone, name="循环经济产业园")
    create_unit(zone=zone, name="高端装备专班", kind=OrgUnit.Kind.TASK_FORCE)
    make_user("importer", zone, "bureau")
    path = signing_list(tmp_path / "签约项目清单.xlsx")
    login(page, live_server, "importer", next_path="/ledger/")
    upload(page, live_server, path)

    names = page.locator("#zs-ledger-names")
    assert "名称对应：4 个名称本园区没有" in names.inner_text()
    assert page.locator("#zs-ledger-confirm").count() == 0  # nothing to confirm while a name is unanswered
    equipment_row = names.locator("tr[data-name='装备制造园']")
    assert "最接近：高端装备制造产业园" in equipment_row.inner_text()
    assert "最接近：循环经济产业园" in names.locator("tr[data-name='循环经济园']").inner_text()
    # The closest name is the first choice after the prompt.
    assert equipment_row.locator("select option").nth(1).inner_text() == "高端装备制造产业园"
    # The rows as read, beside their raw cells.
    rows = page.locator("#zs-ledger-rows")
    first = rows.locator("tr[data-row='3']")
    assert "23000" in first.locator(".zs-amount").inner_text() and "原文：计划投资2.3亿元" in first.inner_text()
    assert "15000" in rows.locator("tr[data-row='5'] .zs-amount").inner_text()

    equipment_row.locator("select").select_option(label="高端装备制造产业园")
    names.locator("tr[data-name='循环经济园'] select").select_option("new")
    names.locator("tr[data-name='赵志刚'] select").select_option("new")
    names.locator("tr[data-name='钱文博'] select").select_option("new")
    page.get_by_role("button", name="保存对应并重新检查").click()
    mapped = page.locator("#zs-ledger-mapped")
    mapped.wait_for(timeout=60_000)
    assert "已对应：装备制造园 → 高端装备制造产业园（本次的回答）" in mapped.inner_text()
    assert "新建落地园区：循环经济园（本次的回答）" in mapped.inner_text()
    assert page.locator("#zs-ledger-names").count() == 0
    assert "装备制造园 → 高端装备制造产业园" in page.locator("#zs-ledger-rows tr[data-row='3']").inner_text()

    page.locator("#zs-ledger-confirm button").click()
    page.get_by_text("导入完成").wait_for(timeout=60_000)
    parks = dict(Project.objects.filter(zone=zone).values_list("name", "park__name"))
    assert parks == {"高端液压件生产项目": "高端装备制造产业园", "废旧动力电池回收项目": "循环经济园", "精密铸件扩能项目": "高端装备制造产业园"}
    assert sorted(Park.objects.filter(zone=zone).values_list("name", flat=True)) == ["循环经济产业园", "循环经济园", "高端装备制造产业园"]
    assert sorted(Person.objects.filter(zone=zone).values_list("name", flat=True)) == ["赵志刚", "钱文博"]
    assert NameMapping.objects.get(zone=zone, kind="park", written="装备制造园").target_id == equipment.pk

    # The same office's ledger again: nothing is asked, the remembered answer is shown.
    upload(page, live_server, path)
    assert page.locator("#zs-ledger-names").count() == 0
    assert "已对应：装备制造园 → 高端装备制造产业园（记住的对应）" in page.locator("#zs-ledger-mapped").inner_text()
    assert page.locator("#zs-ledger-confirm").count() == 1
    assert page.js_errors == []
