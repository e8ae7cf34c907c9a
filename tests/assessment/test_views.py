"""The /assessment/ pages: who sees what, and what a user sees."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import Workbook

from zhaoshang.assessment import actions
from zhaoshang.assessment.models import Bulletin, DispatchEntry, DispatchRound, Target

D = dt.date.fromisoformat
PASSWORD = "pass-for-tests-1"
YEAR_2024 = "from=2024-01-01&to=2024-12-31"


def client_for(client, user):
    client.force_login(user)
    return client


def plain(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def scored_zone(zone, unit, other_unit, small_scheme, make_project):
    make_project(name="大项目", amount="30000", responsible_unit=unit, signed_on="2024-02-01", started_on="2024-03-01")
    make_project(name="逾期项目", amount="5000", responsible_unit=unit, signed_on="2024-05-01", planned_start_on="2024-06-01")
    make_project(amount="8000", responsible_unit=other_unit, signed_on="2024-04-01")
    actions.set_target(zone=zone, unit=unit, year=2024, indicator="signed_count", annual=2)
    actions.set_target(zone=zone, unit=other_unit, year=2024, indicator="signed_count", annual=2)
    return zone


@pytest.mark.parametrize("path", ["/assessment/", "/assessment/ranking/", "/assessment/targets/", "/assessment/dispatch/",
                                  "/assessment/bulletins/"])
def test_every_page_requires_login(client, zone, path):
    response = client.get(path)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_ranking_for_bureau_and_observer_not_for_units(client, scored_zone, bureau_user, observer_user, unit_user,
                                                       department_user, unit, other_unit):
    page = client_for(client, bureau_user).get(f"/assessment/ranking/?{YEAR_2024}")
    assert page.status_code == 200
    text = plain(page)
    assert "2024年考核排名" in text and "红榜" in text and "黑榜" in text
    # unit: 2 signed of 2 = 40; +2 for ≥ 20,000万; −1 overdue start → 41; other_unit: 1 of 2 = 20
    assert re.search(rf"1 {unit.name} 41.00 40.00 2.00 1.00", text)
    assert re.search(rf"2 {other_unit.name} 20.00 20.00 0.00 0.00", text)
    assert f'/assessment/score/{unit.pk}/' in page.content.decode()
    assert client_for(client, observer_user).get(f"/assessment/ranking/?{YEAR_2024}").status_code == 200
    assert client_for(client, unit_user).get("/assessment/ranking/").status_code == 403
    assert client_for(client, department_user).get("/assessment/ranking/").status_code == 403


def test_score_page_explains_every_point(client, scored_zone, unit, other_unit, unit_user, observer_user):
    page = client_for(client, unit_user).get(f"/assessment/score/{unit.pk}/?{YEAR_2024}")
    assert page.status_code == 200
    html = page.content.decode()
    text = plain(page)
    assert "41.00" in text and "签约项目数" in text and "100.00%" in text
    assert "/projects/?figure=signed_count&amp;from=2024-01-01&amp;to=2024-12-31&amp;as_of=2024-12-31&amp;unit=" in html
    assert "逾期项目" in text and "计划2024-06-01开工" in text and "大项目" in text
    assert re.search(r'href="/projects/\d+/"', html)
    # a unit sees only its own score; an observer no unit's details
    assert client_for(client, unit_user).get(f"/assessment/score/{other_unit.pk}/").status_code == 404
    assert client_for(client, observer_user).get(f"/assessment/score/{unit.pk}/").status_code == 404


def test_a_bad_period_shows_a_message_not_an_error(client, scored_zone, bureau_user):
    page = client_for(client, bureau_user).get("/assessment/ranking/?from=2024-12-31&to=2024-01-01")
    assert page.status_code == 200
    assert "起始日期（2024-12-31）不能晚于截止日期（2024-01-01）" in plain(page)
    page = client.get("/assessment/ranking/?from=2024-13-01&to=2024-12-31")
    assert page.status_code == 200 and "起始日期" in plain(page)


@pytest.mark.parametrize("query", ["from=0001-01-01&to=2024-12-31", "from=2024-01-01&to=9999-12-31",
                                   "from=2024-01-01&to=2024-12-31&as_of=0001-01-01"])
def test_a_period_outside_1900_to_2100_is_named_not_a_server_error(client, scored_zone, bureau_user, unit, query):
    client_for(client, bureau_user)
    for path in ("/assessment/ranking/", f"/assessment/score/{unit.pk}/"):
        page = client.get(f"{path}?{query}")
        assert page.status_code == 200
        assert "应在 1900-01-01 至 2100-12-31 之间" in plain(page)
    preview = client.get(f"/assessment/bulletins/preview.docx?{query}")
    assert preview.status_code == 400
    assert "应在 1900-01-01 至 2100-12-31 之间" in preview.content.decode()


def test_a_target_year_that_is_not_a_year_is_named(client, zone, unit, bureau_user):
    url = f"/assessment/targets/{unit.pk}/edit/?year=2025"
    for year in ("abc", "99999"):
        response = client_for(client, bureau_user).post(url, {"year": year, "signed_count-annual": "8"})
        assert response.status_code == 200
        assert f"年度“{year}”应为2000至2100之间的整数" in plain(response)
    assert not Target.objects.filter(unit=unit).exists()


def test_bureau_sets_targets_on_the_page(client, zone, unit, bureau_user, unit_user):
    url = f"/assessment/targets/{unit.pk}/edit/?year=2025"
    form = {"year": "2025", "signed_count-annual": "8", "signed_count-q1": "1", "signed_count-q2": "2",
            "signed_count-q3": "2", "signed_count-q4": "3", "start_rate-annual": "80", "signed_investment-annual": "12亿"}
    response = client_for(client, bureau_user).post(url, form)
    assert response.status_code == 302
    assert Target.objects.get(unit=unit, indicator="start_rate").annual == Decimal("0.8")
    assert Target.objects.get(unit=unit, indicator="signed_investment").annual == Decimal("120000")
    page = client.get("/assessment/targets/?year=2025")
    assert "80.00%" in plain(page) and "12.00亿元" in plain(page)
    bad = client.post(url, {"year": "2025", "signed_count-annual": "2.5", "start_rate-annual": "50"})
    assert bad.status_code == 200 and "个数“2.5”应为整数" in plain(bad)
    assert Target.objects.get(unit=unit, indicator="start_rate").annual == Decimal("0.8")  # nothing half-written
    assert client_for(client, unit_user).post(url, form).status_code == 403
    assert "80.00%" in plain(client.get("/assessment/targets/?year=2025"))  # the unit sees its own targets


def test_import_page_lists_errors_by_row_and_column(client, zone, unit, bureau_user):
    book = Workbook()
    book.active.append(["单位", "指标", "年度目标"])
    book.active.append([unit.name, "签约项目数", "很多"])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "targets.xlsx"
    page = client_for(client, bureau_user).post("/assessment/targets/import/", {"year": "2025", "file": out})
    assert page.status_code == 200
    assert "第2行“年度目标”列：“很多”不是有效的数值" in plain(page)
    assert "没有写入任何数据" in plain(page)
    assert not Target.objects.exists()


def test_schemes_defaults_and_edit(client, zone, bureau_user, observer_user):
    assert client_for(client, observer_user).get("/assessment/schemes/").status_code == 403
    client_for(client, bureau_user).post("/assessment/schemes/defaults/")
    page = client.get("/assessment/schemes/")
    assert "招商专班考核方案" in plain(page) and "职能部门考核方案" in plain(page)
    scheme = zone.schemes.get(kind="task_force")
    form = {"name": "专班方案2025", "board_size": "2", "notes": "",
            "ind-TOTAL_FORMS": "2", "ind-INITIAL_FORMS": "0", "ind-0-indicator": "signed_count", "ind-0-weight": "50",
            "ind-0-ceiling": "1.5", "ind-0-floor": "0.3", "ind-1-indicator": "signed_count", "ind-1-weight": "10",
            "item-TOTAL_FORMS": "1", "item-INITIAL_FORMS": "0", "item-0-rule": "major_project", "item-0-points": "3"}
    duplicate = client.post(f"/assessment/schemes/{scheme.pk}/", form)
    assert duplicate.status_code == 200 and "指标“签约项目数”重复" in plain(duplicate)
    form["ind-TOTAL_FORMS"] = "1"
    assert client.post(f"/assessment/schemes/{scheme.pk}/", form).status_code == 302
    scheme.refresh_from_db()
    assert scheme.name == "专班方案2025" and scheme.board_size == 2
    assert [(i.indicator, i.weight, i.floor) for i in scheme.indicators.all()] == [("signed_count", Decimal("50.00"), Decimal("0.3000"))]
    assert [i.rule for i in scheme.items.all()] == ["major_project"]


def test_manual_deduction_with_a_note(client, scored_zone, unit, bureau_user, unit_user):
    response = client_for(client, bureau_user).post("/assessment/adjustments/", {
        "unit": unit.pk, "kind": "deduction", "date": "2024-10-01", "points": "5", "note": "签约额虚报核减", "project_code": ""})
    assert response.status_code == 302
    page = client.get(f"/assessment/score/{unit.pk}/?{YEAR_2024}")
    assert "签约额虚报核减" in plain(page) and "36.00" in plain(page)
    missing = client.post("/assessment/adjustments/", {"unit": unit.pk, "kind": "deduction", "date": "2024-10-01",
                                                       "points": "5", "note": "x", "project_code": "NOPE"})
    assert "没有编号为“NOPE”的项目" in plain(missing)
    assert client_for(client, unit_user).post("/assessment/adjustments/", {}).status_code == 403


def test_publish_and_open_a_bulletin(client, scored_zone, bureau_user, observer_user, unit_user, unit):
    response = client_for(client, bureau_user).post("/assessment/bulletins/", {
        "start": "2024-01-01", "end": "2024-12-31", "as_of": "", "title": "", "number": "测投促〔2025〕1号"})
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/assessment/bulletins/{bulletin.pk}/"
    preview = client.get(f"/assessment/bulletins/preview.docx?{YEAR_2024}")
    assert "签约项目3个" in "\n".join(p.text for p in Document(io.BytesIO(preview.content)).paragraphs)
    for user in (observer_user, unit_user):
        page = client_for(client, user).get(f"/assessment/bulletins/{bulletin.pk}/")
        assert page.status_code == 200 and "全区共签约项目3个" in plain(page) and unit.name in plain(page)
        download = client.get(f"/assessment/bulletins/{bulletin.pk}/file.docx")
        assert download.status_code == 200 and download.content == bytes(bulletin.docx)
        assert client.post("/assessment/bulletins/", {"start": "2024-01-01", "end": "2024-12-31"}).status_code == 403
    assert client.get(f"/assessment/bulletins/{bulletin.pk}/file.pdf").status_code == 404


def test_dispatch_as_unit_and_bureau(client, zone, unit, other_unit, make_project, bureau_user, unit_user, other_unit_user):
    mine = make_project(name="我的项目", responsible_unit=unit, signed_on="2025-01-10")
    make_project(name="别人的项目", responsible_unit=other_unit, signed_on="2025-01-10")
    client_for(client, bureau_user).post("/assessment/dispatch/", {
        "title": "2025年3月第1期", "cadence": "monthly", "start": "2025-03-01", "end": "2025-03-31", "deadline": "2025-04-03"})
    round_ = DispatchRound.objects.get()
    entry = DispatchEntry.objects.get(project=mine)
    url = f"/assessment/dispatch/{round_.pk}/unit/{unit.pk}/"

    assert client_for(client, other_unit_user).get(url).status_code == 404
    page = client_for(client, unit_user).get(url)
    assert page.status_code == 200 and "我的项目" in plain(page) and "别人的项目" not in plain(page)
    bad = client.post(url, {f"e{entry.pk}-progress": "开工准备", f"e{entry.pk}-period_investment": "-1"})
    assert bad.status_code == 200 and "本期完成投资" in plain(bad)
    ok = client.post(url, {f"e{entry.pk}-progress": "开工准备", f"e{entry.pk}-period_investment": "200",
                           f"e{entry.pk}-cumulative_investment": "200", "submit": "1"})
    assert ok.status_code == 302
    entry.refresh_from_db()
    assert entry.progress == "开工准备" and entry.period_investment == Decimal("200.00")

    overview = client_for(client, bureau_user).get(f"/assessment/dispatch/{round_.pk}/")
    assert f"未报送单位（1）：{other_unit.name}" in plain(overview)
    assert client_for(client, unit_user).post(f"/assessment/dispatch/{round_.pk}/close/").status_code == 403
    client_for(client, bureau_user).post(f"/assessment/dispatch/{round_.pk}/close/")
    round_.refresh_from_db()
    assert not round_.is_open
    report = client.get(f"/assessment/dispatch/{round_.pk}/report.docx")
    assert report.status_code == 200 and "开工准备" in "".join(
        c.text for t in Document(io.BytesIO(report.content)).tables for r in t.rows for c in r.cells)
    assert client_for(client, unit_user).post(url, {f"e{entry.pk}-progress": "改"}).status_code == 403
    assert client.get(f"/assessment/dispatch/{round_.pk}/report.docx").status_code == 403
