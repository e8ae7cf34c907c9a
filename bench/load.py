"""Many users at once: locust, headless, against gunicorn with 4 workers on loopback, while a
20,000-row ledger import runs through the task queue (one `zhaoshang worker`).

Users (bench/_locustfile.py) read the workbench, lists, project pages, the board and the
cockpit, record follow-ups and fund arrivals, move projects between stages and call the API.
Each gunicorn worker is warmed up first (a few rounds of every page, not counted).
Reported: requests per second, p50/p95/p99 per kind, errors (server errors and
"database is locked" apart), the import's outcome and time and whether it overlapped the
whole load; then every write the server answered as saved is looked up in the database, and
each goal is said met or not.

    python -m bench load                       PostgreSQL (ZHAOSHANG_LOAD_DATABASE_URL,
                                               default postgres://postgres@127.0.0.1:5432/h19load), 50 users
    ZHAOSHANG_LOAD_BACKEND=sqlite python -m bench load      SQLite, 10 users

Bounded: ZHAOSHANG_LOAD_USERS (50 / 10), ZHAOSHANG_LOAD_SECONDS (60), at most
ZHAOSHANG_LOAD_MAX_REQUESTS (100,000) requests; it only ever talks to 127.0.0.1.
"""

import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench import FIELD_KEY

ROOT = Path(__file__).resolve().parent.parent
BACKEND = os.environ.get("ZHAOSHANG_LOAD_BACKEND", "postgresql")
PG_URL = os.environ.get("ZHAOSHANG_LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/h19load")
USERS = int(os.environ.get("ZHAOSHANG_LOAD_USERS", "50" if BACKEND == "postgresql" else "10"))
SECONDS = int(os.environ.get("ZHAOSHANG_LOAD_SECONDS", "60"))
MAX_REQUESTS = int(os.environ.get("ZHAOSHANG_LOAD_MAX_REQUESTS", "100000"))
IMPORT_ROWS = int(os.environ.get("ZHAOSHANG_LOAD_IMPORT_ROWS", "20000"))
PORT = int(os.environ.get("ZHAOSHANG_LOAD_PORT", "8791"))
WEB_WORKERS = 4
BIN = Path(sys.executable).parent

SETUP = """
import json
from decimal import Decimal
from zhaoshang.core.actions import create_zone
from zhaoshang.core.models import Zone
from zhaoshang.projects import actions
from zhaoshang.projects.models import Project
zone = Zone.objects.get(code="yqgxq")
toggle = [actions.create_project(zone=zone, name=f"压测阶段项目{{n:03d}}", total_investment=Decimal("1000")).pk for n in range(60)]
create_zone(code="loadz", name="导入压测园区", province="山西省")
projects = list(Project.objects.filter(zone=zone).exclude(pk__in=toggle).values_list("pk", flat=True))
unit = Project.objects.filter(zone=zone).exclude(responsible_unit=None).values_list("responsible_unit", flat=True).first()
# Staff log in once a day: the users start with sessions of their own (an Argon2 login per
# simulated user would only measure the password hash).
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
user = get_user_model().objects.get(username="demo-bureau")
sessions = []
for _ in range({users}):
    session = SessionStore()
    session.update({{SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                    HASH_SESSION_KEY: user.get_session_auth_hash()}})
    session.create()
    sessions.append(session.session_key)
print(json.dumps({{"projects": projects, "toggle": toggle, "unit": unit, "sessions": sessions}}))
"""

ENQUEUE = """
from pathlib import Path
from django.conf import settings
from zhaoshang.core.models import Zone
from zhaoshang.ledger import jobs
from zhaoshang.ledger.models import ImportJob
path = Path({path!r})
settings.ZHAOSHANG_LEDGER_BACKGROUND_BYTES = 0
job = ImportJob.objects.create(zone=Zone.objects.get(code="loadz"), created_by=None, filename=path.name, stored_path=str(path),
                               size=path.stat().st_size)
jobs.start(job, dry_run=False)
print(job.pk)
"""

CHECK = """
import json
from django.db.models import Q
from zhaoshang.ledger.models import ImportJob
from zhaoshang.projects.models import FollowUp, FundArrival, StageChange
writes = [json.loads(line) for line in open({log!r}, encoding="utf-8")]
missing = []
for kind, model, field in [("follow_up", FollowUp, "summary"), ("fund_arrival", FundArrival, "note"), ("stage_change", StageChange, "reason")]:
    tokens = [w["token"] for w in writes if w["kind"] == kind]
    found = set(model.objects.filter(**{{field + "__in": tokens}}).values_list(field, flat=True))
    missing += [t for t in tokens if t not in found]
job = ImportJob.objects.get(pk={job})
result = job.result or {{}}
print(json.dumps({{"writes": len(writes), "missing": missing[:20], "missing_count": len(missing), "job": job.status,
                  "job_seconds": (job.finished_at - job.created_at).total_seconds() if job.finished_at else None,
                  "job_finished": job.finished_at.timestamp() if job.finished_at else None,
                  "created": result.get("projects_created"), "errors": len(result.get("errors") or [])}}))
"""


def _env(tmp: Path, database_url: str) -> dict:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "zhaoshang.settings", "ZHAOSHANG_DATABASE_URL": database_url,
            "ZHAOSHANG_DEBUG": "0", "ZHAOSHANG_SECRET_KEY": "load-bench-only", "ZHAOSHANG_FIELD_KEY": FIELD_KEY, "ZHAOSHANG_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "ZHAOSHANG_SECURE_SSL_REDIRECT": "0", "ZHAOSHANG_SECURE_COOKIES": "0", "ZHAOSHANG_VAR_DIR": str(tmp),
            "ZHAOSHANG_API_RATE": "1000000/minute", "ZHAOSHANG_BIND": f"127.0.0.1:{PORT}", "ZHAOSHANG_WEB_WORKERS": str(WEB_WORKERS),
            "ZHAOSHANG_ACCESS_LOG": str(tmp / "access.log"), "ZHAOSHANG_LOG_LEVEL": "WARNING",
            "ZHAOSHANG_LEDGER_MAX_BYTES": str(200 * 1024 * 1024), "PYTHONPATH": str(ROOT)}


def _zhaoshang(env, *args) -> str:
    done = subprocess.run([sys.executable, "-m", "zhaoshang", *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"zhaoshang {args[0]} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def _fresh_database(tmp: Path) -> str:
    if BACKEND == "sqlite":
        return f"sqlite:///{tmp / 'load.sqlite3'}"
    import psycopg

    base, name = PG_URL.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return PG_URL


def _wait_for(url: str, seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.5)


PAGES = ["/", "/projects/", "/projects/{project}/", "/cockpit/?kind=year&year=2024", "/projects/board/",
         "/api/v1/projects/?page_size=20"]


def _warm_up(session: str, project: int, rounds: int) -> None:
    """Each gunicorn worker's first requests import modules and compile templates: a few
    rounds of every page before the measurement, so that the figures are of a running server.
    WEB_WORKERS at a time, so that every worker gets its share."""
    from concurrent.futures import ThreadPoolExecutor

    def get(page):
        request = urllib.request.Request(f"http://127.0.0.1:{PORT}{page.format(project=project)}",
                                         headers={"Cookie": f"sessionid={session}"})
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()

    with ThreadPoolExecutor(WEB_WORKERS) as pool:
        list(pool.map(get, PAGES * rounds))


def _stop(process) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main() -> None:
    from bench.ledger import write_messy_ledger

    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs, shared with other work "
          "(a busy machine inflates every figure)", flush=True)
    with tempfile.TemporaryDirectory(prefix="zhaoshang-load-") as tmp:
        tmp = Path(tmp)
        url = _fresh_database(tmp)
        env = _env(tmp, url)
        _zhaoshang(env, "migrate", "-v0")
        _zhaoshang(env, "seed_demo")
        setup = _zhaoshang(env, "shell", "-v0", "-c", SETUP.format(users=USERS)).strip().splitlines()[-1]
        ledger = tmp / "ledger.xlsx"
        write_messy_ledger(ledger, rows=IMPORT_ROWS, arrivals=IMPORT_ROWS * 3 // 10)
        logs = {name: open(tmp / f"{name}.log", "w") for name in ("web", "worker")}
        web = subprocess.Popen([str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")], env=env, cwd=ROOT,
                               stdout=logs["web"], stderr=subprocess.STDOUT)
        worker = subprocess.Popen([sys.executable, "-m", "zhaoshang", "worker"], env=env, cwd=ROOT, stdout=logs["worker"],
                                  stderr=subprocess.STDOUT)
        try:
            _wait_for(f"http://127.0.0.1:{PORT}/accounts/login/")
            setup_data = json.loads(setup)
            _warm_up(setup_data["sessions"][0], setup_data["projects"][0], rounds=WEB_WORKERS)
            job = _zhaoshang(env, "shell", "-v0", "-c", ENQUEUE.format(path=str(ledger))).strip().splitlines()[-1]
            writes, summary_file = tmp / "writes.jsonl", tmp / "summary.json"
            writes.touch()
            started, started_at = time.monotonic(), time.time()
            locust = subprocess.run(
                [str(BIN / "locust"), "-f", str(ROOT / "bench" / "_locustfile.py"), "--headless", "--users", str(USERS),
                 "--spawn-rate", str(max(1, USERS // 5)), "--run-time", f"{SECONDS}s", "--host", f"http://127.0.0.1:{PORT}",
                 "--csv", str(tmp / "locust"), "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING"],
                env={**env, "LOAD_MAX_REQUESTS": str(MAX_REQUESTS), "LOAD_WRITES_LOG": str(writes), "LOAD_SUMMARY": str(summary_file), "LOAD_SETUP": setup},
                cwd=ROOT, capture_output=True, text=True, timeout=SECONDS + 120)
            elapsed, ended_at, load_after = time.monotonic() - started, time.time(), os.getloadavg()[0]
            # The import may still be running: give it time to finish before checking.
            deadline = time.monotonic() + int(os.environ.get("ZHAOSHANG_LOAD_IMPORT_WAIT", "600"))
            while True:
                status = json.loads(_zhaoshang(env, "shell", "-v0", "-c", CHECK.format(log=str(writes), job=job)).strip().splitlines()[-1])
                if status["job"] not in ("importing", "checking") or time.monotonic() > deadline:
                    break
                time.sleep(2)
        finally:
            _stop(web)
            _stop(worker)
            for handle in logs.values():
                handle.close()
        server_log = (tmp / "web.log").read_text(errors="replace") + (tmp / "worker.log").read_text(errors="replace")
        summary = json.loads(summary_file.read_text()) if summary_file.exists() else {"server_errors": {}, "locked": {}}
        rows = list(csv.DictReader(open(tmp / "locust_stats.csv", encoding="utf-8")))
        failures = list(csv.DictReader(open(tmp / "locust_failures.csv", encoding="utf-8"))) if (tmp / "locust_failures.csv").exists() else []
        if locust.returncode not in (0, 1):
            print(locust.stderr[-3000:])
    print(f"{BACKEND}, {USERS} users for {elapsed:.0f} s against gunicorn ({WEB_WORKERS} workers) + 1 task worker, "
          f"while a {IMPORT_ROWS:,}-row ledger import ran through the queue; load average at the end {load_after:.1f}")
    print(f"{'kind':<24}{'requests':>9}{'fails':>7}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}  (ms)")
    for row in rows:
        print(f"{row['Name']:<24}{row['Request Count']:>9}{row['Failure Count']:>7}{float(row['Requests/s']):>8.1f}"
              f"{row['50%']:>7}{row['95%']:>7}{row['99%']:>7}")
    for failure in failures[:10]:
        print(f"  failure: {failure['Name']}: {failure['Error']} × {failure['Occurrences']}")
    pages = [row for row in rows if row["Name"] not in ("Aggregated", "API projects") and "(write)" not in row["Name"]]
    # No figure merges the kinds' percentiles; the largest p95 of the kinds bounds the pages' p95 from above.
    page_p95 = max((float(row["95%"]) for row in pages if int(row["Request Count"])), default=None)
    server_errors = sum(summary["server_errors"].values())
    locked = sum(summary["locked"].values()) + server_log.count("database is locked")
    housekeeping = server_log.count("housekeeping could not write")
    errors = sum(int(row["Failure Count"]) for row in rows if row["Name"] == "Aggregated")
    print(f"requests failed: {errors}; server errors (5xx): {server_errors} {dict(summary['server_errors']) or ''}; "
          f"'database is locked': {locked}; the worker's housekeeping kept waiting: {housekeeping}")
    print(f"pages p95 ≤ {page_p95:.0f} ms (the largest p95 of the page kinds)" if page_p95 is not None else "pages: no request completed")
    print(f"writes answered as saved: {status['writes']:,}; missing from the database: {status['missing_count']}"
          + (f" {status['missing']}" if status["missing"] else ""))
    if status["job_seconds"]:
        overlap = ("it was still running when the users stopped" if status["job_finished"] > ended_at else
                   f"it finished {status['job_finished'] - started_at:.0f} s into the {elapsed:.0f} s of load")
        print(f"import through the queue: {status['job']}, {status['created']} projects created, {status['errors']} errors, "
              f"{status['job_seconds']:.0f} s from enqueue to done; {overlap}")
    else:
        print(f"import: {status['job']} (not finished)")
    goals = [("0 server errors", server_errors == 0), ("0 lost writes", status["missing_count"] == 0),
             ("import done without errors", status["job"] == "done" and not status["errors"])]
    if BACKEND == "sqlite":
        goals += [("0 errors", errors == 0 and locked == 0)]
    else:
        goals += [("pages p95 ≤ 500 ms", page_p95 is not None and page_p95 <= 500)]
    print("goals: " + "; ".join(f"{name} {'met' if met else 'NOT met'}" for name, met in goals))
    if "Traceback" in server_log:
        print("server log has tracebacks:\n" + server_log[server_log.index("Traceback"):][:3000])


if __name__ == "__main__":
    main()
