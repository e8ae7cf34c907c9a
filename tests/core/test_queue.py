"""The task queue: periodic jobs, lost workers, jobs that outlive the web process."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from zhaoshang.core import queue
from zhaoshang.core.models import PeriodicRun, WorkerBeat
from zhaoshang.ledger import jobs
from zhaoshang.ledger.models import ImportJob
from zhaoshang.projects.models import Project

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "ledger" / "samples" / "ledger_sample_yiyuan.xlsx"
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def queued(settings):
    """Jobs go to the database queue (as in production) instead of running at once."""
    settings.TASKS = DATABASE_BACKEND
    return settings


def big_job(zone, user, tmp_path, settings):
    settings.ZHAOSHANG_LEDGER_BACKGROUND_BYTES = 0
    path = tmp_path / SAMPLE.name
    path.write_bytes(SAMPLE.read_bytes())
    return ImportJob.objects.create(zone=zone, created_by=user, filename=path.name, stored_path=str(path), size=path.stat().st_size)


def test_the_daily_overdue_check_is_registered(capsys):
    assert "tickets.overdue_check" in queue.discover()
    call_command("scheduler", "--list")
    assert "tickets.overdue_check\tdaily\t07:00" in capsys.readouterr().out


def test_every_periodic_job_of_the_platform_is_registered_with_its_schedule(capsys):
    call_command("scheduler", "--list")
    listed = sorted(capsys.readouterr().out.splitlines())
    assert listed == ["campaigns.tickets_due_soon\tdaily\t08:00", "campaigns.webhook_retries\thourly\t00:05",
                      "core.purge_uploads\tdaily\t03:00", "projects.warning_check\tdaily\t06:30",
                      "tickets.overdue_check\tdaily\t07:00"]
    # each names a task the worker can run
    assert all(queue.resolve_task(job.task.module_path) is job.task for job in queue.discover().values())


def test_a_periodic_job_is_enqueued_once_per_period(db, queued):
    day = dt.date(2026, 3, 2)
    at = lambda hour, minute=0, plus=0: dt.datetime(day.year, day.month, day.day + plus, hour, minute, tzinfo=SHANGHAI)  # noqa: E731
    assert "tickets.overdue_check 2026-03-02" not in queue.enqueue_due(at(6, 59))
    assert "tickets.overdue_check 2026-03-02" in queue.enqueue_due(at(7, 1))
    # A second scheduler (another worker) in the same day finds the period claimed.
    assert "tickets.overdue_check 2026-03-02" not in queue.enqueue_due(at(7, 1))
    assert "tickets.overdue_check 2026-03-02" not in queue.enqueue_due(at(23, 0))
    assert "tickets.overdue_check 2026-03-03" in queue.enqueue_due(at(9, 0, plus=1))
    runs = PeriodicRun.objects.filter(name="tickets.overdue_check")
    assert sorted(runs.values_list("period", flat=True)) == ["2026-03-02", "2026-03-03"]
    assert DBTaskResult.objects.filter(task_path="zhaoshang.tickets.tasks.overdue_check").count() == 2


def test_a_dead_workers_job_is_queued_again_then_failed(zone, bureau_user, tmp_path, queued):
    job = big_job(zone, bureau_user, tmp_path, queued)
    assert jobs.start(job, dry_run=True) is True
    task = DBTaskResult.objects.get()
    now = timezone.now()
    # A worker claims it and dies: no beat for longer than the stale limit.
    WorkerBeat.objects.create(worker_id="dead-1", seen_at=now - dt.timedelta(minutes=5))
    DBTaskResult.objects.filter(pk=task.pk).update(status=TaskResultStatus.RUNNING, worker_ids=["dead-1"],
                                                   started_at=now - dt.timedelta(minutes=1))
    assert queue.recover_lost_jobs(now) == [str(task.pk)]
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY
    # The second worker dies too: the job has had its attempts and fails, and so does the import.
    DBTaskResult.objects.filter(pk=task.pk).update(status=TaskResultStatus.RUNNING, worker_ids=["dead-1", "dead-2"],
                                                   started_at=now - dt.timedelta(minutes=1))
    assert queue.recover_lost_jobs(now) == [str(task.pk)]
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED and task.exception_class_path.endswith("WorkerLost")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "后台任务进程中断" in job.message


def test_a_job_whose_worker_still_beats_is_left_alone(db, queued):
    from tests.core.queue_tasks import nap

    result = nap.enqueue(1)
    now = timezone.now()
    WorkerBeat.objects.create(worker_id="alive", seen_at=now)
    DBTaskResult.objects.filter(pk=result.id).update(status=TaskResultStatus.RUNNING, worker_ids=["alive"],
                                                     started_at=now - dt.timedelta(hours=1))
    assert queue.recover_lost_jobs(now) == []
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING


def test_a_stored_task_path_is_resolved_only_when_its_code_exists():
    from tests.core.queue_tasks import nap

    assert queue.resolve_task("tests.core.queue_tasks.nap") is nap
    # a module that is gone, a package that is gone, a name that is gone, a name that is not a task,
    # a path under a plain module (not a package)
    for path in ["tests.core.queue_tasks_removed.nap", "zhaoshang.gone.tasks.run", "tests.core.queue_tasks.gone",
                 "tests.core.queue_tasks.time", "tests.core.queue_tasks.nap.inner", "nap", ""]:
        assert queue.resolve_task(path) is None, path


def test_a_lost_job_whose_task_code_is_gone_is_failed_with_a_clear_message(db, queued):
    from tests.core.queue_tasks import nap

    result = nap.enqueue(1)
    now = timezone.now()
    # An upgrade renamed the task while a worker that then died was running it: it still had an
    # attempt left, but running it again cannot work.
    DBTaskResult.objects.filter(pk=result.id).update(status=TaskResultStatus.RUNNING, worker_ids=["dead-1"],
                                                     started_at=now - dt.timedelta(minutes=1),
                                                     task_path="tests.core.queue_tasks_removed.nap")
    assert queue.recover_lost_jobs(now) == [str(result.id)]
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.FAILED and row.exception_class_path == "zhaoshang.core.queue.TaskGone"
    assert row.traceback == ("task tests.core.queue_tasks_removed.nap no longer exists in this version of the platform; "
                             "not run again\n")
    assert row.finished_at == now
    # A second round leaves it alone.
    assert queue.recover_lost_jobs(now) == []


@pytest.mark.django_db(transaction=True)
def test_a_worker_runs_a_queued_import_and_writes_its_progress(zone, bureau_user, tmp_path, queued, monkeypatch):
    # The test database is SQLite's shared in-memory one, whose table locks fail at once
    # instead of waiting: the heartbeat thread's writes would collide with the worker's claim.
    # Here the housekeeping runs only at start and close, on this thread; beats and progress
    # written from a thread are covered by the subprocess tests below (a file database).
    monkeypatch.setattr(queue.Heartbeat, "_run", lambda self: None)
    job = big_job(zone, bureau_user, tmp_path, queued)
    jobs.start(job, dry_run=True)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKING
    call_command("worker", "--batch", verbosity=0)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED and job.rows_done == job.rows_total == 14
    # The sample's units and leaders are new to the zone: the mapping step's answers (新建).
    job.answers = {item["kind"]: {} for item in job.preview["unknown_names"]}
    for item in job.preview["unknown_names"]:
        job.answers[item["kind"]][item["name"]] = "新建"
    job.save(update_fields=["answers"])
    jobs.start(job, dry_run=False)
    call_command("worker", "--batch", verbosity=0)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and Project.objects.filter(zone=zone).count() == 6
    # the two ledger jobs (periodic jobs the worker enqueued on its round may have run too)
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL, task_path__startswith="zhaoshang.ledger.").count() == 2
    assert not WorkerBeat.objects.exists()  # a worker that stops cleanly takes its beat with it


# ---------------------------------------------------------------- separate processes

SETUP = """
from django.contrib.auth import get_user_model
from zhaoshang.core.actions import create_zone, grant_role
zone = create_zone(code="q", name="队列测试区")
user = get_user_model().objects.create_user(username="boss", password="x-not-used-1")
grant_role(user=user, zone=zone, role="bureau")
"""

WEB = """
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.contrib.auth import get_user_model
from zhaoshang.ledger import jobs
from zhaoshang.ledger.models import ImportJob
settings.ZHAOSHANG_LEDGER_BACKGROUND_BYTES = 0
settings.ALLOWED_HOSTS = ["testserver"]
client = Client()
client.force_login(get_user_model().objects.get(username="boss"))
step = {step!r}
if step == "upload":
    data = open({sample!r}, "rb").read()
    client.post("/ledger/upload/", {{"file": SimpleUploadedFile("台账.xlsx", data)}})
job = ImportJob.objects.get()
if step == "answer":  # the mapping step: every unit and leader of the sample is new to the zone
    data = {{"digest": jobs.answers_digest(job)}}
    for index, item in enumerate(job.preview["unknown_names"]):
        data.update({{f"kind-{{index}}": item["kind"], f"written-{{index}}": item["name"], f"answer-{{index}}": "new"}})
    client.post(f"/ledger/jobs/{{job.pk}}/names/", data)
if step == "confirm":
    client.post(f"/ledger/jobs/{{job.pk}}/confirm/", {{"digest": jobs.answers_digest(job)}})
page = client.get(f"/ledger/jobs/{{job.pk}}/").content.decode()
job.refresh_from_db()
print(job.status, "已导入" in page)
"""


@pytest.fixture
def site(tmp_path):
    """An installation of its own (SQLite file, media folder) driven through subprocesses."""
    env = {**os.environ, "ZHAOSHANG_DEBUG": "1", "ZHAOSHANG_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "zhaoshang.settings",
           "ZHAOSHANG_DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}", "ZHAOSHANG_TASKS_BACKEND": "database",
           "ZHAOSHANG_WORKER_STALE_SECONDS": "5", "ZHAOSHANG_WORKER_BEAT_SECONDS": "1",
           "ZHAOSHANG_SCHEDULER_SECONDS": "1", "PYTHONPATH": str(ROOT)}

    def run(*args, check=True, **kwargs):
        done = subprocess.run([sys.executable, "-m", "zhaoshang", *args], env=env, cwd=ROOT, capture_output=True, text=True,
                              timeout=300, **kwargs)
        if check:
            assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    run("migrate", "-v0")
    run("shell", "-v0", "-c", SETUP)
    run.env = env
    return run


@pytest.mark.slow
def test_an_import_survives_a_web_restart(site):
    # Each web step is a process of its own that ends before the worker runs the job.
    assert site("shell", "-v0", "-c", WEB.format(step="upload", sample=str(SAMPLE))).split() == ["checking", "False"]
    site("worker", "--batch", "-v0")
    assert site("shell", "-v0", "-c", WEB.format(step="answer", sample="")).split() == ["checking", "False"]
    site("worker", "--batch", "-v0")
    assert site("shell", "-v0", "-c", WEB.format(step="confirm", sample="")).split() == ["importing", "False"]
    site("worker", "--batch", "-v0")
    assert site("shell", "-v0", "-c", WEB.format(step="show", sample="")).split() == ["done", "True"]


STATUS = "from django_tasks_db.models import DBTaskResult; r = DBTaskResult.objects.get(task_path__endswith=\".nap\"); print(r.status, len(r.worker_ids))"


@pytest.mark.slow
def test_a_killed_workers_job_is_queued_again_within_the_stale_limit(site):
    site("shell", "-v0", "-c", "from tests.core.queue_tasks import nap; nap.enqueue(60)")
    worker = subprocess.Popen([sys.executable, "-m", "zhaoshang", "worker", "-v0"], env=site.env, cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while site("shell", "-v0", "-c", STATUS).split()[0] != "RUNNING":
            assert time.monotonic() < deadline, "the worker never claimed the job"
            time.sleep(0.5)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    assert site("shell", "-v0", "-c", STATUS).split() == ["RUNNING", "1"]
    time.sleep(6)  # longer than the stale limit of this installation (5 s)
    out = site("scheduler", "--once")
    assert "已处理失去进程的任务" in out
    assert site("shell", "-v0", "-c", STATUS).split() == ["READY", "1"]
