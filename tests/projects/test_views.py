"""The project pages: list, filters, drill-down, totals, sorting, paging, saved filters,
export, board, detail with its forms, new and edit; visibility and query counts."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhaoshang.core.actions import create_person
from zhaoshang.enterprises.actions import create_enterprise
from zhaoshang.projects import actions
from zhaoshang.projects.models import FollowUp, FundArrival, Project, SavedFilter

VALID_USCC = "91330100MA27XL1C4A"


def names(response):
    return [p.name for p in response.context["page"].object_list]


@pytest.fixture
def bureau(client, bureau_user):
    client.force_login(bureau_user)
    return client


@pytest.fixture
def projects(make_project, unit, other_unit, park):
    """Five projects of two units, in different stages."""
    return {
        "lead": make_project(name="氢能线索", amount="3000", responsible_unit=unit),
        "signed": make_project(name="光伏组件", amount="50000", responsible_unit=unit, signed_on="2025-03-05",
                               source_province="江苏省", park=park),
        "started": make_project(name="储能电池", amount="120000", responsible_unit=other_unit, signed_on="2025-01-10",
                                started_on="2025-04-01"),
        "old": make_project(name="钨钼材料", amount="8000", responsible_unit=other_unit, signed_on="2024-06-01"),
        "producing": make_project(name="泵阀装备", amount="20000", responsible_unit=unit, signed_on="2024-02-01",
                                  started_on="2024-05-01", producing_on="2025-02-01"),
    }


# --- list ----------------------------------------------------------------------------


def test_list_shows_visible_projects_with_totals(bureau, projects):
    response = bureau.get("/projects/")
    assert response.status_code == 200
    assert set(names(response)) == {p.name for p in projects.values()}
    assert response.context["totals"]["count"] == 5
    assert response.context["totals"]["investment"] == Decimal("201000")
    assert "20.10亿元" in response.content.decode()


def test_list_filters_by_stage_unit_amount_and_dates(bureau, projects, unit):
    assert set(names(bureau.get("/projects/?stage=signed&stage=started"))) == {"光伏组件", "储能电池", "钨钼材料"}
    assert set(names(bureau.get(f"/projects/?unit={unit.pk}"))) == {"氢能线索", "光伏组件", "泵阀装备"}
    assert set(names(bureau.get("/projects/?amount_min=10000&amount_max=60000"))) == {"光伏组件", "泵阀装备"}
    assert set(names(bureau.get("/projects/?signed_from=2025-01-01&signed_to=2025-12-31"))) == {"光伏组件", "储能电池"}
    assert set(names(bureau.get("/projects/?started_from=2025-01-01"))) == {"储能电池"}
    response = bureau.get("/projects/?region=yrd")
    assert names(response) == ["光伏组件"]
    assert response.context["totals"]["investment"] == Decimal("50000")


def test_search_by_name_investor_code_and_uscc(bureau, projects, zone):
    investor = create_enterprise(zone=zone, name="常州天合光能有限公司", uscc=VALID_USCC)
    actions.update_project(projects["signed"], investor=investor)
    assert names(bureau.get("/projects/?q=储能")) == ["储能电池"]
    assert names(bureau.get("/projects/?q=天合")) == ["光伏组件"]
    assert names(bureau.get(f"/projects/?q={VALID_USCC}")) == ["光伏组件"]
    assert names(bureau.get(f"/projects/?q={projects['old'].code}")) == ["钨钼材料"]


def test_bad_filter_value_is_named_in_chinese_not_a_500(bureau, projects):
    response = bureau.get("/projects/?amount_min=很多&signed_from=2025-13-45")
    assert response.status_code == 200
    text = response.content.decode()
    assert "总投资不少于（万元）" in text and "签约日期自" in text


def test_sorting_by_amount_both_ways(bureau, projects):
    ascending = names(bureau.get("/projects/?sort=amount"))
    assert ascending == ["氢能线索", "钨钼材料", "泵阀装备", "光伏组件", "储能电池"]
    assert names(bureau.get("/projects/?sort=-amount")) == list(reversed(ascending))


def test_default_sort_is_newest_signing_first_unsigned_last(bureau, projects):
    assert names(bureau.get("/projects/")) == ["光伏组件", "储能电池", "钨钼材料", "泵阀装备", "氢能线索"]


def test_paging_keeps_filters_and_totals_cover_all_pages(bureau, make_project, unit):
    for i in range(55):
        make_project(name=f"批量项目{i:02d}", amount="100", responsible_unit=unit)
    first = bureau.get("/projects/?q=批量&sort=name")
    assert len(first.context["page"].object_list) == 50
    assert first.context["totals"]["count"] == 55
    assert first.context["totals"]["investment"] == Decimal("5500")
    assert "page=2" in first.content.decode() and "q=%E6%89%B9%E9%87%8F" in first.content.decode()
    second = bureau.get("/projects/?q=批量&sort=name&page=2")
    assert names(second) == [f"批量项目{i:02d}" for i in range(50, 55)]


def test_drill_down_shows_exactly_the_figures_rows(bureau, projects, zone):
    from zhaoshang.projects import kpi

    period = kpi.Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31), dt.date(2025, 6, 30))
    expected = kpi.projects_behind("started_count", Project.objects.filter(zone=zone), period)
    response = bureau.get("/projects/?figure=started_count&from=2025-01-01&to=2025-12-31&as_of=2025-06-30")
    assert set(names(response)) == {p.name for p in expected} == {"储能电池"}
    figures = kpi.compute(Project.objects.filter(zone=zone), period)
    assert response.context["totals"]["count"] == figures["started_count"]
    assert "开工项目数" in response.content.decode()


def test_drill_down_of_funds_lists_arrivals_in_the_period(bureau, projects):
    actions.add_fund_arrival(projects["started"], date=dt.date(2025, 5, 1), amount="3000")
    actions.add_fund_arrival(projects["producing"], date=dt.date(2024, 5, 1), amount="999")
    response = bureau.get("/projects/?figure=funds_in_place&from=2025-01-01&to=2025-12-31")
    assert names(response) == ["储能电池"]
    assert response.context["totals"]["arrivals"] == Decimal("3000")


def test_drill_down_with_unknown_figure_or_bad_date_says_so(bureau, projects):
    text = bureau.get("/projects/?figure=nonsense").content.decode()
    assert "指标“nonsense”不存在" in text
    response = bureau.get("/projects/?figure=signed_count&from=2025-02-30")
    assert "不是有效日期" in response.content.decode()
    assert response.context["totals"]["count"] == 0


def test_drill_down_stays_within_what_the_viewer_sees(client, unit_user, projects):
    client.force_login(unit_user)
    response = client.get("/projects/?figure=signed_count&from=2025-01-01&to=2025-12-31")
    assert names(response) == ["光伏组件"]  # 储能电池 belongs to the other unit


def test_unit_member_lists_only_their_units_projects(client, unit_user, projects):
    client.force_login(unit_user)
    assert set(names(client.get("/projects/"))) == {"氢能线索", "光伏组件", "泵阀装备"}


def test_list_needs_login(client, projects):
    response = client.get("/projects/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_attention_filter_lists_signed_projects_past_planned_start(bureau, make_project, unit):
    make_project(name="逾期未开工", responsible_unit=unit, signed_on="2025-01-01", planned_start_on="2025-02-01")
    make_project(name="按期", responsible_unit=unit, signed_on="2025-01-01", planned_start_on="2099-02-01")
    assert names(bureau.get("/projects/?attention=late")) == ["逾期未开工"]


# --- query counts ---------------------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/projects/", "/projects/?q=项目&sort=-amount", "/projects/board/", "/"])
def test_query_count_does_not_grow_with_rows(bureau, make_project, unit, park, zone, url):
    investor = create_enterprise(zone=zone, name="某投资方")
    make_project(name="项目0", responsible_unit=unit, investor=investor, park=park, signed_on="2025-01-01")
    few = _queries(bureau, url)
    for i in range(1, 30):
        make_project(name=f"项目{i}", responsible_unit=unit, investor=investor, park=park, signed_on="2025-01-01",
                     planned_start_on="2025-02-01")
    many = _queries(bureau, url)
    assert many <= few + 1, (few, many)
    assert many <= 25


def test_detail_query_count_does_not_grow_with_its_records(bureau, make_project, unit, zone, bureau_user):
    project = make_project(name="详情项目", responsible_unit=unit, signed_on="2025-01-01")
    person = create_person(zone=zone, name="张三")
    actions.add_follow_up(project, date=dt.date(2025, 1, 2), summary="首次走访", participants=[person])
    few = _queries(bureau, f"/projects/{project.pk}/")
    for i in range(20):
        actions.add_follow_up(project, date=dt.date(2025, 1, 3), summary=f"走访{i}", participants=[person], actor=bureau_user)
        actions.add_fund_arrival(project, date=dt.date(2025, 1, 3), amount="10", actor=bureau_user)
    many = _queries(bureau, f"/projects/{project.pk}/")
    assert many <= few + 1, (few, many)


# --- saved filters and export ----------------------------------------------------------


def test_saved_filter_is_kept_per_user_and_reopens_the_list(bureau, projects, other_unit_user, bureau_user):
    response = bureau.post("/projects/filters/save/", {"name": "大项目", "query": "amount_min=50000&page=3"})
    assert response.status_code == 302
    saved = SavedFilter.objects.get(user=bureau_user)
    assert saved.query == "amount_min=50000"
    listing = bureau.get("/projects/")
    assert "大项目" in listing.content.decode()
    assert set(names(bureau.get(f"/projects/?{saved.query}"))) == {"光伏组件", "储能电池"}
    from django.test import Client

    other = Client()
    other.force_login(other_unit_user)
    assert "大项目" not in other.get("/projects/").content.decode()
    assert other.post(f"/projects/filters/{saved.pk}/delete/").status_code == 404
    assert bureau.post(f"/projects/filters/{saved.pk}/delete/").status_code == 302
    assert not SavedFilter.objects.exists()


def test_saved_filter_needs_a_name(bureau, projects):
    response = bureau.post("/projects/filters/save/", {"name": "", "query": "stage=signed"}, follow=True)
    assert "请为筛选命名" in response.content.decode()
    assert not SavedFilter.objects.exists()


def test_export_holds_exactly_the_filtered_rows(bureau, projects):
    from openpyxl import load_workbook

    response = bureau.get("/projects/export/?stage=signed&stage=started&sort=-amount")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = [row for row in sheet.iter_rows(values_only=True)]
    body = [r for r in rows if r and any(cell == "光伏组件" or cell == "储能电池" or cell == "钨钼材料" for cell in r)]
    exported = sorted(cell for r in body for cell in r if cell in ("光伏组件", "储能电池", "钨钼材料"))
    assert exported == sorted(["光伏组件", "储能电池", "钨钼材料"])
    text = repr(rows)
    assert "泵阀装备" not in text and "氢能线索" not in text
    from zhaoshang.core.models import ChangeRecord

    record = ChangeRecord.objects.get(action="export")  # the export is on record, with its filter
    assert record.row_count == 3 and record.filters["stage"] == ["signed", "started"]


def test_export_of_another_units_projects_is_impossible(client, unit_user, projects):
    client.force_login(unit_user)
    response = client.get("/projects/export/")
    assert response.status_code == 200
    assert "储能电池".encode() not in response.content  # xlsx strings are stored compressed, check via openpyxl
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    cells = {cell for row in sheet.iter_rows(values_only=True) for cell in row}
    assert "光伏组件" in cells and "储能电池" not in cells


# --- board ----------------------------------------------------------------------------


def test_board_has_a_column_per_stage_with_count_and_sum(bureau, projects):
    response = bureau.get("/projects/board/")
    columns = {c["stage"]: c for c in response.context["columns"]}
    assert columns["signed"]["count"] == 2
    assert columns["signed"]["investment"] == Decimal("58000")
    assert [p.name for p in columns["started"]["cards"]] == ["储能电池"]
    assert columns["dropped"]["count"] == 0


def test_board_move_opens_the_stage_form_and_needs_a_date(bureau, projects):
    project = projects["signed"]
    dialog = bureau.get(f"/projects/{project.pk}/stage/?to=started", HTTP_HX_REQUEST="true")
    assert dialog.status_code == 200 and "变更阶段" in dialog.content.decode()
    response = bureau.post(f"/projects/{project.pk}/stage/", {"from": "board", "to_stage": "started", "on": ""},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "请填写阶段变更日期" in response.content.decode()
    project.refresh_from_db()
    assert project.stage == "signed"


def test_board_move_shows_the_stage_rules_error(bureau, projects):
    project = projects["signed"]
    response = bureau.post(f"/projects/{project.pk}/stage/", {"from": "board", "to_stage": "started", "on": "2025-01-01"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "不能早于" in response.content.decode()
    ok = bureau.post(f"/projects/{project.pk}/stage/", {"from": "board", "to_stage": "started", "on": "2025-06-01"},
                     HTTP_HX_REQUEST="true")
    assert ok.status_code == 204 and ok["HX-Refresh"] == "true"
    project.refresh_from_db()
    assert project.stage == "started" and project.started_on == dt.date(2025, 6, 1)


# --- detail and its forms -----------------------------------------------------------------


def test_detail_shows_facts_and_one_timeline(bureau, projects, bureau_user):
    project = projects["started"]
    actions.add_follow_up(project, date=dt.date(2025, 4, 10), summary="现场查看施工进度", actor=bureau_user)
    actions.add_fund_arrival(project, date=dt.date(2025, 4, 20), amount="6000", actor=bureau_user)
    response = bureau.get(f"/projects/{project.pk}/")
    text = response.content.decode()
    assert "储能电池" in text and "120,000.00万元" in text and "2025-04-01" in text
    assert "6,000.00万元（5.00%）" in text
    kinds = [e.kind for e in response.context["timeline"]]
    assert kinds[:2] == ["fund", "follow_up"] and "stage" in kinds


def test_forbidden_detail_is_404(client, unit_user, projects):
    client.force_login(unit_user)
    assert client.get(f"/projects/{projects['started'].pk}/").status_code == 404
    assert client.get(f"/projects/{projects['started'].pk}/edit/").status_code == 404
    assert client.post(f"/projects/{projects['started'].pk}/follow-ups/", {}).status_code == 404


def test_reader_cannot_write(client, make_user, zone, projects):
    leader = make_user("leader", zone, "leadership")
    client.force_login(leader)
    project = projects["signed"]
    assert client.get(f"/projects/{project.pk}/").status_code == 200
    response = client.post(f"/projects/{project.pk}/follow-ups/", {"date": "2025-05-01", "kind": "visit", "summary": "x"})
    assert response.status_code == 403
    assert not FollowUp.objects.filter(project=project).exists()


def test_htmx_follow_up_updates_timeline_without_leaving_the_page(client, unit_user, projects):
    client.force_login(unit_user)
    project = projects["signed"]
    response = client.post(
        f"/projects/{project.pk}/follow-ups/",
        {"date": "2025-05-06", "kind": "visit", "summary": "与企业商谈设备进场", "next_step": "协调电力接入", "next_date": "2025-05-20"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "跟进已记录" in text and "与企业商谈设备进场" in text and 'id="zs-timeline" hx-swap-oob="true"' in text
    follow_up = FollowUp.objects.get(project=project)
    assert follow_up.recorded_by == unit_user and follow_up.next_date == dt.date(2025, 5, 20)


def test_follow_up_errors_are_chinese_and_next_to_the_field(client, unit_user, projects):
    client.force_login(unit_user)
    project = projects["signed"]
    response = client.post(f"/projects/{project.pk}/follow-ups/",
                           {"date": "2025-05-06", "kind": "visit", "summary": "", "next_date": "2025-05-01"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    text = response.content.decode()
    assert "请填写情况摘要" in text and 'id="id_summary_error"' in text
    assert not FollowUp.objects.exists()
    response = client.post(f"/projects/{project.pk}/follow-ups/",
                           {"date": "2025-05-06", "kind": "visit", "summary": "走访", "next_date": "2025-05-01"},
                           HTTP_HX_REQUEST="true")
    assert "下步日期不能早于本次跟进日期" in response.content.decode()
    assert not FollowUp.objects.exists()


def test_fund_arrival_form_records_and_refreshes_facts(client, unit_user, projects):
    client.force_login(unit_user)
    project = projects["signed"]
    bad = client.post(f"/projects/{project.pk}/fund-arrivals/", {"date": "2025-05-06", "amount": "-5"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 422 and "到位金额应大于零" in bad.content.decode()
    ok = client.post(f"/projects/{project.pk}/fund-arrivals/", {"date": "2025-05-06", "amount": "12500.5"}, HTTP_HX_REQUEST="true")
    assert ok.status_code == 200
    assert "12,500.50万元（25.00%）" in ok.content.decode()
    assert FundArrival.objects.get(project=project).amount == Decimal("12500.50")


def test_stage_change_from_detail_follows_the_rules(client, unit_user, projects):
    client.force_login(unit_user)
    project = projects["signed"]
    response = client.post(f"/projects/{project.pk}/stage/", {"to_stage": "dropped", "on": "2025-06-01", "reason": ""},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and "终止项目需填写原因" in response.content.decode()
    response = client.post(f"/projects/{project.pk}/stage/", {"to_stage": "started", "on": "2025-06-01"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "阶段已变更" in response.content.decode()
    project.refresh_from_db()
    assert project.stage == "started"


# --- new and edit ---------------------------------------------------------------------------


def _form_data(**overrides):
    data = {"name": "新材料产业园二期", "kind": "chain", "total_investment": "35000", "stage": "negotiating",
            "investor_name": "苏州新材科技有限公司", "investor_uscc": VALID_USCC, "source_province": "江苏省",
            "is_fixed_asset": "on"}
    data.update(overrides)
    return data


def test_create_project_with_investor(client, unit_user, unit):
    client.force_login(unit_user)
    response = client.post("/projects/new/", _form_data(responsible_unit=unit.pk))
    assert response.status_code == 302
    project = Project.objects.get(name="新材料产业园二期")
    assert response["Location"] == f"/projects/{project.pk}/"
    assert project.investor.uscc == VALID_USCC and project.stage == "negotiating"
    assert project.source_region == "yrd" and project.total_investment == Decimal("35000")


def test_create_errors_are_chinese_next_to_the_field(bureau, zone):
    response = bureau.post("/projects/new/", _form_data(name="", total_investment="abc", stage="signed"))
    assert response.status_code == 422
    text = response.content.decode()
    assert "请填写项目名称" in text and "请输入金额数字（万元）" in text
    response = bureau.post("/projects/new/", _form_data(stage="signed"))
    assert response.status_code == 422
    assert "需填写签约日期" in response.content.decode()
    response = bureau.post("/projects/new/", _form_data(investor_uscc="91330100MA27XL1C4X"))
    assert response.status_code == 422
    assert 'id="id_investor_uscc_error"' in response.content.decode()
    assert not Project.objects.exists()


def test_unit_member_cannot_create_for_another_unit(client, unit_user, unit, other_unit):
    client.force_login(unit_user)
    form = client.get("/projects/new/").context["form"]
    assert form.fields["responsible_unit"].disabled and form.fields["responsible_unit"].initial == unit.pk
    response = client.post("/projects/new/", _form_data(responsible_unit=other_unit.pk))
    assert response.status_code == 302
    assert Project.objects.get().responsible_unit == unit


def test_observer_cannot_create(client, observer_user):
    client.force_login(observer_user)
    assert client.get("/projects/new/").status_code == 403


def _edit_data(client, project):
    form = client.get(f"/projects/{project.pk}/edit/").context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if name == "leaders":
            data[name] = [str(v) for v in value or []]
        elif name == "is_fixed_asset":
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return data


def test_edit_saves_and_bumps_version(client, unit_user, projects):
    client.force_login(unit_user)
    project = projects["signed"]
    data = _edit_data(client, project)
    data["total_investment"] = "55000"
    response = client.post(f"/projects/{project.pk}/edit/", data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.total_investment == Decimal("55000") and project.version == 2


def test_second_saver_sees_what_changed_and_nothing_is_overwritten(client, unit_user, bureau_user, projects):
    from django.test import Client

    project = projects["signed"]
    client.force_login(unit_user)
    other = Client()
    other.force_login(bureau_user)
    mine = _edit_data(client, project)
    theirs = _edit_data(other, project)
    theirs["total_investment"] = "60000"
    theirs["notes"] = "局里补充说明"
    assert other.post(f"/projects/{project.pk}/edit/", theirs).status_code == 302
    mine["total_investment"] = "52000"
    mine["contact_person"] = "李经理"
    response = client.post(f"/projects/{project.pk}/edit/", mine)
    assert response.status_code == 409
    text = response.content.decode()
    assert "保存前该项目已被他人修改" in text
    rows = {row["name"]: row for row in response.context["conflicts"]}
    assert rows["total_investment"]["conflict"] is True
    assert rows["total_investment"]["theirs"] == "60000.00" and rows["total_investment"]["mine"] == "52000"
    assert rows["notes"]["conflict"] is False
    project.refresh_from_db()
    assert project.total_investment == Decimal("60000") and project.contact_person == ""
    # The form now carries the other person's note and the current version: saving again
    # keeps their note and applies mine.
    form = response.context["form"]
    assert form.data["notes"] == "局里补充说明" and form.data["version"] == str(project.version)
    again = client.post(f"/projects/{project.pk}/edit/", form.data)
    assert again.status_code == 302
    project.refresh_from_db()
    assert project.notes == "局里补充说明" and project.total_investment == Decimal("52000")
    assert project.contact_person == "李经理"


def test_timeline_shows_edits_from_the_change_log(client, unit_user, projects):
    client.force_login(unit_user)
    project = projects["signed"]
    data = _edit_data(client, project)
    data["total_investment"] = "56000"
    assert client.post(f"/projects/{project.pk}/edit/", data).status_code == 302
    response = client.get(f"/projects/{project.pk}/")
    edits = [e for e in response.context["timeline"] if e.kind == "edit"]
    assert edits and edits[0].who == "alice"
    assert ("计划总投资（万元）", "50000.00", "56000.00") in edits[0].details
