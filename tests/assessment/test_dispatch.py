"""Dispatch rounds: opened per unit and active project, pre-filled from the platform,
reported, closed and frozen, with the round's report."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from zhaoshang.assessment import actions, dispatch
from zhaoshang.assessment.models import DispatchEntry, DispatchRound
from zhaoshang.projects import actions as project_actions
from zhaoshang.projects.models import Project

D = dt.date.fromisoformat
MARCH = {"cadence": "monthly", "start": D("2025-03-01"), "end": D("2025-03-31"), "deadline": D("2025-04-03")}


@pytest.fixture
def projects(unit, other_unit, make_project):
    battery = make_project(name="电池材料项目", responsible_unit=unit, signed_on="2025-01-10", planned_start_on="2025-04-15")
    project_actions.add_follow_up(battery, date=D("2025-03-05"), summary="对接用地规划", next_step="签订供地协议",
                                  next_date=D("2025-04-20"))
    project_actions.add_fund_arrival(battery, date=D("2025-02-10"), amount="500")
    project_actions.add_fund_arrival(battery, date=D("2025-03-12"), amount="300")
    quiet = make_project(name="停滞项目", responsible_unit=unit, signed_on="2024-06-01", started_on="2024-08-01")
    talks = make_project(name="在谈项目", responsible_unit=other_unit, stage="negotiating")
    make_project(name="线索项目", responsible_unit=unit)  # a lead is not dispatched
    make_project(name="已投产项目", responsible_unit=unit, signed_on="2023-01-01", started_on="2023-02-01",
                 producing_on="2024-01-01")
    return {"battery": battery, "quiet": quiet, "talks": talks}


def entry_of(round_, project) -> DispatchEntry:
    return DispatchEntry.objects.get(report__round=round_, project=project)


def test_opening_a_round_lists_each_units_active_projects(zone, unit, other_unit, projects, bureau_user):
    round_ = actions.open_round(zone=zone, title="2025年3月第1期", actor=bureau_user, **MARCH)
    names = {r.unit.name: sorted(e.project_name for e in r.entries.all()) for r in round_.unit_reports.all()}
    assert names == {unit.name: ["停滞项目", "电池材料项目"], other_unit.name: ["在谈项目"]}
    with pytest.raises(ValidationError, match="已有名为"):
        actions.open_round(zone=zone, title="2025年3月第1期", **MARCH)
    with pytest.raises(ValidationError, match="不能早于开始日期"):
        actions.open_round(zone=zone, title="倒序", cadence="weekly", start=D("2025-03-08"), end=D("2025-03-01"),
                           deadline=D("2025-03-09"))


def test_the_form_is_prefilled_from_the_window(zone, projects):
    round_ = actions.open_round(zone=zone, title="3月", **MARCH)
    entry = entry_of(round_, projects["battery"])
    values = dispatch.prefill(round_, [entry])[entry.pk]
    assert "3月5日走访：对接用地规划" in values["progress"]
    assert "3月12日资金到位300万元" in values["progress"]
    assert values["period_investment"] == Decimal("300.00")
    assert values["cumulative_investment"] == Decimal("800.00")
    assert values["next_steps"] == "签订供地协议（2025-04-20前）"
    quiet = entry_of(round_, projects["quiet"])
    assert dispatch.prefill(round_, [quiet])[quiet.pk]["progress"] == ""


def test_bad_figures_are_refused_with_a_clear_message(zone, projects):
    round_ = actions.open_round(zone=zone, title="3月", **MARCH)
    entry = entry_of(round_, projects["battery"])
    with pytest.raises(ValidationError, match="本期完成投资“abc”不是有效的金额"):
        actions.save_entry(entry, progress="x", period_investment="abc")
    with pytest.raises(ValidationError, match="累计完成投资不能小于本期完成投资"):
        actions.save_entry(entry, progress="x", period_investment="500", cumulative_investment="100")
    entry.refresh_from_db()
    assert entry.saved_at is None and entry.progress == ""


def test_closed_round_is_frozen_and_its_report_unchanged_by_later_edits(zone, unit, other_unit, projects, unit_user, bureau_user):
    round_ = actions.open_round(zone=zone, title="2025年3月第1期", **MARCH)
    actions.save_entry(entry_of(round_, projects["battery"]), progress="完成土地预审", period_investment="300",
                       cumulative_investment="800", problems="缺少施工用电", next_steps="办理施工许可", actor=unit_user)
    report = round_.unit_reports.get(unit=unit)
    actions.submit_unit_report(report, actor=unit_user)
    data = dispatch.report_data(round_)
    assert data["not_reported"] == [other_unit.name]

    closed = actions.close_round(round_, actor=bureau_user, today=D("2025-04-04"))
    assert closed.status == DispatchRound.Status.CLOSED
    talks = entry_of(closed, projects["talks"])
    assert talks.source == DispatchEntry.Source.PLATFORM  # never filled: platform data kept
    docx_before, xlsx_before, snapshot_before = bytes(closed.report_docx), bytes(closed.report_xlsx), closed.snapshot
    text = "\n".join(p.text for p in Document(io.BytesIO(docx_before)).paragraphs)
    assert "未报送单位：数字经济专班" in text
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in Document(io.BytesIO(docx_before)).tables]
    row = next(r for t in tables for r in t if r[0] == "电池材料项目")
    assert row[1:5] == ["完成土地预审", "300万元", "800万元", "缺少施工用电"]
    milestones = next(t for t in tables if t[0] == ["日期", "项目", "责任单位", "事项"])
    assert ["2025-04-15", "电池材料项目", unit.name, "计划开工"] in milestones
    sheet = load_workbook(io.BytesIO(xlsx_before))["项目进展"]
    assert any(r[3] == "电池材料项目" and r[6] == 300 for r in sheet.iter_rows(min_row=3, values_only=True))

    with pytest.raises(ValidationError, match="已关闭"):
        actions.save_entry(entry_of(closed, projects["battery"]), progress="改")
    with pytest.raises(ValidationError, match="已关闭"):
        actions.close_round(closed)

    project_actions.update_project(projects["battery"], name="电池材料项目（更名）")
    project_actions.add_fund_arrival(projects["battery"], date=D("2025-03-20"), amount="999")
    again = DispatchRound.objects.get(pk=closed.pk)
    assert bytes(again.report_docx) == docx_before and bytes(again.report_xlsx) == xlsx_before
    assert again.snapshot == snapshot_before
    assert entry_of(again, projects["battery"]).project_name == "电池材料项目"


def test_projects_without_progress_for_two_rounds(zone, unit, projects):
    first = actions.open_round(zone=zone, title="2月", cadence="monthly", start=D("2025-02-01"), end=D("2025-02-28"),
                               deadline=D("2025-03-03"))
    first = actions.close_round(first, today=D("2025-03-04"))
    second = actions.close_round(actions.open_round(zone=zone, title="3月", **MARCH), today=D("2025-04-04"))
    stalled = {s["name"]: s["rounds"] for s in second.snapshot["stalled"]}
    # 停滞项目 had nothing in February or March; 电池材料项目 had a follow-up in March; 在谈项目 nothing either.
    assert stalled == {"停滞项目": 2, "在谈项目": 2}
    assert first.snapshot["stalled"] == []


def test_a_problem_becomes_a_ticket_in_one_step_and_overdue_tickets_are_reported(zone, unit, department, projects,
                                                                                 unit_user, bureau_user):
    from zhaoshang.tickets.actions import raise_ticket
    from zhaoshang.tickets.models import Ticket

    old = raise_ticket(zone=zone, category="用地", title="土地指标未落实", project=projects["quiet"], actor=bureau_user,
                       department=department, raised_on=D("2025-02-03"),
                       at=timezone.make_aware(dt.datetime(2025, 2, 3, 9, 0)))
    round_ = actions.open_round(zone=zone, title="3月", **MARCH)
    entry = entry_of(round_, projects["battery"])
    assert "土地指标未落实" in dispatch.prefill(round_, [entry_of(round_, projects["quiet"])])[entry_of(round_, projects["quiet"]).pk]["problems"]
    actions.save_entry(entry, progress="推进中", problems="施工用电尚未接入\n需供电公司协调", actor=unit_user)
    code = actions.raise_ticket_from_entry(entry, actor=unit_user, category="水电热气")
    ticket = Ticket.objects.get(zone=zone, code=code)
    assert ticket.title == "施工用电尚未接入" and ticket.project == projects["battery"] and ticket.channel == "dispatch"
    assert "3月调度提出" in ticket.description
    with pytest.raises(ValidationError, match="已转为诉求"):
        actions.raise_ticket_from_entry(entry, actor=unit_user)
    closed = actions.close_round(round_, today=D("2025-04-04"))
    overdue = closed.snapshot["overdue_tickets"]
    assert [o["code"] for o in overdue] == [old.code]
    assert overdue[0]["department"] == department.name and overdue[0]["days_overdue"] > 0
    assert overdue[0]["step"] == "受理"  # never acknowledged: late since its deadline to acknowledge
    assert entry_of(closed, projects["battery"]).ticket_ref == code


def test_photos_must_be_images(zone, projects, unit_user, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path

    round_ = actions.open_round(zone=zone, title="3月", **MARCH)
    entry = entry_of(round_, projects["battery"])
    with pytest.raises(ValidationError, match="不是 JPG、PNG"):
        actions.add_photo(entry, upload=SimpleUploadedFile("x.jpg", b"not an image"), actor=unit_user)
    photo = actions.add_photo(entry, upload=SimpleUploadedFile("site.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20), actor=unit_user)
    assert photo.name == "site.png" and entry.photos.count() == 1
    assert (tmp_path / photo.file.name).read_bytes().startswith(b"\x89PNG")


def test_next_window(zone, projects):
    monthly = actions.open_round(zone=zone, title="m", **MARCH)
    assert dispatch.next_window_end(monthly) == D("2025-04-30")
    weekly = actions.open_round(zone=zone, title="w", cadence="weekly", start=D("2025-03-03"), end=D("2025-03-09"),
                                deadline=D("2025-03-10"))
    assert dispatch.next_window_end(weekly) == D("2025-03-16")
    assert Project.objects.filter(zone=zone).count() == 5


def test_upcoming_steps_leave_out_next_steps_a_stage_change_closed(zone, other_unit, projects, make_project):
    talks = make_project(name="洽谈签约项目", responsible_unit=other_unit, stage="negotiating",
                         negotiating_on=D("2025-02-01"))
    project_actions.add_follow_up(talks, date=D("2025-03-10"), summary="洽谈合同条款", next_step="安排签约",
                                  next_date=D("2025-04-10"))
    project_actions.change_stage(talks, to_stage="signed", on=D("2025-03-20"))
    round_ = actions.open_round(zone=zone, title="3月", **MARCH)

    upcoming = [(m["name"], m["what"]) for m in dispatch.milestones(round_)]
    assert ("电池材料项目", "签订供地协议") in upcoming  # still open
    assert ("洽谈签约项目", "安排签约") not in upcoming  # closed when the project signed
    assert [m for m in dispatch.report_data(round_)["milestones"] if m["name"] == "洽谈签约项目"] == []
    entry = entry_of(round_, talks)
    assert dispatch.prefill(round_, [entry])[entry.pk]["next_steps"] == ""
    battery = entry_of(round_, projects["battery"])
    assert dispatch.prefill(round_, [battery])[battery.pk]["next_steps"] == "签订供地协议（2025-04-20前）"
