import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from zhaoshang.projects import actions
from zhaoshang.projects.models import Project, StageChange
from zhaoshang.projects.stages import Stage

D = dt.date.fromisoformat


def message(error: pytest.ExceptionInfo, field: str) -> str:
    return error.value.message_dict[field][0]


def test_a_project_moves_forward_with_a_date_for_each_stage(make_project):
    project = make_project(stage=Stage.LEAD, today=D("2024-01-02"))
    for stage, day in [(Stage.NEGOTIATING, "2024-01-10"), (Stage.SIGNED, "2024-03-05"), (Stage.STARTED, "2024-06-01"), (Stage.PRODUCING, "2025-01-20")]:
        actions.change_stage(project, to_stage=stage, on=D(day))
    project.refresh_from_db()
    assert (project.stage, project.signed_on, project.started_on, project.producing_on) == (
        Stage.PRODUCING, D("2024-03-05"), D("2024-06-01"), D("2025-01-20"))
    assert list(project.stage_changes.values_list("to_stage", flat=True)) == ["lead", "negotiating", "signed", "started", "producing"]


def test_a_forward_move_needs_its_date(make_project):
    project = make_project(stage=Stage.NEGOTIATING)
    with pytest.raises(ValidationError) as error:
        actions.change_stage(project, to_stage=Stage.SIGNED, on=None)
    assert message(error, "on") == "请填写签约日期"
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATING and project.signed_on is None


def test_a_project_cannot_start_before_it_is_signed(make_project):
    project = make_project(stage=Stage.NEGOTIATING)
    with pytest.raises(ValidationError) as error:
        actions.change_stage(project, to_stage=Stage.STARTED, on=D("2024-05-01"))
    assert message(error, "to_stage") == "项目尚未签约，不能直接进入开工阶段"


def test_dates_never_run_backwards(make_project):
    project = make_project(signed_on="2024-03-05")
    with pytest.raises(ValidationError) as error:
        actions.change_stage(project, to_stage=Stage.STARTED, on=D("2024-02-01"))
    assert message(error, "on") == "开工日期（2024-02-01）不能早于项目最近日期（2024-03-05）"
    project.refresh_from_db()
    assert project.started_on is None and project.stage == Stage.SIGNED


def test_creating_with_dates_out_of_order_is_refused_and_nothing_is_saved(make_project):
    with pytest.raises(ValidationError) as error:
        make_project(name="倒序项目", signed_on="2024-06-01", started_on="2024-05-01")
    assert message(error, "started_on") == "开工日期（2024-05-01）不能早于签约日期（2024-06-01）"
    assert not Project.objects.filter(name="倒序项目").exists()


def test_a_date_given_to_update_project_is_a_logged_correction_that_keeps_the_order(make_project):
    project = make_project(signed_on="2024-03-05", started_on="2024-06-01")
    with pytest.raises(ValidationError) as error:
        actions.update_project(project, signed_on=D("2024-07-01"))
    assert message(error, "signed_on") == "签约日期（2024-07-01）不能晚于后一阶段开工的日期（2024-06-01）"
    project = actions.update_project(project, signed_on=D("2024-04-01"), correction_reason="合同落款日期核对")
    assert project.signed_on == D("2024-04-01")
    assert [(c.old_date, c.new_date, c.reason) for c in project.date_corrections.all()] == [
        (D("2024-03-05"), D("2024-04-01"), "合同落款日期核对")]


def test_a_date_of_a_stage_not_reached_cannot_be_edited_in(make_project):
    project = make_project(signed_on="2024-03-05")
    with pytest.raises(ValidationError) as error:
        actions.update_project(project, started_on=D("2024-06-01"))
    assert message(error, "started_on") == "项目尚未开工，不能填写开工日期；请办理阶段变更"


def test_the_dates_win_over_a_stage_word_that_says_less(make_project):
    project = make_project(stage=Stage.SIGNED, signed_on="2024-03-05", started_on="2024-04-01")
    assert project.stage == Stage.STARTED


@pytest.mark.parametrize("stage", [Stage.LEAD, Stage.NEGOTIATING, Stage.SIGNED, Stage.STARTED])
def test_a_project_can_be_dropped_from_any_stage_with_a_reason(make_project, stage):
    dates = {Stage.SIGNED: {"signed_on": "2024-01-05"}, Stage.STARTED: {"signed_on": "2024-01-05", "started_on": "2024-02-01"}}
    project = make_project(stage=stage, today=D("2024-01-01"), **dates.get(stage, {}))
    with pytest.raises(ValidationError) as error:
        actions.change_stage(project, to_stage=Stage.DROPPED, on=D("2024-03-01"))
    assert message(error, "reason") == "终止项目需填写原因"
    actions.change_stage(project, to_stage=Stage.DROPPED, on=D("2024-03-01"), reason="投资方撤回")
    project.refresh_from_db()
    assert (project.stage, project.dropped_on, project.drop_reason) == (Stage.DROPPED, D("2024-03-01"), "投资方撤回")
    assert project.signed_on == (D("2024-01-05") if stage in (Stage.SIGNED, Stage.STARTED) else None)


def test_moving_back_needs_a_reason_clears_the_later_dates_and_is_recorded(make_project):
    project = make_project(signed_on="2024-03-05", started_on="2024-06-01")
    with pytest.raises(ValidationError) as error:
        actions.change_stage(project, to_stage=Stage.SIGNED, on=D("2024-06-10"))
    assert message(error, "reason") == "阶段回退或恢复终止项目需填写原因"
    change = actions.change_stage(project, to_stage=Stage.SIGNED, on=D("2024-06-10"), reason="开工信息误报")
    project.refresh_from_db()
    assert (project.stage, project.signed_on, project.started_on) == (Stage.SIGNED, D("2024-03-05"), None)
    assert change.is_backward and change.from_stage == Stage.STARTED and change.reason == "开工信息误报"


def test_a_dropped_project_can_be_revived_with_a_reason(make_project):
    project = make_project(signed_on="2024-03-05")
    actions.change_stage(project, to_stage=Stage.DROPPED, on=D("2024-05-01"), reason="暂缓")
    actions.change_stage(project, to_stage=Stage.SIGNED, on=D("2024-08-01"), reason="投资方重启项目")
    project.refresh_from_db()
    assert (project.stage, project.dropped_on, project.drop_reason, project.signed_on) == (Stage.SIGNED, None, "", D("2024-03-05"))


def test_moving_to_the_same_stage_is_refused(make_project):
    project = make_project(signed_on="2024-03-05")
    with pytest.raises(ValidationError) as error:
        actions.change_stage(project, to_stage=Stage.SIGNED, on=D("2024-04-01"))
    assert message(error, "to_stage") == "项目已处于签约阶段"


def test_a_new_signed_project_records_its_history(make_project):
    project = make_project(signed_on="2024-03-05", started_on="2024-06-01", today=D("2024-09-01"))
    rows = list(StageChange.objects.filter(project=project).values_list("to_stage", "date"))
    assert rows == [("negotiating", D("2024-03-05")), ("signed", D("2024-03-05")), ("started", D("2024-06-01"))]


def test_codes_are_generated_per_zone_and_year_and_unique(zone, make_project):
    first = make_project(signed_on="2024-03-05")
    second = make_project(signed_on="2024-04-05")
    assert (first.code, second.code) == ("TESTZONE-2024-0001", "TESTZONE-2024-0002")
    with pytest.raises(ValidationError) as error:
        make_project(code=first.code)
    assert message(error, "code") == f"项目编号“{first.code}”已存在"


def test_source_region_is_derived_from_the_province(make_project):
    cases = {"北京市": "jjj", "江苏省": "yrd", "广东省": "gba", "山西省": "home", "四川省": "other"}
    for province, region in cases.items():
        assert make_project(source_province=province).source_region == region


def test_a_stale_edit_is_refused(make_project):
    project = make_project()
    actions.update_project(project, expected_version=project.version, notes="第一人")
    with pytest.raises(actions.ConcurrentUpdate):
        actions.update_project(project, expected_version=project.version, notes="第二人")
    project.refresh_from_db()
    assert project.notes == "第一人"


def test_relations_must_belong_to_the_projects_zone(zone, other_zone, make_project):
    from zhaoshang.core.actions import create_unit

    foreign_unit = create_unit(zone=other_zone, name="外区专班", kind="task_force")
    with pytest.raises(ValidationError) as error:
        make_project(responsible_unit=foreign_unit)
    assert message(error, "responsible_unit") == "“外区专班”不属于本园区"


def test_a_fund_arrival_must_be_positive(make_project):
    project = make_project(signed_on="2024-03-05")
    with pytest.raises(ValidationError) as error:
        actions.add_fund_arrival(project, date=D("2024-04-01"), amount="-5")
    assert message(error, "amount") == "金额不能为负数"
    assert not project.fund_arrivals.exists()
