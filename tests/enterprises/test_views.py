"""The enterprise registry pages."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhaoshang.enterprises.actions import create_enterprise
from zhaoshang.enterprises.models import Tag
from zhaoshang.projects import actions

USCC = "91330100MA27XL1C4A"


@pytest.fixture
def registry(zone, other_zone, make_project, unit, other_unit):
    leader_tag = Tag.objects.get_or_create(name="行业龙头")[0]
    big = create_enterprise(zone=zone, name="天合光能股份有限公司", uscc=USCC, tags=[leader_tag])
    small = create_enterprise(zone=zone, name="阳泉小微科技有限公司")
    elsewhere = create_enterprise(zone=other_zone, name="外区企业有限公司")
    mine = make_project(name="光伏组件", investor=big, responsible_unit=unit, amount="50000", lead_on=dt.date(2025, 1, 2))
    theirs = make_project(name="光伏二期", investor=big, responsible_unit=other_unit, amount="30000", lead_on=dt.date(2025, 1, 2))
    actions.add_follow_up(mine, date=dt.date(2025, 3, 1), summary="走访天合光能")
    actions.add_follow_up(theirs, date=dt.date(2025, 3, 2), summary="别家专班的走访")
    return {"big": big, "small": small, "elsewhere": elsewhere}


def test_list_search_and_tag_filter(client, bureau_user, registry):
    client.force_login(bureau_user)
    response = client.get("/enterprises/")
    names = [e.name for e in response.context["page"].object_list]
    assert set(names) == {"天合光能股份有限公司", "阳泉小微科技有限公司"}
    assert [e.name for e in client.get("/enterprises/?q=天合").context["page"].object_list] == ["天合光能股份有限公司"]
    assert [e.name for e in client.get(f"/enterprises/?q={USCC}").context["page"].object_list] == ["天合光能股份有限公司"]
    tag = Tag.objects.get(name="行业龙头")
    tagged = client.get(f"/enterprises/?tag={tag.pk}")
    assert [e.name for e in tagged.context["page"].object_list] == ["天合光能股份有限公司"]
    assert "行业龙头" in tagged.content.decode() and USCC in tagged.content.decode()


def test_detail_shows_only_the_projects_and_follow_ups_the_viewer_may_see(client, unit_user, registry):
    client.force_login(unit_user)
    response = client.get(f"/enterprises/{registry['big'].pk}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "光伏组件" in text and "走访天合光能" in text
    assert "光伏二期" not in text and "别家专班的走访" not in text
    assert "5.00亿元" in text


def test_enterprise_of_another_zone_is_404(client, bureau_user, registry):
    client.force_login(bureau_user)
    assert client.get(f"/enterprises/{registry['elsewhere'].pk}/").status_code == 404


def test_observer_sees_no_registry(client, observer_user, registry):
    client.force_login(observer_user)
    assert client.get("/enterprises/").context["page"].paginator.count == 0
    assert client.get(f"/enterprises/{registry['big'].pk}/").status_code == 404


def test_list_query_count_is_bounded(client, bureau_user, zone, registry):
    client.force_login(bureau_user)
    with CaptureQueriesContext(connection) as few:
        client.get("/enterprises/")
    tag = Tag.objects.get(name="行业龙头")
    for i in range(30):
        create_enterprise(zone=zone, name=f"批量企业{i}", tags=[tag])
    with CaptureQueriesContext(connection) as many:
        client.get("/enterprises/")
    assert len(many) <= len(few) + 1


def test_unit_member_sees_only_the_investors_of_their_projects(client, unit_user, registry):
    client.force_login(unit_user)
    names = [e.name for e in client.get("/enterprises/").context["page"].object_list]
    assert names == ["天合光能股份有限公司"]
    assert client.get(f"/enterprises/{registry['small'].pk}/").status_code == 404
