"""项目预警: each rule at its boundary days, the zone's own thresholds, the list filter, the
counts, the API field, the pages, visibility and the daily check's once-per-change notices."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from zhaoshang.projects import actions, warnings
from zhaoshang.projects.models import Project, ProjectWarningState
from zhaoshang.projects.actions import update_warning_rules
from zhaoshang.projects.tasks import check_warnings
from zhaoshang.tickets.models import Notification

TODAY = dt.date(2026, 6, 15)


def days(n, base=TODAY):
    return base - dt.timedelta(days=n)


def light(project, today=TODAY):
    annotated = warnings.annotate(Project.objects.filter(pk=project.pk), today).get()
    return warnings.light_of(annotated)


def fresh(make_project, **fields):
    """A project with a follow-up today, so the follow-up rule stays quiet."""
    project = make_project(today=days(1), **fields)
    actions.add_follow_up(project, date=TODAY, summary="走访")
    return project


# --- the rules, each at its boundaries --------------------------------------------------------


@pytest.mark.parametrize("overdue, colour", [(0, "green"), (1, "yellow"), (29, "yellow"), (30, "red"), (45, "red")])
def test_past_planned_start_without_a_start(make_project, overdue, colour):
    project = fresh(make_project, stage="negotiating", planned_start_on=days(overdue))
    result = light(project)
    assert result.colour == colour
    if overdue:
        assert f"计划开工已过{overdue}天仍未开工" in result.reasons


def test_a_started_project_is_not_late_whatever_its_plan(make_project):
    project = fresh(make_project, signed_on=days(40), started_on=days(5), planned_start_on=days(35))
    actions.add_fund_arrival(project, date=days(1), amount="10000")
    assert light(project).colour == "green"


@pytest.mark.parametrize("signed, colour, months", [
    (dt.date(2025, 12, 16), "green", 5),   # one day short of six months
    (dt.date(2025, 12, 15), "yellow", 6),  # six months to the day
    (dt.date(2025, 6, 16), "yellow", 11),
    (dt.date(2025, 6, 15), "red", 12),
])
def test_signed_and_not_started(make_project, signed, colour, months):
    project = fresh(make_project, signed_on=signed, is_fixed_asset=False)
    result = light(project)
    assert result.colour == colour
    if colour != "green":
        assert result.reasons == [f"签约已满{months}个月仍未开工"]


@pytest.mark.parametrize("idle, colour", [(59, "green"), (60, "yellow"), (119, "yellow"), (120, "red")])
def test_no_follow_up(make_project, idle, colour):
    project = make_project(stage="negotiating", today=days(400))
    actions.add_follow_up(project, date=days(idle), summary="洽谈")
    actions.add_follow_up(project, date=TODAY + dt.timedelta(days=3), summary="日后的记录不算")
    result = light(project)
    assert result.colour == colour
    if colour != "green":
        assert result.reasons == [f"已{idle}天未跟进（最近一次：{days(idle).isoformat()}）"]


def test_a_stage_change_counts_as_contact_and_closed_projects_need_none(make_project):
    negotiating = make_project(stage="negotiating", today=days(200))
    actions.change_stage(negotiating, to_stage="signed", on=days(10))
    assert light(negotiating).colour == "green"
    producing = make_project(signed_on=days(700), started_on=days(600), producing_on=days(300), today=days(700))
    assert light(producing).colour == "green"
    dropped = make_project(stage="dropped", dropped_on=days(300), drop_reason="外迁", today=days(400))
    assert light(dropped).colour == "" and light(dropped).reasons == []
    duplicate = make_project(stage="negotiating", planned_start_on=days(50), today=days(60))
    assert light(duplicate).colour == "red"
    Project.objects.filter(pk=duplicate.pk).update(merged_into=negotiating)
    assert light(duplicate).colour == "" and light(duplicate).reasons == []


@pytest.mark.parametrize("arrived, colour", [
    # 360 days of a 720-day period: 序时进度 50%; the gap is 50 − arrived share.
    ("3000", "green"),   # 30%: 20 points behind, not more than 20
    ("2999", "yellow"),  # 29.99%: more than 20 points behind
    ("1000", "yellow"),  # 10%: 40 points behind, not more than 40
    ("999", "red"),
    ("0", "red"),
])
def test_fund_arrivals_behind_time_progress(make_project, arrived, colour):
    project = fresh(make_project, signed_on=days(360), started_on=days(300), amount="10000")
    if arrived != "0":
        actions.add_fund_arrival(project, date=days(100), amount=arrived)
    actions.add_fund_arrival(project, date=TODAY + dt.timedelta(days=1), amount="5000")  # not arrived yet
    result = light(project)
    assert result.colour == colour
    if colour == "yellow" and arrived == "1000":
        assert result.reasons == ["资金到位10%，序时进度50%，落后40个百分点"]


def test_funds_rule_only_for_fixed_asset_projects_and_capped_at_the_period(make_project):
    services = fresh(make_project, signed_on=days(360), started_on=days(300), is_fixed_asset=False)
    assert light(services).colour == "green"
    done = fresh(make_project, signed_on=days(1500), started_on=days(1400), amount="10000")
    actions.add_fund_arrival(done, date=days(100), amount="7000")
    assert light(done).colour == "yellow"  # 序时进度 stops at 100%: 30 points behind


def test_the_zones_own_rules_apply(make_project, zone, bureau_user):
    project = fresh(make_project, stage="negotiating", planned_start_on=days(10))
    assert light(project).colour == "yellow"
    update_warning_rules(zone, actor=bureau_user, late_start_red_days=10)
    assert light(project).colour == "red"
    with pytest.raises(ValidationError) as error:
        update_warning_rules(zone, actor=bureau_user, idle_yellow_days=130)
    assert "未跟进红灯（天）应大于黄灯" in str(error.value)


def test_several_reasons_red_first(make_project):
    project = make_project(signed_on=days(400), planned_start_on=days(100), is_fixed_asset=False, today=days(400))
    actions.add_follow_up(project, date=days(70), summary="走访")
    result = light(project)
    assert result.colour == "red"
    assert result.reasons == ["计划开工已过100天仍未开工", "签约已满13个月仍未开工", f"已70天未跟进（最近一次：{days(70).isoformat()}）"]


# --- filter, counts, pages, API ------------------------------------------------------------


def _three_lights(make_project, unit, other_unit, today=None):
    today = today or timezone.localdate()
    red = make_project(name="红灯项目", stage="negotiating", planned_start_on=days(40, today), responsible_unit=unit, today=days(1, today))
    yellow = make_project(name="黄灯项目", stage="negotiating", planned_start_on=days(5, today), responsible_unit=other_unit, today=days(1, today))
    green = make_project(name="绿灯项目", stage="negotiating", responsible_unit=unit, today=days(1, today))
    make_project(name="终止项目", stage="dropped", dropped_on=days(3, today), drop_reason="外迁", responsible_unit=unit, today=days(5, today))
    return red, yellow, green


def test_counts_are_one_query(make_project, unit, other_unit, django_assert_num_queries):
    _three_lights(make_project, unit, other_unit, today=TODAY)
    with django_assert_num_queries(1):
        result = warnings.counts(Project.objects.all(), TODAY)
    assert result == {"red": 1, "yellow": 1, "green": 1, "total": 3}


def test_list_filter_and_dots(client, bureau_user, make_project, unit, other_unit):
    _three_lights(make_project, unit, other_unit)
    client.force_login(bureau_user)
    names = lambda response: sorted(p.name for p in response.context["page"].object_list)  # noqa: E731
    assert names(client.get("/projects/?warning=red")) == ["红灯项目"]
    assert names(client.get("/projects/?warning=flagged")) == ["红灯项目", "黄灯项目"]
    assert names(client.get("/projects/?warning=green")) == ["绿灯项目"]
    page = client.get("/projects/").content.decode()
    assert 'data-warning="red"' in page and "计划开工已过40天仍未开工" in page
    assert client.get("/projects/?warning=purple").context["rows"].errors  # a bad value is named, not a 500


def test_detail_page_shows_the_light_with_its_reasons(client, unit_user, make_project, unit, other_unit):
    red, _yellow, green = _three_lights(make_project, unit, other_unit)
    client.force_login(unit_user)
    page = client.get(f"/projects/{red.pk}/").content.decode()
    assert 'zs-warning-light" data-warning="red"' in page and "<li>计划开工已过40天仍未开工</li>" in page
    assert 'data-warning="green"' in client.get(f"/projects/{green.pk}/").content.decode()


def test_board_cards_carry_the_dot(client, bureau_user, make_project, unit, other_unit):
    _three_lights(make_project, unit, other_unit)
    client.force_login(bureau_user)
    page = client.get("/projects/board/").content.decode()
    assert page.count('data-warning="red"') == 1 and page.count('data-warning="yellow"') == 1


def test_cockpit_counts_drill_down_and_cover_only_what_the_user_sees(client, bureau_user, unit_user, make_project, unit, other_unit):
    _three_lights(make_project, unit, other_unit)
    client.force_login(bureau_user)
    page = client.get("/cockpit/").content.decode()
    assert 'href="/projects/?warning=red"' in page
    assert 'data-warning-count="red">1<' in page and 'data-warning-count="yellow">1<' in page
    client.force_login(unit_user)
    page = client.get("/cockpit/").content.decode()
    assert 'data-warning-count="red">1<' in page and 'data-warning-count="yellow">0<' in page
    assert 'data-warning-count="green">1<' in page
    # The drill-down lists the unit's own rows only.
    listing = client.get("/projects/?warning=flagged")
    assert [p.name for p in listing.context["page"].object_list] == ["红灯项目"]


def test_workbench_lists_my_red_and_yellow_projects(client, unit_user, other_unit_user, make_project, unit, other_unit):
    _three_lights(make_project, unit, other_unit)
    client.force_login(unit_user)
    page = client.get("/").content.decode()
    assert "红灯项目" in page and "黄灯项目" not in page and "计划开工已过40天仍未开工" in page
    client.force_login(other_unit_user)
    page = client.get("/").content.decode()
    assert "黄灯项目" in page and "红灯项目" not in page


def test_api_field_and_filter(client, bureau_user, make_project, unit, other_unit):
    red, _yellow, green = _three_lights(make_project, unit, other_unit)
    client.force_login(bureau_user)
    detail = client.get(f"/api/v1/projects/{red.pk}/").json()
    assert detail["warning"] == {"colour": "red", "label": "红灯", "reasons": ["计划开工已过40天仍未开工"]}
    listing = client.get("/api/v1/projects/?warning=red").json()
    rows = listing["results"] if isinstance(listing, dict) else listing
    assert [row["name"] for row in rows] == ["红灯项目"]
    assert rows[0]["warning"]["colour"] == "red"
    green_row = client.get(f"/api/v1/projects/{green.pk}/").json()
    assert green_row["warning"] == {"colour": "green", "label": "绿灯", "reasons": []}


def test_rules_page_is_the_bureaus(client, bureau_user, unit_user, zone):
    client.force_login(unit_user)
    assert client.get("/projects/warning-rules/").status_code == 403
    client.force_login(bureau_user)
    assert client.get("/projects/warning-rules/").status_code == 200
    data = {name: value for name, value in warnings.DEFAULTS.items()}
    data["idle_red_days"] = 90
    response = client.post("/projects/warning-rules/", data)
    assert response.status_code == 302
    assert warnings.rules_for(zone).idle_red_days == 90
    data["idle_red_days"] = 30
    response = client.post("/projects/warning-rules/", data)
    assert response.status_code == 422 and "未跟进红灯（天）应大于黄灯" in response.content.decode()


# --- the daily check -----------------------------------------------------------------------


def test_daily_check_notifies_the_unit_once_per_change_of_colour(make_project, make_user, zone, unit, other_unit, unit_user, other_unit_user):
    make_user("carol", zone, "unit", unit=unit)
    project = make_project(name="逾期项目", stage="negotiating", planned_start_on=days(5), responsible_unit=unit, today=days(1))
    check_warnings(today=TODAY)
    state = ProjectWarningState.objects.get(project=project)
    assert state.colour == "yellow" and state.since == TODAY and state.reasons == ["计划开工已过5天仍未开工"]
    notices = Notification.objects.filter(text__contains="逾期项目")
    assert sorted(n.user.username for n in notices.all()) == ["alice", "carol"]
    assert "黄灯" in notices[0].text and notices[0].link == f"/projects/{project.pk}/"
    # The same colour the next day (and twice on the same day): no new notice.
    check_warnings(today=TODAY + dt.timedelta(days=1))
    check_warnings(today=TODAY + dt.timedelta(days=1))
    assert notices.count() == 2
    # Red after 30 days: one notice each; green once started: one more each.
    check_warnings(today=days(-25))
    assert notices.count() == 4 and notices.filter(text__contains="红灯").count() == 2
    actions.update_project(project, planned_start_on=days(-40))  # re-planned: not late any more
    check_warnings(today=days(-26))
    assert notices.count() == 6 and notices.filter(text__contains="绿灯").count() == 2
    assert ProjectWarningState.objects.get(project=project).colour == "green"
    assert not Notification.objects.filter(user=other_unit_user).exists()


def test_a_project_green_from_the_start_notifies_nobody(make_project, unit, unit_user):
    make_project(name="正常项目", stage="negotiating", responsible_unit=unit, today=days(1))
    sent = check_warnings(today=TODAY)
    assert sent == [] and not Notification.objects.exists()
    assert ProjectWarningState.objects.get().colour == "green"


def test_a_project_without_a_unit_notifies_the_bureau(make_project, bureau_user):
    make_project(name="无责任单位", stage="negotiating", planned_start_on=days(3), today=days(1))
    check_warnings(today=TODAY)
    assert [n.user for n in Notification.objects.all()] == [bureau_user]


def test_warning_check_command(make_project, unit, unit_user, zone, capsys):
    make_project(name="逾期项目", stage="negotiating", planned_start_on=days(5), responsible_unit=unit, today=days(1))
    call_command("warning_check", "--date", TODAY.isoformat(), "--zone", zone.code)
    out = capsys.readouterr().out
    assert "逾期项目：黄灯" in out and "颜色变化 1 个" in out


def test_dots_cost_no_query_per_row(client, bureau_user, make_project, unit, other_unit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _three_lights(make_project, unit, other_unit)
    client.force_login(bureau_user)

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = {url: queries(url) for url in ("/projects/", "/projects/board/", "/api/v1/projects/")}
    for n in range(5):
        make_project(name=f"又一个{n}", stage="negotiating", planned_start_on=days(n + 1, timezone.localdate()),
                     responsible_unit=unit)
    assert {url: queries(url) for url in before} == before


def test_daily_check_costs_no_query_for_an_unchanged_project(make_project, unit, unit_user, django_assert_max_num_queries):
    for n in range(6):
        make_project(name=f"项目{n}", stage="negotiating", planned_start_on=days(n + 1), responsible_unit=unit, today=days(1))
    check_warnings(today=TODAY)
    with django_assert_max_num_queries(2):  # the annotated rows and the checked-on update
        assert check_warnings(today=TODAY + dt.timedelta(days=1)) == []
    assert set(ProjectWarningState.objects.values_list("checked_on", flat=True)) == {TODAY + dt.timedelta(days=1)}


def test_the_daily_check_is_a_periodic_job_on_the_queue(make_project, unit, unit_user):
    from zhaoshang.core import queue
    from zhaoshang.projects.tasks import warning_check

    assert "projects.warning_check" in queue.discover()
    make_project(name="逾期项目", stage="negotiating", planned_start_on=days(5, timezone.localdate()),
                 responsible_unit=unit, today=days(6, timezone.localdate()))
    result = warning_check.enqueue()  # the tests' backend runs it at once
    assert result.return_value == 1
    assert Notification.objects.filter(user=unit_user, text__contains="黄灯").count() == 1
