"""A trip from plan to report: approval, visits that become a follow-up or a new lead,
completion, the report exported; and who may do what."""

import io

import pytest
from django.core.exceptions import ValidationError
from docx import Document
from openpyxl import load_workbook

from zhaoshang.campaigns import actions
from zhaoshang.campaigns.models import Source, Trip, TripVisit
from zhaoshang.projects.stages import Stage

from .conftest import D, TODAY


def test_it_carries_a_trip_from_plan_to_report(approved_trip, make_project, unit):
    existing = make_project(name="储能电池项目", signed_on="2026-03-01", responsible_unit=unit)
    follow = actions.add_visit(
        approved_trip, date=D("2026-05-10"), company_name="深圳储能科技有限公司", met_with="总经理",
        discussion="商谈二期扩产", outcome=TripVisit.Outcome.FOLLOW_UP, project=existing,
    )
    lead = actions.add_visit(
        approved_trip, date=D("2026-05-11"), company_name="深圳迅联智能终端有限公司", met_with="副总",
        discussion="有意建设北方基地", outcome=TripVisit.Outcome.LEAD, lead_name="迅联北方基地项目", lead_amount="30000",
    )
    assert follow.follow_up.project == existing
    assert "深圳储能科技有限公司" in follow.follow_up.summary
    project = lead.project
    assert project.stage == Stage.LEAD
    assert project.responsible_unit == unit
    assert project.total_investment == 30000
    assert project.stage_changes.get().date == D("2026-05-11")
    assert project.source.kind == Source.TRIP and project.source.trip == approved_trip
    actions.complete_trip(approved_trip, summary="拜访2家，形成线索1个", today=TODAY)
    trip = actions.report_trip(approved_trip)
    assert trip.status == Trip.Status.REPORTED
    with pytest.raises(ValidationError):
        actions.update_trip(trip, title="改名")


def test_it_refuses_visits_outside_the_trip_and_before_approval(trip, approved_trip):
    with pytest.raises(ValidationError) as error:
        actions.add_visit(approved_trip, date=D("2026-05-20"), company_name="某公司", discussion="洽谈")
    assert "出访期间" in str(error.value)


def test_it_refuses_a_visit_on_a_trip_not_yet_approved(trip):
    with pytest.raises(ValidationError) as error:
        actions.add_visit(trip, date=D("2026-05-10"), company_name="某公司", discussion="洽谈")
    assert "批准后" in str(error.value)


def test_it_refuses_a_trip_ending_before_it_starts(zone, unit):
    with pytest.raises(ValidationError) as error:
        actions.create_trip(zone=zone, title="赴京", unit=unit, start_on=D("2026-05-10"), end_on=D("2026-05-09"),
                            city="北京市", purpose="招商")
    assert "返回日期" in str(error.value)


def test_it_derives_the_destination_region(zone, unit):
    trip = actions.create_trip(zone=zone, title="赴京", unit=unit, start_on=D("2026-05-10"), end_on=D("2026-05-10"),
                               province="北京市", city="北京市", purpose="招商")
    assert trip.get_region_display() == "京津冀"


def test_the_report_exports_every_visit(client, approved_trip, bureau_user):
    actions.add_visit(approved_trip, date=D("2026-05-10"), company_name='=HYPERLINK("http://x","y")', discussion="洽谈储能")
    actions.complete_trip(approved_trip, summary="拜访1家", today=TODAY)
    client.force_login(bureau_user)
    response = client.get(f"/campaigns/trips/{approved_trip.pk}/report.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row if cell.value}
    assert '=HYPERLINK("http://x","y")' in cells and cells['=HYPERLINK("http://x","y")'].data_type == "s"
    assert "拜访1家" in cells
    response = client.get(f"/campaigns/trips/{approved_trip.pk}/report.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "关于赴深圳招商的情况报告" in text and "共拜访企业1家" in text


def test_a_unit_member_records_a_lead_on_their_units_trip(client, approved_trip, unit_user, other_unit_user):
    data = {"date": "2026-05-11", "company_name": "深圳云岭算力科技有限公司", "met_with": "董事长", "discussion": "洽谈算力中心",
            "outcome": "lead", "lead_name": "云岭算力中心项目", "lead_amount": "18000"}
    client.force_login(other_unit_user)
    assert client.post(f"/campaigns/trips/{approved_trip.pk}/", data).status_code in (403, 404)
    assert not TripVisit.objects.exists()
    client.force_login(unit_user)
    response = client.post(f"/campaigns/trips/{approved_trip.pk}/", data, follow=True)
    assert "已记录拜访，并形成新线索“云岭算力中心项目”" in response.content.decode()
    assert approved_trip.visits.get().project.name == "云岭算力中心项目"


def test_only_approvers_approve(client, trip, unit_user, bureau_user):
    client.force_login(unit_user)
    assert client.post(f"/campaigns/trips/{trip.pk}/approve/").status_code == 403
    trip.refresh_from_db()
    assert trip.status == Trip.Status.PLANNED
    client.force_login(bureau_user)
    client.post(f"/campaigns/trips/{trip.pk}/approve/")
    trip.refresh_from_db()
    assert trip.status == Trip.Status.APPROVED


def test_observers_do_not_read_trips(client, trip, observer_user):
    client.force_login(observer_user)
    assert client.get("/campaigns/trips/").status_code == 403
    assert client.get(f"/campaigns/trips/{trip.pk}/").status_code == 404


def test_a_bad_visit_form_says_what_is_missing(client, approved_trip, unit_user):
    client.force_login(unit_user)
    response = client.post(f"/campaigns/trips/{approved_trip.pk}/", {"date": "2026-05-11", "company_name": "", "discussion": "x", "outcome": "lead"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "请填写拜访企业" in page and "请填写新线索的项目名称" in page


def test_a_visit_to_a_target_company_is_on_its_trail_and_its_conversion_is_credited(approved_trip, zone):
    from zhaoshang.industry import actions as industry_actions
    from zhaoshang.industry.models import ApproachStatus

    target = industry_actions.create_target(zone=zone, name="深圳华拓新能源有限公司", province="广东省", city="深圳市")
    actions.add_visit(approved_trip, date=D("2026-05-12"), company_name=target.name, discussion="介绍储能配套政策",
                      outcome=TripVisit.Outcome.TARGET, target=target)
    target.refresh_from_db()
    assert target.status == ApproachStatus.CONTACTED and target.last_contacted_on == D("2026-05-12")
    assert "介绍储能配套政策" in target.follow_ups.get().summary
    project = industry_actions.convert_to_lead(target, today=D("2026-06-01"))
    assert project.source.kind == Source.RECOMMENDATION and project.source.target == target
