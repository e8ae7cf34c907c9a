"""The funnel counts the projects that reached each stage by the as-of date, so it narrows
from 线索 to 投产 — a project signed and then dropped still reached 签约."""

import datetime as dt

from zhaoshang.projects import actions, kpi
from zhaoshang.projects.models import Project
from zhaoshang.projects.stages import Stage

D = dt.date.fromisoformat


def test_reached_stages_are_cumulative_and_dated(zone, make_project):
    make_project(name="线索", stage=Stage.LEAD, today=D("2024-01-10"))
    talk = make_project(name="在谈", stage=Stage.LEAD, today=D("2024-01-10"))
    actions.change_stage(talk, to_stage=Stage.NEGOTIATING, on=D("2024-03-01"))
    make_project(name="签约", signed_on="2024-02-01", today=D("2024-01-15"))
    make_project(name="开工", signed_on="2024-02-01", started_on="2024-05-01", today=D("2024-01-15"))
    make_project(name="投产", signed_on="2023-02-01", started_on="2023-05-01", producing_on="2024-06-01", today=D("2023-01-15"))
    dropped = make_project(name="签约后终止", signed_on="2024-02-10", today=D("2024-01-15"))
    actions.change_stage(dropped, to_stage=Stage.DROPPED, on=D("2024-04-01"), reason="投资方撤回")

    counts = {code: row["count"] for code, row in kpi.reached_funnel(Project.objects.filter(zone=zone), D("2024-12-31")).items()}
    assert counts == {"reached_lead": 6, "reached_negotiating": 5, "reached_signed": 4, "reached_started": 2, "reached_producing": 1}
    # Earlier, the talks had not begun and the production not happened yet.
    early = {code: row["count"] for code, row in kpi.reached_funnel(Project.objects.filter(zone=zone), D("2024-02-15")).items()}
    assert early == {"reached_lead": 6, "reached_negotiating": 4, "reached_signed": 4, "reached_started": 1, "reached_producing": 0}
    # Each stage drills down to exactly the projects counted.
    period = kpi.Period(D("2024-01-01"), D("2024-12-31"))
    names = set(kpi.projects_behind("reached_signed", Project.objects.filter(zone=zone), period).values_list("name", flat=True))
    assert names == {"签约", "开工", "投产", "签约后终止"}
