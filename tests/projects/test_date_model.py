"""One date model on the web: a project entered with its real past, future facts refused,
logged corrections, next steps closed by stage changes, the requirements table, a unit
member's project, near-duplicates and merging."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from zhaoshang.enterprises.actions import create_enterprise
from zhaoshang.projects import actions, kpi
from zhaoshang.projects.filters import Attention, attention_filter
from zhaoshang.projects.models import DateCorrection, Project
from zhaoshang.projects.stages import Stage

D = dt.date.fromisoformat
TODAY = dt.date.today()
TOMORROW = (TODAY + dt.timedelta(days=1)).isoformat()
VALID_USCC = "91350100M000100Y43"


def figures(zone, year):
    return kpi.compute(Project.objects.filter(zone=zone), kpi.Period.year(year))


@pytest.fixture
def bureau(client, bureau_user):
    client.force_login(bureau_user)
    return client


def _form(**overrides):
    data = {"name": "高纯石英砂项目", "kind": "chain", "total_investment": "24000", "stage": "lead",
            "investor_name": "阳泉石英新材料有限公司", "investor_uscc": VALID_USCC, "is_fixed_asset": "on"}
    data.update(overrides)
    return data


def test_a_backdated_project_gets_its_history_and_counts_in_its_real_year(bureau, zone, unit, park):
    before = figures(zone, 2024)
    response = bureau.post("/projects/new/", _form(
        responsible_unit=unit.pk, park=park.pk, lead_on="2024-01-05", negotiating_on="2024-02-01",
        signed_on="2024-03-10", started_on="2024-06-01"))
    assert response.status_code == 302, response.content.decode()
    project = Project.objects.get(name="高纯石英砂项目")
    assert list(project.stage_changes.values_list("to_stage", "date")) == [
        ("lead", D("2024-01-05")), ("negotiating", D("2024-02-01")), ("signed", D("2024-03-10")), ("started", D("2024-06-01"))]
    assert project.stage == Stage.STARTED
    after = figures(zone, 2024)
    assert after["signed_count"] == before["signed_count"] + 1
    assert after["signed_investment"] == before["signed_investment"] + Decimal("24000")
    assert after["started_count"] == before["started_count"] + 1
    assert figures(zone, TODAY.year)["signed_count"] == 0


def test_the_lead_date_defaults_to_the_earliest_date_given(make_project):
    project = make_project(stage=Stage.NEGOTIATING, negotiating_on=D("2024-02-01"))
    assert list(project.stage_changes.values_list("to_stage", "date")) == [("negotiating", D("2024-02-01"))]
    lead = make_project(stage=Stage.LEAD, lead_on=D("2023-11-11"))
    assert lead.stage_changes.get().date == D("2023-11-11")


def test_history_out_of_order_is_refused_naming_the_field(bureau, unit):
    response = bureau.post("/projects/new/", _form(responsible_unit=unit.pk, lead_on="2024-05-01", negotiating_on="2024-02-01"))
    assert response.status_code == 422
    assert "在谈日期（2024-02-01）不能早于线索日期（2024-05-01）" in response.content.decode()
    assert not Project.objects.exists()


def test_a_future_fact_is_refused_naming_the_field(bureau, unit, park, make_project, bureau_user):
    response = bureau.post("/projects/new/", _form(responsible_unit=unit.pk, park=park.pk, signed_on="2024-03-10",
                                                   started_on=TOMORROW))
    assert response.status_code == 422
    assert f"开工日期（{TOMORROW}）不能晚于今天" in response.content.decode()
    # A planned date may be in the future.
    response = bureau.post("/projects/new/", _form(responsible_unit=unit.pk, signed_on="2024-03-10", planned_start_on=TOMORROW))
    assert response.status_code == 302
    project = Project.objects.get()
    follow_up = bureau.post(f"/projects/{project.pk}/follow-ups/", {"date": TOMORROW, "kind": "visit", "summary": "走访"})
    assert follow_up.status_code == 422 and f"跟进日期（{TOMORROW}）不能晚于今天" in follow_up.content.decode()
    fund = bureau.post(f"/projects/{project.pk}/fund-arrivals/", {"date": TOMORROW, "amount": "100"})
    assert fund.status_code == 422 and f"到位日期（{TOMORROW}）不能晚于今天" in fund.content.decode()
    stage = bureau.post(f"/projects/{project.pk}/stage/", {"to_stage": "started", "on": TOMORROW})
    assert stage.status_code == 422 and f"开工日期（{TOMORROW}）不能晚于今天" in stage.content.decode()
    # A next step may be planned ahead.
    ok = bureau.post(f"/projects/{project.pk}/follow-ups/", {"date": TODAY.isoformat(), "kind": "visit", "summary": "走访",
                                                            "next_step": "安排开工", "next_date": TOMORROW})
    assert ok.status_code == 302


def test_a_follow_up_before_the_first_date_and_money_before_the_signing_are_refused(bureau, make_project):
    project = make_project(lead_on=D("2024-01-05"), signed_on="2024-03-10")
    response = bureau.post(f"/projects/{project.pk}/follow-ups/", {"date": "2024-01-04", "kind": "visit", "summary": "走访"})
    assert response.status_code == 422
    assert "跟进日期（2024-01-04）不能早于项目的第一个日期（2024-01-05）" in response.content.decode()
    response = bureau.post(f"/projects/{project.pk}/fund-arrivals/", {"date": "2024-03-09", "amount": "500"})
    assert response.status_code == 422
    assert "到位日期（2024-03-09）不能早于签约日期（2024-03-10）" in response.content.decode()
    assert not project.follow_ups.exists() and not project.fund_arrivals.exists()
    assert bureau.post(f"/projects/{project.pk}/fund-arrivals/", {"date": "2024-03-10", "amount": "500"}).status_code == 302


def test_a_corrected_date_moves_the_figure_and_shows_on_the_timeline(bureau, zone, make_project):
    project = make_project(amount="30000", signed_on="2024-12-20")
    assert figures(zone, 2024)["signed_count"] == 1
    row = project.stage_changes.get(to_stage="signed")
    response = bureau.post(f"/projects/{project.pk}/correct-date/",
                           {"stage_change": row.pk, "new_date": "2025-01-05", "reason": "合同实际签署日为元月5日"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.signed_on == D("2025-01-05")
    assert figures(zone, 2024)["signed_count"] == 0 and figures(zone, 2025)["signed_count"] == 1
    page = bureau.get(f"/projects/{project.pk}/").content.decode()
    assert "更正签约日期：2024-12-20 → 2025-01-05" in page and "合同实际签署日为元月5日" in page
    correction = DateCorrection.objects.get()
    assert (correction.old_date, correction.new_date, correction.corrected_by.username) == (D("2024-12-20"), D("2025-01-05"), "bureau")


def test_a_correction_keeps_the_order_and_needs_a_reason(bureau, make_project):
    project = make_project(signed_on="2024-03-10", started_on="2024-06-01")
    row = project.stage_changes.get(to_stage="signed")
    response = bureau.post(f"/projects/{project.pk}/correct-date/", {"stage_change": row.pk, "new_date": "2024-07-01", "reason": "核对"})
    assert response.status_code == 422
    assert "签约日期（2024-07-01）不能晚于后一阶段开工的日期（2024-06-01）" in response.content.decode()
    response = bureau.post(f"/projects/{project.pk}/correct-date/", {"stage_change": row.pk, "new_date": "2024-03-01", "reason": ""})
    assert response.status_code == 422 and "请填写更正原因" in response.content.decode()
    project.refresh_from_db()
    assert project.signed_on == D("2024-03-10") and not DateCorrection.objects.exists()


def test_the_edit_form_no_longer_edits_stage_dates(bureau, make_project):
    project = make_project(signed_on="2024-03-10")
    form = bureau.get(f"/projects/{project.pk}/edit/").context["form"]
    assert not {"signed_on", "started_on", "producing_on"} & set(form.fields)
    assert "planned_start_on" in form.fields


def test_a_stage_change_closes_the_next_step_it_made_obsolete(bureau, zone, unit, make_project):
    investor = create_enterprise(zone=zone, name="钨钼科技有限公司")
    project = make_project(stage=Stage.NEGOTIATING, negotiating_on=TODAY - dt.timedelta(days=60), investor=investor,
                           responsible_unit=unit)
    actions.add_follow_up(project, date=TODAY - dt.timedelta(days=40), summary="洽谈", next_step="安排签约",
                          next_date=TODAY - dt.timedelta(days=20))
    due = attention_filter(Project.objects.all(), Attention.DUE, TODAY)
    assert list(due) == [project]
    response = bureau.post(f"/projects/{project.pk}/stage/", {"to_stage": "signed", "on": (TODAY - dt.timedelta(days=10)).isoformat()})
    assert response.status_code == 302
    assert not attention_filter(Project.objects.all(), Attention.DUE, TODAY).exists()
    assert project.follow_ups.get().next_step_closed_on == TODAY - dt.timedelta(days=10)
    assert "已随阶段变更关闭" in bureau.get(f"/projects/{project.pk}/").content.decode()


def test_the_requirements_table_drives_the_form(bureau, unit, make_project):
    response = bureau.post("/projects/new/", _form(investor_name="", investor_uscc="", responsible_unit=unit.pk,
                                                   signed_on="2024-03-10"))
    assert response.status_code == 422
    assert "签约阶段的项目需填写投资主体" in response.content.decode()
    response = bureau.post("/projects/new/", _form(responsible_unit=unit.pk, signed_on="2024-03-10", started_on="2024-05-01"))
    assert response.status_code == 422 and "开工阶段的项目需填写落地园区" in response.content.decode()
    lead = make_project(name="早期线索", amount="0")
    page = bureau.get(f"/projects/{lead.pk}/edit/").content.decode()
    assert "进入在谈还需" not in page
    actions.change_stage(lead, to_stage=Stage.NEGOTIATING, on=TODAY)
    assert "进入签约还需：投资主体、计划总投资、责任单位" in bureau.get(f"/projects/{lead.pk}/").content.decode()
    stage = bureau.post(f"/projects/{lead.pk}/stage/", {"to_stage": "signed", "on": TODAY.isoformat()})
    assert stage.status_code == 422 and "签约阶段的项目需填写投资主体" in stage.content.decode()


def test_a_unit_member_creating_a_project_lands_on_it(client, unit_user, unit):
    client.force_login(unit_user)
    response = client.post("/projects/new/", _form(name="单位新建项目"), follow=True)
    assert response.status_code == 200
    project = Project.objects.get(name="单位新建项目")
    assert project.responsible_unit == unit
    assert response.redirect_chain[-1][0] == f"/projects/{project.pk}/"
    assert "单位新建项目" in response.content.decode()


def test_the_molybdenum_near_duplicate_is_flagged_on_the_form(bureau, zone, unit, park, make_project):
    investor = create_enterprise(zone=zone, name="阳泉钼业新材料有限公司", uscc=VALID_USCC)
    existing = make_project(name="钼靶材深加工一期项目", amount="24000", investor=investor, responsible_unit=unit, park=park,
                            signed_on="2024-05-08")
    data = _form(name="钼靶材深加工项目", investor_name="阳泉钼业新材料有限公司", responsible_unit=unit.pk, park=park.pk,
                 signed_on="2024-05-08")
    response = bureau.post("/projects/new/", data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "疑似重复" in text and existing.code in text and "仍然创建" in text
    assert "同一企业" in text and "名称相同（忽略一期/项目/有限公司/空格）" in text and "金额与签约日相同" in text
    assert Project.objects.count() == 1
    response = bureau.post("/projects/new/", {**data, "confirm_duplicate": "1"})
    assert response.status_code == 302 and Project.objects.count() == 2


def test_a_merge_keeps_both_histories_and_counts_once(bureau, client, unit_user, zone, unit, park, make_project, bureau_user):
    investor = create_enterprise(zone=zone, name="阳泉钼业新材料有限公司", uscc=VALID_USCC)
    keep = make_project(name="钼靶材深加工一期项目", amount="24000", investor=investor, responsible_unit=unit, park=park,
                        signed_on="2024-05-08")
    other = make_project(name="钼靶材深加工项目", amount="24000", investor=investor, responsible_unit=unit, park=park,
                         signed_on="2024-05-08")
    actions.add_follow_up(other, date=D("2024-06-01"), summary="台账导入的走访记录")
    actions.add_fund_arrival(other, date=D("2024-07-01"), amount="2000")
    assert figures(zone, 2024)["signed_count"] == 2
    detail = bureau.get(f"/projects/{keep.pk}/").content.decode()
    assert f"/projects/{keep.pk}/merge/{other.pk}/" in detail
    client.force_login(unit_user)
    assert client.get(f"/projects/{keep.pk}/merge/{other.pk}/").status_code == 403
    merger = Client()
    merger.force_login(bureau_user)
    response = merger.post(f"/projects/{keep.pk}/merge/{other.pk}/", {"reason": "同一项目重复录入"})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.merged_into == keep and other.stage == Stage.DROPPED and other.signed_on is None
    assert other.drop_reason.startswith("合并")
    after = figures(zone, 2024)
    assert after["signed_count"] == 1 and after["signed_investment"] == Decimal("24000")
    assert after["funds_in_place"] == Decimal("2000")
    timeline = merger.get(f"/projects/{keep.pk}/").context["timeline"]
    stage_rows = [e for e in timeline if e.kind == "stage"]
    assert len(stage_rows) == 4 and any("合并自" in e.body for e in stage_rows)
    assert any(e.kind == "follow_up" and e.body == "台账导入的走访记录" for e in timeline)
    from zhaoshang.core.models import ChangeRecord

    assert ChangeRecord.objects.for_object(other).exists()
