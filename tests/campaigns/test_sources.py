"""Where projects came from: the figures per source equal a count by hand over the demo's
rows, drill down to exactly those rows, and respect what a user may see."""

import datetime as dt
import statistics

import pytest

from zhaoshang.campaigns import actions
from zhaoshang.campaigns.demo import seed_campaigns
from zhaoshang.campaigns.models import Source
from zhaoshang.projects import kpi
from zhaoshang.projects.models import Project

TODAY = dt.date(2026, 12, 3)


@pytest.fixture
def demo(demo_zone):
    seed_campaigns(demo_zone, TODAY)
    return demo_zone


def _by_hand(zone, period):
    """The same figures, counted row by row in Python."""
    counts = {}
    for project in Project.objects.filter(zone=zone).prefetch_related("stage_changes").select_related("source"):
        source = getattr(project, "source", None)
        key = source.kind if source else None
        lead_on = min(change.date for change in project.stage_changes.all())
        row = counts.setdefault(key, {"leads": 0, "converted": 0, "signed_count": 0, "signed_investment": 0, "days": []})
        if period.start <= lead_on <= period.cut:
            row["leads"] += 1
            if project.signed_on and project.signed_on <= period.as_of:
                row["converted"] += 1
        if project.signed_on and period.start <= project.signed_on <= period.cut:
            row["signed_count"] += 1
            row["signed_investment"] += project.total_investment
            row["days"].append((project.signed_on - lead_on).days)
    return counts


@pytest.mark.parametrize("period", [kpi.Period(dt.date(2026, 1, 1), TODAY), kpi.Period.year(2024), kpi.Period(dt.date(2023, 1, 1), TODAY)])
def test_source_figures_equal_a_hand_count_on_the_demo(demo, period):
    figures = kpi.by_source(Project.objects.filter(zone=demo), period)
    hand = _by_hand(demo, period)
    for key, row in hand.items():
        if not (row["leads"] or row["signed_count"]):
            assert key not in figures
            continue
        got = figures[key]
        assert got["leads"] == row["leads"]
        assert got["signed_count"] == row["signed_count"]
        assert got["signed_investment"] == row["signed_investment"]
        assert got["_parts"]["converted"] == row["converted"]
        expected_median = round(statistics.median(row["days"])) if row["days"] else None
        assert got["median_days_to_sign"] == expected_median


def test_the_demo_trip_brought_two_leads(demo):
    figures = kpi.by_source(Project.objects.filter(zone=demo), kpi.Period(dt.date(2026, 1, 1), TODAY))
    assert figures[Source.TRIP]["leads"] == 2


def test_a_source_figure_drills_down_to_its_rows(client, demo, make_user):
    user = make_user("bureau-demo", demo, "bureau")
    client.force_login(user)
    page = client.get("/projects/", {"figure": "source_leads", "source": "trip", "from": "2026-01-01", "to": TODAY.isoformat()}).content.decode()
    assert "迅联智能终端北方组装基地项目" in page and "云岭边缘算力中心项目" in page
    overview = client.get("/campaigns/", {"from": "2026-01-01", "to": TODAY.isoformat()}).content.decode()
    assert 'data-source="trip"' in overview


def test_a_unit_member_counts_only_their_units_projects(client, zone, unit, other_unit, unit_user, make_project):
    own = make_project(name="本专班项目", signed_on="2026-03-01", responsible_unit=unit)
    other = make_project(name="他专班项目", signed_on="2026-03-01", responsible_unit=other_unit)
    for project in (own, other):
        actions.set_project_source(project, kind=Source.WALK_IN)
    visible = Project.objects.visible_to(unit_user)
    figures = kpi.by_source(visible, kpi.Period.year(2026))
    assert figures[Source.WALK_IN]["signed_count"] == 1


def test_a_source_needs_its_reference(make_project):
    from django.core.exceptions import ValidationError

    project = make_project(name="来源项目")
    with pytest.raises(ValidationError) as error:
        actions.set_project_source(project, kind=Source.INTRODUCER)
    assert "请选择引荐人" in str(error.value)
