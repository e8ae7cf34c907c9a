"""One allocator for project codes and ticket numbers: in order, past codes made before it,
never the same code twice, even from simultaneous creates on PostgreSQL."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction

from zhaoshang.core import numbering
from zhaoshang.core.models import Sequence
from zhaoshang.projects import actions
from zhaoshang.projects.models import Project

D = dt.date.fromisoformat


def create(zone, name, **fields):
    return actions.create_project(zone=zone, name=name, total_investment=Decimal("100"), signed_on=D("2024-05-01"), **fields)


def test_codes_follow_each_other_per_zone_and_year(zone, other_zone):
    assert create(zone, "一").code == "TESTZONE-2024-0001"
    assert create(zone, "二").code == "TESTZONE-2024-0002"
    assert create(other_zone, "外区").code == "OTHERZONE-2024-0001"
    assert actions.create_project(zone=zone, name="明年", signed_on=D("2025-01-02")).code == "TESTZONE-2025-0001"
    assert Sequence.objects.get(zone=zone, kind="project", year=2024).last == 2


def test_numbering_starts_after_codes_made_before_it_and_skips_typed_ones(zone):
    create(zone, "台账里的", code="TESTZONE-2024-0041")
    assert create(zone, "新的").code == "TESTZONE-2024-0042"
    create(zone, "手填的", code="TESTZONE-2024-0043")
    assert create(zone, "再一个").code == "TESTZONE-2024-0044"


def test_a_create_rolled_back_gives_its_number_back(zone):
    with pytest.raises(RuntimeError), transaction.atomic():
        create(zone, "作废")
        raise RuntimeError
    assert create(zone, "保留").code == "TESTZONE-2024-0001"


def test_a_block_is_consecutive(zone):
    assert numbering.allocate(zone, "test", 2024, count=5) == 1
    assert numbering.allocate(zone, "test", 2024) == 6


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="simultaneous writers need PostgreSQL")
def test_simultaneous_creates_on_postgresql_get_distinct_codes(zone):
    from zhaoshang.tickets.actions import next_code as ticket_code

    threads, per_thread = 8, 5
    codes, tickets, errors = [], [], []
    start = threading.Barrier(threads)

    def work(index):
        try:
            start.wait()
            for round_ in range(per_thread):
                with transaction.atomic():  # as a request's create: the number and the row commit together
                    codes.append(create(zone, f"并发{index}-{round_}").code)
                tickets.append(ticket_code(zone, 2024))
        except Exception as error:  # noqa: BLE001 - the test reports any failure of any thread
            errors.append(repr(error))
        finally:
            connections.close_all()  # each thread's own connection

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert len(set(codes)) == len(codes) == threads * per_thread == Project.objects.filter(zone=zone).count()
    assert sorted(codes) == [f"TESTZONE-2024-{n:04d}" for n in range(1, threads * per_thread + 1)]
    assert len(set(tickets)) == threads * per_thread
