"""The task queue's own housekeeping, around the Django Tasks API (django-tasks backport with
the database backend of django-tasks-db): worker heartbeats, the recovery of jobs whose
worker died, progress that any web process can read, and periodic jobs.

Jobs themselves are `@task` functions in each app's `tasks.py`, enqueued with `.enqueue()`.
A worker (`zhaoshang worker`) claims them from the database; several workers on several
machines share the work. Each worker beats every few seconds; a job still marked running
whose worker has not beaten for ZHAOSHANG_WORKER_STALE_SECONDS is put back in the queue
(once) or marked failed, by whichever worker or scheduler notices first.

Periodic jobs are registered in code with `@periodic(...)` beside the task; the scheduler
(`zhaoshang scheduler`, and every worker between jobs) enqueues each one once per period,
however many schedulers run: the period is claimed by inserting its unique PeriodicRun row
in the transaction that enqueues the job.
"""

import datetime as dt
import importlib
import importlib.util
import logging
import os
import signal
import socket
import threading
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks import TaskResultStatus
from django_tasks.base import Task
from django_tasks.signals import task_finished
from django_tasks_db.models import DBTaskResult

from zhaoshang.core.models import PeriodicRun, WorkerBeat

log = logging.getLogger(__name__)


def beat_seconds() -> float:
    return float(getattr(settings, "ZHAOSHANG_WORKER_BEAT_SECONDS", 5))


def stale_seconds() -> float:
    return float(getattr(settings, "ZHAOSHANG_WORKER_STALE_SECONDS", 30))


def scheduler_seconds() -> int:
    return int(getattr(settings, "ZHAOSHANG_SCHEDULER_SECONDS", 10))


def max_attempts() -> int:
    return int(getattr(settings, "ZHAOSHANG_TASK_MAX_ATTEMPTS", 2))


class WorkerLost(Exception):
    """Recorded as the error of a job whose worker stopped beating while running it."""


class TaskGone(Exception):
    """Recorded as the error of a job whose task path no longer names a task (code removed
    or renamed by an upgrade while the job waited or ran)."""


def resolve_task(path: str) -> Task | None:
    """The task a stored path names, or None when that code is gone. Each package on the way
    is looked up with find_spec before anything is imported, so a missing module is told
    apart from a module that exists but fails to import (a bug, which propagates)."""
    module_path, _, name = path.rpartition(".")
    if not module_path or not name:
        return None
    parts = module_path.split(".")
    for depth in range(1, len(parts) + 1):
        spec = importlib.util.find_spec(".".join(parts[:depth]))
        if spec is None or (depth < len(parts) and spec.submodule_search_locations is None):
            return None
    task = getattr(importlib.import_module(module_path), name, None)
    return task if isinstance(task, Task) else None


# ---------------------------------------------------------------- progress

# (model, pk) → (condition, fields): progress reported by a running job, written to the database by the
# worker's heartbeat thread on its own connection, so that it is visible at once even while
# the job's own transaction is open.
_pending: dict[tuple[type, int], tuple[dict, dict]] = {}
_pending_lock = threading.Lock()
_beating = threading.Event()


def report_progress(model, pk: int, only_if: dict | None = None, **fields) -> None:
    """Record a running job's progress on its row (only while the row matches `only_if`, so
    that a late write never overtakes the job's final state). In a worker the heartbeat
    thread writes it within a second; elsewhere (a command, the tests' immediate backend) it
    is written now, unless a transaction is open (nobody else could read it before the
    commit anyway)."""
    only_if = only_if or {}
    if _beating.is_set():
        with _pending_lock:
            _, known = _pending.get((model, pk), ({}, {}))
            _pending[(model, pk)] = (only_if, {**known, **fields})
    elif not connection.in_atomic_block:
        model.objects.filter(pk=pk, **only_if).update(**fields)


def flush_progress() -> None:
    with _pending_lock:
        items = list(_pending.items())
        _pending.clear()
    for (model, pk), (only_if, fields) in items:
        try:
            model.objects.filter(pk=pk, **only_if).update(**fields)
        except OperationalError:
            # SQLite: the job's transaction holds the write lock; the next flush tries again.
            with _pending_lock:
                _pending.setdefault((model, pk), (only_if, fields))


# ---------------------------------------------------------------- heartbeats and recovery


_current_worker: str = ""


def current_worker_id() -> str:
    """The id of the task worker this process is (blank in a web process or a command)."""
    return _current_worker


def worker_alive(worker_id: str, now: dt.datetime | None = None) -> bool:
    """Whether that worker has beaten within the stale limit."""
    now = now or timezone.now()
    return WorkerBeat.objects.filter(worker_id=worker_id, seen_at__gte=now - dt.timedelta(seconds=stale_seconds())).exists()


def beat(worker_id: str) -> None:
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id, defaults={"seen_at": timezone.now(), "host": socket.gethostname()[:255], "pid": os.getpid()}
    )


class Heartbeat:
    """A worker's housekeeping thread, on its own database connection: beats, writes the
    progress its jobs report, runs the scheduler's round (tick) every
    ZHAOSHANG_SCHEDULER_SECONDS, and stops the worker when the process that started it is gone
    (`make run`)."""

    def __init__(self, worker_id: str, parent_pid: int | None = None, schedule: bool = True):
        self.worker_id = worker_id
        self.parent_pid = parent_pid
        self.schedule = schedule
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"heartbeat-{worker_id}", daemon=True)

    def start(self) -> None:
        global _current_worker
        beat(self.worker_id)
        _current_worker = self.worker_id
        _beating.set()
        self.thread.start()

    def _run(self) -> None:
        from django.db import connection as own

        rounds = 0
        try:
            while not self.stop.is_set():
                try:
                    flush_progress()
                    if rounds % max(1, int(beat_seconds())) == 0:
                        beat(self.worker_id)
                    if self.schedule and rounds % scheduler_seconds() == 0:
                        tick()
                except OperationalError:
                    log.warning("worker %s: housekeeping could not write; trying again", self.worker_id)
                except Exception:  # a bug in a periodic job must not stop the beats
                    log.exception("worker %s: housekeeping failed", self.worker_id)
                if self.parent_pid and os.getppid() != self.parent_pid:
                    os.kill(os.getpid(), signal.SIGTERM)
                    return
                rounds += 1
                self.stop.wait(1.0)
        finally:
            own.close()

    def close(self) -> None:
        global _current_worker
        self.stop.set()
        self.thread.join(timeout=beat_seconds() + 25)
        _beating.clear()
        _current_worker = ""
        flush_progress()
        WorkerBeat.objects.filter(worker_id=self.worker_id).delete()


def recover_lost_jobs(now: dt.datetime | None = None) -> list[str]:
    """Jobs left running by a worker that stopped beating: back to the queue while they have
    attempts left, else failed with WorkerLost. Returns the ids of the jobs touched."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=stale_seconds())
    alive = set(WorkerBeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True))
    touched = []
    # Only jobs started before the cutoff: a worker that just claimed one has beaten since.
    for job in DBTaskResult.objects.running().filter(started_at__lt=cutoff):
        if job.worker_ids and job.worker_ids[-1] in alive:
            continue
        # started_at changes with every claim: the conditional UPDATE acts on this attempt only,
        # and only one of several recoverers wins it.
        same_attempt = DBTaskResult.objects.filter(pk=job.pk, status=TaskResultStatus.RUNNING, started_at=job.started_at)
        task = resolve_task(job.task_path)
        if task is not None and len(job.worker_ids) < max_attempts():
            if same_attempt.update(status=TaskResultStatus.READY, run_after=now):
                log.warning("job %s (%s) lost its worker; queued again", job.pk, job.task_path)
                touched.append(str(job.pk))
            continue
        if task is None:
            # Another release removed or renamed the task: running it again cannot succeed.
            error = TaskGone(f"task {job.task_path} no longer exists in this version of the platform; not run again")
        else:
            error = WorkerLost(f"worker {job.worker_ids[-1] if job.worker_ids else '?'} stopped while running this job")
        if same_attempt.update(
            status=TaskResultStatus.FAILED, finished_at=now, return_value=None,
            exception_class_path=f"{type(error).__module__}.{type(error).__qualname__}", traceback=f"{error}\n",
        ):
            log.error("job %s (%s) failed: %s", job.pk, job.task_path, error)
            touched.append(str(job.pk))
            if task is not None:  # its receivers (ledger.tasks: the import shown as failed) are told
                job.refresh_from_db()
                task_finished.send(sender=type(job.task.get_backend()), task_result=job.task_result)
    WorkerBeat.objects.filter(seen_at__lt=now - dt.timedelta(days=1)).delete()
    return touched


# ---------------------------------------------------------------- periodic jobs


@dataclass(frozen=True)
class Periodic:
    name: str
    task: object
    every: str  # "daily" or "hourly"
    at: dt.time  # local time of day (daily) or minute of the hour (hourly: at.minute)

    def period(self, now: dt.datetime) -> str | None:
        """The period `now` falls in, once the job is due in it (None before)."""
        local = timezone.localtime(now)
        if self.every == "daily":
            return local.date().isoformat() if local.time() >= self.at else None
        if self.every == "hourly":
            return local.strftime("%Y-%m-%dT%H") if local.minute >= self.at.minute else None
        raise ValueError(self.every)


REGISTRY: dict[str, Periodic] = {}


def periodic(every: str = "daily", at: dt.time = dt.time(0, 0), name: str | None = None):
    """Register a task (already decorated with @task) to be enqueued once per day or hour,
    at or after the given local time."""
    if every not in ("daily", "hourly"):
        raise ValueError(every)

    def register(task):
        key = name or task.module_path
        REGISTRY[key] = Periodic(key, task, every, at)
        return task

    return register


def discover() -> dict[str, Periodic]:
    autodiscover_modules("tasks")
    return REGISTRY


def enqueue_due(now: dt.datetime | None = None) -> list[str]:
    """Enqueue every registered periodic job that is due and not yet enqueued for its period."""
    now = now or timezone.now()
    enqueued = []
    for job in discover().values():
        period = job.period(now)
        if period is None or PeriodicRun.objects.filter(name=job.name, period=period).exists():
            continue
        try:
            with transaction.atomic():
                run = PeriodicRun.objects.create(name=job.name, period=period)
                result = job.task.enqueue()
                run.task_id = str(result.id)[:64]
                run.save(update_fields=["task_id"])
        except IntegrityError:  # another scheduler claimed this period first
            continue
        enqueued.append(f"{job.name} {period}")
    return enqueued


def tick(now: dt.datetime | None = None) -> tuple[list[str], list[str]]:
    """The scheduler's round: recover lost jobs, enqueue due periodic ones."""
    discover()  # the apps' task modules connect their task_finished receivers
    return recover_lost_jobs(now), enqueue_due(now)
