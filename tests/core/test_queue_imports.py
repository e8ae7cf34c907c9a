"""Ledger imports on the task queue: a worker killed mid-import leaves no claim that blocks the
job's retry, and an import does not hold the write lock while it reads the file."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from zhaoshang.core.actions import create_zone
from zhaoshang.core.models import WorkerBeat, Zone
from zhaoshang.ledger.actions import import_ledger
from zhaoshang.ledger.models import ImportLock
from zhaoshang.projects.models import Project
from tests.core.test_queue import SAMPLE, site  # noqa: F401 (the fixture)


KILLED = """
import datetime as dt
from pathlib import Path
from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from zhaoshang.core.models import WorkerBeat, Zone
from zhaoshang.ledger import jobs
from zhaoshang.ledger.models import ImportJob, ImportLock
settings.ZHAOSHANG_LEDGER_BACKGROUND_BYTES = 0
path = Path(settings.MEDIA_ROOT) / "台账.xlsx"
path.parent.mkdir(parents=True, exist_ok=True)
path.write_bytes(Path({sample!r}).read_bytes())
zone = Zone.objects.get(code="q")
# The sample's units, parks and leaders are new to the zone: the mapping step's answers (新建).
from zhaoshang.ledger.actions import import_ledger
from zhaoshang.ledger.names import NameAnswers
asked = import_ledger(path, zone=zone, dry_run=True, names=NameAnswers()).unknown_names
answers = {{}}
for item in asked:
    answers.setdefault(item["kind"], {{}})[item["name"]] = "新建"
job = ImportJob.objects.create(zone=zone, filename="台账.xlsx", stored_path=str(path), size=path.stat().st_size, answers=answers)
jobs.start(job, dry_run=False)
# What kill -9 of its worker in the middle of writing leaves: the import's transaction rolled
# back, but its claim on the zone, the job shown as importing at 7 of 14 rows, and the task
# still marked running by a worker that no longer beats.
now = timezone.now()
WorkerBeat.objects.create(worker_id="killed-1", seen_at=now - dt.timedelta(minutes=2))
DBTaskResult.objects.filter(task_path="zhaoshang.ledger.tasks.run_import").update(
    status=TaskResultStatus.RUNNING, worker_ids=["killed-1"], started_at=now - dt.timedelta(minutes=1))
ImportLock.objects.create(zone=zone, held_since=now - dt.timedelta(minutes=1), held_by=job.filename, worker_id="killed-1")
ImportJob.objects.filter(pk=job.pk).update(rows_done=7, rows_total=14, phase="write")
"""

STATE = """
from django_tasks_db.models import DBTaskResult
from zhaoshang.ledger.models import ImportJob, ImportLock
from zhaoshang.projects.models import Project
job, task = ImportJob.objects.get(), DBTaskResult.objects.get(task_path="zhaoshang.ledger.tasks.run_import")
lock = ImportLock.objects.get()
print(job.status, job.percent, task.status, len(task.worker_ids), Project.objects.filter(zone__code="q").count(),
      lock.held_since is None)
"""


@pytest.mark.slow
def test_a_killed_workers_import_is_queued_again_and_done(site):
    site("shell", "-v0", "-c", KILLED.format(sample=str(SAMPLE)))
    # A restarted web process reads the progress the dead worker left on the job's row.
    assert site("shell", "-v0", "-c", STATE).split() == ["importing", "50", "RUNNING", "1", "0", "False"]
    assert "已处理失去进程的任务" in site("scheduler", "--once")
    assert site("shell", "-v0", "-c", STATE).split() == ["importing", "50", "READY", "1", "0", "False"]
    site("worker", "--batch", "-v0")
    # Its own claim, left by the dead worker, did not refuse the retry; the claim is given back.
    assert site("shell", "-v0", "-c", STATE).split() == ["done", "100", "SUCCESSFUL", "2", "6", "True"]


@pytest.mark.django_db(transaction=True)
def test_a_claim_whose_worker_still_beats_still_refuses(zone, tmp_path, settings):
    ImportLock.objects.create(zone=zone, held_since=timezone.now() - dt.timedelta(minutes=1), held_by="第一份.xlsx",
                              worker_id="alive-1")
    WorkerBeat.objects.create(worker_id="alive-1", seen_at=timezone.now())
    path = tmp_path / "台账.xlsx"
    path.write_bytes(SAMPLE.read_bytes())
    result = import_ledger(path, zone=zone, filename="第二份.xlsx")
    assert [issue.message for issue in result.errors][0].startswith("本园区正在导入另一份台账（“第一份.xlsx”")
    assert not Project.objects.filter(zone=zone).exists()
    lock = ImportLock.objects.get(zone=zone)
    assert (lock.held_by, lock.worker_id) == ("第一份.xlsx", "alive-1")
    # Once that worker has stopped beating (killed), the next import goes through and gives the claim back.
    WorkerBeat.objects.filter(worker_id="alive-1").update(seen_at=timezone.now() - dt.timedelta(minutes=5))
    result = import_ledger(path, zone=zone, filename="第二份.xlsx")
    assert result.ok and Project.objects.filter(zone=zone).count() == 6
    assert ImportLock.objects.filter(zone=zone, held_since=None, held_by="", worker_id="").exists()


@pytest.mark.django_db(transaction=True)
def test_an_import_reads_its_file_outside_any_transaction(zone, tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(SAMPLE.read_bytes())
    seen = {}

    def progress(done, total, phase=""):
        seen.setdefault(phase, connection.in_atomic_block)
        if phase == "read" and "other" not in seen:
            # Another writer (a page saving a follow-up), on a connection of its own, is not
            # kept waiting while the file is read: on SQLite it would be, for the whole read.
            def write():
                try:
                    seen["other"] = create_zone(code="otherzone", name="另一园区", province="山西省").pk
                finally:
                    connection.close()

            other = threading.Thread(target=write)
            other.start()
            other.join(timeout=10)
            assert not other.is_alive()

    result = import_ledger(path, zone=zone, filename="台账.xlsx", progress=progress)
    assert result.ok and Project.objects.filter(zone=zone).count() == 6
    assert seen["read"] is False and seen["write"] is True
    assert Zone.objects.filter(pk=seen["other"], code="otherzone").exists()
