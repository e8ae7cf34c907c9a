import json
from decimal import Decimal
from io import BytesIO, StringIO

import openpyxl
import pytest
from django.core.management import call_command

from zhaoshang.core.actions import create_zone, grant_role
from zhaoshang.core.models import OrgUnit
from zhaoshang.dashboard.selectors import HEADLINE
from zhaoshang.projects import kpi

YEAR_2024 = {"kind": "year", "year": "2024"}


@pytest.fixture
def bureau(make_user, demo_zone):
    return make_user("chief", demo_zone, "bureau")


@pytest.fixture
def cockpit(client, bureau):
    client.force_login(bureau)

    def get(params=YEAR_2024):
        response = client.get("/cockpit/", params)
        assert response.status_code == 200
        return response

    return get


def kpi_json(*args) -> dict:
    out = StringIO()
    call_command("kpi", "--zone", "yqgxq", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def as_json_number(code, value):
    """A page figure as the command's JSON writes it: counts as integers, the rest as numbers."""
    if value is None or kpi.KINDS[code] == kpi.COUNT:
        return value
    return float(value)


@pytest.mark.parametrize("params, args", [
    (YEAR_2024, ["--from", "2024-01-01", "--to", "2024-12-31"]),
    ({"kind": "quarter", "year": "2025", "quarter": "1"}, ["--from", "2025-01-01", "--to", "2025-03-31"]),
    ({"kind": "year", "year": "2024", "as_of": "2025-06-30"}, ["--from", "2024-01-01", "--to", "2024-12-31", "--as-of", "2025-06-30"]),
    ({"kind": "custom", "start": "2024-03-01", "end": "2024-09-30"}, ["--from", "2024-03-01", "--to", "2024-09-30"]),
])
def test_each_headline_figure_equals_the_kpi_command(cockpit, params, args):
    expected = kpi_json(*args)
    headline = {row["code"]: row for row in cockpit(params).context["headline"]}
    assert list(headline) == HEADLINE
    for code in HEADLINE:
        assert as_json_number(code, headline[code]["value"]) == expected[code], code


def test_the_page_shows_the_worked_example(cockpit):
    page = cockpit().content.decode()
    assert "141.34亿元" in page and "80.65%" in page and "9.15亿元" in page and "40.44亿元" in page


def _list_totals(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["totals"]


@pytest.mark.parametrize("code", [code for code in HEADLINE if kpi.KINDS[code] != kpi.RATE])
def test_each_headline_drill_down_adds_up_to_the_figure(client, cockpit, code):
    row = next(row for row in cockpit().context["headline"] if row["code"] == code)
    totals = _list_totals(client, row["url"])
    if code in ("funds_in_place", "fai_funds_in_place"):
        assert totals["arrivals"] == row["value"]
    elif kpi.KINDS[code] == kpi.AMOUNT:
        assert totals["investment"] == row["value"]
    else:
        assert totals["count"] == row["value"]


def test_every_chart_point_drills_down_to_rows_that_add_up_to_it(client, cockpit):
    charts = cockpit().context["charts"]
    for point in charts["clusters"] + charts["chains"]:
        totals = _list_totals(client, point["url"])
        assert (totals["count"], float((totals["investment"] / 10000).quantize(Decimal("0.01")))) == (point["count"], point["value"])
    for point in charts["regions"]:
        assert _list_totals(client, point["url"])["count"] == point["value"]
    for unit in charts["units"]:
        assert _list_totals(client, unit["url"])["count"] == unit["signed"]
        assert _list_totals(client, unit["started_url"])["count"] == unit["started"]
    for point in charts["funnel"]:
        assert _list_totals(client, point["url"])["count"] == point["value"]
    for series in ("signed", "started", "signed_last_year"):
        for point in charts["months"][series]:
            assert _list_totals(client, point["url"])["count"] == point["value"]
    for point in charts["arrivals"]["this_year"]:
        totals = _list_totals(client, point["url"])
        assert float((totals.get("arrivals", Decimal(0)) / 10000).quantize(Decimal("0.01"))) == point["value"]
    assert sum(point["value"] for point in charts["regions"]) == 31
    assert sum(point["count"] for point in charts["clusters"]) == 31


def test_the_query_count_does_not_grow_with_the_data(client, cockpit, django_assert_max_num_queries, demo_zone, make_project):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        cockpit()
    for index in range(30):
        make_project(name=f"新增项目{index}", project_zone=demo_zone, signed_on="2024-05-01", started_on="2024-06-01")
    with CaptureQueriesContext(connection) as after:
        cockpit()
    assert len(after) == len(before)
    assert len(after) < 40


def test_an_observer_reads_the_figures_of_the_zone(client, make_user, demo_zone):
    client.force_login(make_user("city", demo_zone, "observer"))
    response = client.get("/cockpit/", YEAR_2024)
    assert response.status_code == 200
    assert response.context["figures"]["signed_count"] == 31


def test_a_unit_member_reads_only_its_own_units_figures(client, make_user, demo_zone):
    unit = OrgUnit.objects.get(zone=demo_zone, name="数科公司")
    client.force_login(make_user("sk", demo_zone, "unit", unit=unit))
    response = client.get("/cockpit/", YEAR_2024)
    assert response.context["figures"]["signed_count"] == 3
    assert "以下指标只统计您有权查看的项目" in response.content.decode()


def test_a_user_of_several_zones_sees_them_side_by_side_and_ranked(client, bureau, demo_zone, make_project):
    second = create_zone(code="second", name="第二开发区", province="山西省")
    grant_role(user=bureau, zone=second, role="observer")
    make_project(name="第二区项目", project_zone=second, amount="5000", signed_on="2024-04-01")
    client.force_login(bureau)
    zones = client.get("/cockpit/", YEAR_2024).context["zones"]
    assert [(row["rank"], row["zone"].code) for row in zones] == [(1, "yqgxq"), (2, "second")]
    assert zones[1]["figures"]["signed_investment"] == "0.50亿元"


def test_a_wrong_period_shows_a_message_and_this_year(cockpit):
    response = cockpit({"kind": "custom", "start": "2024-09-01", "end": "2024-01-01"})
    assert "起始日期不能晚于截止日期" in response.content.decode()


def test_the_export_holds_the_figures_and_the_charts_data(client, bureau):
    client.force_login(bureau)
    response = client.get("/cockpit/export.xlsx", YEAR_2024)
    assert response.status_code == 200
    book = openpyxl.load_workbook(BytesIO(response.content))
    figures = {row[0]: row[1] for row in book["主要指标"].iter_rows(min_row=4, values_only=True)}
    assert figures["签约项目数"] == "31" and figures["签约总投资"] == "141.34亿元" and figures["开工率"] == "80.65%"
    assert {"项目阶段", "产业集群", "产业链", "来源地", "责任单位", "月度签约开工", "月度资金到位"} <= set(book.sheetnames)


def test_the_big_screen_is_dark_and_refreshes_itself(client, bureau):
    client.force_login(bureau)
    page = client.get("/cockpit/screen/", YEAR_2024).content.decode()
    assert 'data-bs-theme="dark"' in page and 'http-equiv="refresh"' in page and "141.34亿元" in page


def test_the_cockpit_needs_a_login(client, demo_zone):
    response = client.get("/cockpit/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_ticket_slices_count_the_periods_tickets_the_viewer_may_see(client, make_user, demo_zone):
    from zhaoshang.tickets.demo import seed_demo_tickets
    from zhaoshang.tickets.models import Ticket

    seed_demo_tickets(demo_zone)
    quarter = {"kind": "quarter", "year": "2025", "quarter": "1"}
    for user in (make_user("boss", demo_zone, "bureau"),
                 make_user("sk", demo_zone, "unit", unit=OrgUnit.objects.get(zone=demo_zone, name="数科公司"))):
        client.force_login(user)
        slices = client.get("/cockpit/", quarter).context["charts"]["tickets"]
        expected = Ticket.objects.visible_to(user).filter(zone=demo_zone, raised_on__range=("2025-01-01", "2025-03-31"))
        assert sum(row["value"] for row in slices) == expected.count()
        assert all("raised_from=2025-01-01" in row["url"] for row in slices)
    assert Ticket.objects.visible_to(user).count() < Ticket.objects.filter(zone=demo_zone).count()


def _headline_tag(page: str, code: str) -> str:
    """The opening tag of a headline figure's card."""
    at = page.index(f'data-figure="{code}"')
    return page[page.rindex("<", 0, at):page.index(">", at) + 1]


def test_the_leadership_drills_down_and_an_observer_sees_plain_figures(client, demo_zone):
    from django.contrib.auth import get_user_model

    from zhaoshang.core import permissions

    users = get_user_model().objects
    leader, observer = users.get(username="demo-leader"), users.get(username="demo-observer")
    assert permissions.can(leader, "projects.view", demo_zone) and not permissions.can(observer, "projects.view", demo_zone)

    client.force_login(leader)
    response = client.get("/cockpit/", YEAR_2024)
    page = response.content.decode()
    row = next(row for row in response.context["headline"] if row["code"] == "signed_count")
    assert _headline_tag(page, "signed_count").startswith("<a ") and 'href="/projects/?' in _headline_tag(page, "signed_count")
    assert "data-no-drill" not in page and "data-warning-count" in page
    listed = client.get(row["url"])
    assert listed.status_code == 200 and listed.context["page"].paginator.count == 31
    unit = response.context["charts"]["units"][0]
    assert client.get(unit["url"]).status_code == 200
    screen = client.get("/cockpit/screen/", YEAR_2024).content.decode()
    assert _headline_tag(screen, "signed_count").startswith("<a ")

    client.force_login(observer)
    response = client.get("/cockpit/", YEAR_2024)
    page = response.content.decode()
    assert response.status_code == 200 and "141.34亿元" in page
    assert _headline_tag(page, "signed_count").startswith("<div ")
    assert 'href="/projects/' not in page  # no figure, unit count, warning light or source links to the list
    assert "data-no-drill" in page and "data-warning-count" in page
    refused = client.get(row["url"])  # where the links would have led
    assert refused.context["page"].paginator.count == 0 and "无权查看项目" in refused.content.decode()
    screen = client.get("/cockpit/screen/", YEAR_2024).content.decode()
    assert _headline_tag(screen, "signed_count").startswith("<div ") and 'href="/projects/' not in screen
