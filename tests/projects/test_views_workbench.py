"""The workbench (/): the user's projects that need attention and what changed since
their last visit."""

import datetime as dt

import pytest
from django.test import Client

from zhaoshang.projects import actions


@pytest.fixture
def today():
    return dt.date.today()


def _days(n):
    return (dt.date.today() + dt.timedelta(days=n)).isoformat()


def test_attention_lists_for_a_unit_member(client, unit_user, make_project, unit, other_unit, unit_user_today=None):
    due = make_project(name="下步到期", responsible_unit=unit, lead_on=dt.date.fromisoformat(_days(-30)))
    actions.add_follow_up(due, date=dt.date.today() - dt.timedelta(days=3), summary="洽谈", next_step="报送方案",
                          next_date=dt.date.today() - dt.timedelta(days=1))
    fresh = make_project(name="刚走访", responsible_unit=unit)
    actions.add_follow_up(fresh, date=dt.date.today(), summary="走访", next_step="再议",
                          next_date=dt.date.today() + dt.timedelta(days=30))
    make_project(name="久未跟进", responsible_unit=unit)
    make_project(name="逾期未开工", responsible_unit=unit, signed_on=_days(-90), planned_start_on=_days(-10))
    make_project(name="别家逾期", responsible_unit=other_unit, signed_on=_days(-90), planned_start_on=_days(-10))
    make_project(name="已投产", responsible_unit=unit, signed_on=_days(-300), started_on=_days(-200), producing_on=_days(-100))
    client.force_login(unit_user)
    response = client.get("/")
    assert response.status_code == 200
    lists = {group["key"]: group for group in response.context["attention"]}
    assert [p.name for p in lists["due"]["items"]] == ["下步到期"]
    assert set(p.name for p in lists["stale"]["items"]) == {"久未跟进", "逾期未开工"}
    assert [p.name for p in lists["late"]["items"]] == ["逾期未开工"]
    text = response.content.decode()
    assert "已逾期" in text and "报送方案" in text and "别家逾期" not in text


def test_changes_since_last_visit_show_others_work_only(make_user, zone, unit, make_project, bureau_user):
    me = make_user("me", zone, "unit", unit=unit)
    project = make_project(name="新能源项目", responsible_unit=unit)
    first = Client()
    first.force_login(me)
    response = first.get("/")
    assert response.context["since"] is None  # first visit: nothing to compare with
    actions.add_follow_up(project, date=dt.date.today(), summary="局里走访了企业", actor=bureau_user)
    actions.add_follow_up(project, date=dt.date.today(), summary="我自己记的", actor=me)
    actions.add_fund_arrival(project, date=dt.date.today(), amount="800", actor=bureau_user)
    # A reload in the same session keeps showing nothing new (the mark moves per session).
    assert first.get("/").context["changes"] == []
    second = Client()
    second.force_login(me)
    response = second.get("/")
    titles = [e.title for e in response.context["changes"]]
    assert any("新增跟进" in t for t in titles) and any("资金到位 800.00万元" in t for t in titles)
    assert "局里走访了企业" in response.content.decode()
    assert "我自己记的" not in response.content.decode()
    # Reloading in that session keeps the same list.
    assert len(second.get("/").context["changes"]) == 2


def test_workbench_figures_link_to_their_rows(client, bureau_user, make_project):
    make_project(name="今年签约", signed_on=dt.date.today().replace(month=1, day=1).isoformat())
    client.force_login(bureau_user)
    assert 'hx-get="/?part=figures"' in client.get("/").content.decode()
    response = client.get("/?part=figures", HTTP_HX_REQUEST="true")
    rows = {row["code"]: row for row in response.context["figures"]["rows"]}
    assert rows["signed_count"]["text"] == "1"
    listing = client.get(rows["signed_count"]["url"])
    assert [p.name for p in listing.context["page"].object_list] == ["今年签约"]


def test_workbench_needs_login(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_nav_and_zone_switcher(client, make_user, zone, other_zone):
    from zhaoshang.core.actions import grant_role

    user = make_user("two-zones", zone, "bureau")
    grant_role(user=user, zone=other_zone, role="bureau")
    client.force_login(user)
    text = client.get("/").content.decode()
    for label, href in [("工作台", "/"), ("项目", "/projects/"), ("企业", "/enterprises/"), ("服务诉求", "/tickets/"),
                        ("考核调度", "/assessment/"), ("产业链", "/industry/"), ("驾驶舱", "/cockpit/"), ("设置", "/settings/")]:
        assert f'href="{href}"' in text and label in text
    assert 'action="/settings/zone/"' in text and "另一开发区" in text and "测试高新区" in text
    assert 'action="/accounts/logout/"' in text
