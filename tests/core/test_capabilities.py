"""One permission source: what a role may do (core.permissions) is what the views let it
do and what the pages show it."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings

from zhaoshang.core import permissions
from zhaoshang.core.models import Role

pytestmark = pytest.mark.django_db

NAV = {
    "/workbench/": "工作台", "/projects/": "项目", "/enterprises/": "企业", "/tickets/": "服务诉求",
    "/assessment/": "考核调度", "/industry/": "产业链", "/cockpit/": "驾驶舱", "/ledger/": "台账",
    "/policies/": "惠企政策", "/stats/": "入统入规", "/funds/": "产业基金", "/spaces/": "载体空间", "/settings/": "设置",
    "/campaigns/": "招商活动", "/review/": "认定",
}


def nav_links(page: str) -> set[str]:
    nav = page.split('aria-label="主导航"', 1)[1].split("</ul>", 1)[0]
    return set(re.findall(r'href="(/[^"]*)"', nav))


@pytest.fixture
def leader(make_user, zone):
    return make_user("leader", zone, "leadership")


@pytest.fixture
def personas(bureau_user, unit_user, department_user, park_user, observer_user, leader):
    return {"bureau": bureau_user, "unit": unit_user, "department": department_user, "park": park_user,
            "observer": observer_user, "leadership": leader}


def test_every_capability_answers_for_every_role(personas, zone):
    for user in personas.values():
        for name in permissions.names():
            assert permissions.can(user, name, zone) in (True, False)


def test_unknown_capability_is_a_programming_error(bureau_user, zone):
    with pytest.raises(KeyError):
        permissions.can(bureau_user, "projects.fly", zone)


def test_who_creates_projects(personas, zone):
    allowed = {role for role, user in personas.items() if permissions.can(user, "projects.create", zone)}
    assert allowed == {"bureau", "unit"}


def test_funds_are_read_by_zone_wide_roles_only(personas, zone):
    allowed = {role for role, user in personas.items() if permissions.can(user, "funds.view", zone)}
    assert allowed == {"bureau", "leadership"}


def test_a_role_in_another_zone_gives_nothing_here(make_user, other_zone, zone):
    stranger = make_user("stranger", other_zone, "bureau")
    assert not permissions.can(stranger, "projects.create", zone)
    assert not permissions.can(stranger, "workbench.view", zone)
    assert permissions.can(stranger, "projects.create", other_zone)


def test_anonymous_and_inactive_users_can_nothing(bureau_user, zone):
    from django.contrib.auth.models import AnonymousUser

    assert not permissions.can(AnonymousUser(), "workbench.view", zone)
    bureau_user.is_active = False
    assert not permissions.can(bureau_user, "projects.create", zone)


def test_require_refuses_with_the_capabilitys_message(observer_user, zone):
    with pytest.raises(PermissionDenied, match="新建项目"):
        permissions.require(observer_user, "projects.create", zone)


def test_project_edit_follows_the_projects_unit(unit_user, other_unit_user, unit, make_project):
    project = make_project(responsible_unit=unit)
    assert permissions.can(unit_user, "projects.edit", obj=project)
    assert not permissions.can(other_unit_user, "projects.edit", obj=project)


def test_the_navigation_shows_what_each_role_may_open(client, personas, zone, make_project):
    for role, user in personas.items():
        client.force_login(user)
        page = client.get("/workbench/").content.decode()
        shown = nav_links(page)
        expected = {url for url, label in NAV.items()
                    if permissions.can(user, url.strip("/") + ".view", zone)}
        assert shown == expected, role
        for url in shown:
            assert client.get(url).status_code == 200, (role, url)
        for url in set(NAV) - shown:
            response = client.get(url)
            assert response.status_code == 403 or "无权查看" in response.content.decode(), (role, url)
    client.force_login(personas["observer"])
    assert "/funds/" not in nav_links(client.get("/workbench/").content.decode())


def test_new_project_button_only_for_those_who_may(client, personas):
    for role, user in personas.items():
        client.force_login(user)
        page = client.get("/workbench/").content.decode()
        assert ("/projects/new/" in page) == (role in {"bureau", "unit"}), role


def test_forbidden_area_says_no_right_to_see(client, observer_user, unit_user):
    for user in (observer_user, unit_user):
        client.force_login(user)
        response = client.get("/funds/")
        page = response.content.decode()
        assert response.status_code == 403
        assert "无权查看" in page and "尚无基金" not in page and "0.00" not in page


@pytest.mark.parametrize("role,landing", [
    ("leadership", "/cockpit/"), ("observer", "/cockpit/"), ("bureau", None), ("unit", None),
    ("department", None), ("park", None),
])
def test_landing_page_per_role(client, personas, role, landing):
    client.force_login(personas[role])
    response = client.get("/")
    if landing:
        assert response.status_code == 302 and response["Location"] == landing
        # their workbench stays one click away
        assert client.get("/workbench/").status_code == 200
    else:
        assert response.status_code == 200
        assert "zs-figures" in response.content.decode()


def test_login_lands_leadership_on_the_cockpit(client, leader):
    leader.set_password("pass-for-tests-1")
    leader.save()
    response = client.post("/accounts/login/", {"username": "leader", "password": "pass-for-tests-1"}, follow=True)
    assert response.redirect_chain[-1][0] == "/cockpit/"


def test_an_admin_with_leadership_elsewhere_still_lands_on_the_workbench(make_user, zone, client):
    from zhaoshang.core.actions import create_zone, grant_role

    user = make_user("both", zone, "admin")
    grant_role(user=user, zone=create_zone(code="z2", name="第二园区"), role=Role.LEADERSHIP)
    client.force_login(user)
    assert client.get("/").status_code == 200


def test_observer_workbench_figures_agree_with_the_cockpit(client, observer_user, zone, make_project):
    import datetime as dt

    from zhaoshang.dashboard import selectors
    from zhaoshang.projects import kpi

    today = dt.date.today()
    make_project(name="观察期签约", signed_on=today.replace(month=1, day=1).isoformat(), amount="50000")
    client.force_login(observer_user)
    part = client.get("/workbench/?part=figures").content.decode()
    cockpit_projects = selectors.figure_projects(observer_user, zone)
    figures = kpi.compute(cockpit_projects, kpi.Period.year(today.year, as_of=today))
    assert figures["signed_count"] == 1
    shown = re.search(r'data-figure="signed_count">\s*([^<]*?)\s*<', part).group(1)
    assert shown == str(figures["signed_count"]), part


@override_settings(DEBUG=True)
def test_debug_mode_shows_the_projects_own_404_page(client, unit_user, other_unit, make_project):
    hidden = make_project(responsible_unit=other_unit)
    client.force_login(unit_user)
    for url in (f"/projects/{hidden.pk}/", "/no-such-page/"):
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 404, url
        assert "页面不存在" in page and "URLconf" not in page and "Django" not in page, url


@override_settings(DEBUG=True)
def test_debug_mode_shows_the_projects_own_403_page(client, observer_user):
    client.force_login(observer_user)
    response = client.get("/projects/new/")
    assert response.status_code == 403 and "无权查看" in response.content.decode()
