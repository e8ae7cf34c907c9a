import datetime as dt
from decimal import Decimal

import pytest

from zhaoshang.core.models import OrgUnit
from zhaoshang.tickets import figures
from zhaoshang.tickets.demo import seed_demo_tickets
from zhaoshang.tickets.models import Status, Ticket


@pytest.mark.slow
def test_the_demo_tickets_load_through_the_flow(demo_zone):
    # Seeded as on the last day of 2025 Q1: the fixed fifteen, none of the later months.
    assert seed_demo_tickets(demo_zone, today=dt.date(2025, 3, 31)) == 15
    statuses = set(Ticket.objects.filter(zone=demo_zone).values_list("status", flat=True))
    assert {Status.RATED, Status.IN_PROGRESS, Status.ASSIGNED} <= statuses
    q1 = figures.department_figures(demo_zone, dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    power = OrgUnit.objects.get(zone=demo_zone, name="供电公司")
    assert q1[power.pk]["received"] == 2 and q1[power.pk]["closed_rate"] == Decimal("1.0000")
