"""Finding 7: a round of 20,000 entries opens, closes and is reported on SQLite, and a unit
with 2,500 projects fills its report page by page (no TooManyFieldsSent)."""

import datetime as dt
import os
import time

import pytest
from django.conf import settings

from zhaoshang.assessment import actions
from zhaoshang.assessment.models import DispatchEntry
from zhaoshang.core.actions import create_unit
from zhaoshang.core.models import OrgUnit
from zhaoshang.projects.models import Project

D = dt.date.fromisoformat
MARCH = {"cadence": "monthly", "start": D("2025-03-01"), "end": D("2025-03-31"), "deadline": D("2025-04-03")}
UNITS, PER_UNIT = 8, int(os.environ.get("ZS_TEST_PER_UNIT", "2500"))


@pytest.fixture
def big_zone(zone):
    units = [create_unit(zone=zone, name=f"第{n}专班", kind=OrgUnit.Kind.TASK_FORCE, sort_order=n) for n in range(UNITS)]
    Project.objects.bulk_create(
        [Project(zone=zone, code=f"P{u:02d}{n:05d}", name=f"项目{u}-{n}", stage="signed", signed_on=D("2024-05-01"),
                 responsible_unit=unit) for u, unit in enumerate(units) for n in range(PER_UNIT)],
        batch_size=2000,
    )
    return units


@pytest.mark.slow
def test_a_round_of_20000_entries_opens_closes_and_reports(zone, big_zone, bureau_user):
    started = time.monotonic()
    round_ = actions.open_round(zone=zone, title="2025年3月", actor=bureau_user, **MARCH)
    assert DispatchEntry.objects.filter(report__round=round_).count() == UNITS * PER_UNIT
    closed = actions.close_round(round_, actor=bureau_user, today=D("2025-04-04"))
    assert closed.snapshot["totals"]["projects"] == UNITS * PER_UNIT
    assert DispatchEntry.objects.filter(report__round=round_, source="platform").count() == UNITS * PER_UNIT
    assert time.monotonic() - started < 300


@pytest.mark.slow
def test_a_unit_with_2500_projects_fills_its_report_page_by_page(client, zone, big_zone, bureau_user):
    round_ = actions.open_round(zone=zone, title="2025年3月", actor=bureau_user, **MARCH)
    unit = big_zone[0]
    client.force_login(bureau_user)
    url = f"/assessment/dispatch/{round_.pk}/unit/{unit.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["rows"]
    assert 0 < len(form) <= 100
    data = {}
    for row in form:
        prefix = row["form"].prefix
        data.update({f"{prefix}-progress": "完成土地预审", f"{prefix}-period_investment": "10",
                     f"{prefix}-cumulative_investment": "20", f"{prefix}-problems": "", f"{prefix}-next_steps": ""})
    assert len(data) < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    response = client.post(url + "?page=2", data)
    # The entries posted were saved; the others on other pages untouched.
    assert response.status_code == 302
    saved = DispatchEntry.objects.filter(report__round=round_, report__unit=unit, saved_at__isnull=False)
    assert saved.count() == len(form)
    assert page.context["page"].paginator.num_pages == PER_UNIT // len(form)
