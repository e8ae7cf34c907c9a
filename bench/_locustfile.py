"""The users of bench/load.py (run by locust in a process of its own): bureau staff reading the
workbench, lists, project pages and the cockpit, recording follow-ups and fund arrivals,
moving projects between stages, and an API client. Every write the server answered as
saved is logged, for load.py to look for in the database afterwards."""

import collections
import datetime as dt
import importlib
import itertools
import json
import os
import random
import uuid
from zoneinfo import ZoneInfo

from locust import HttpUser, between, events, task

WRITES = open(os.environ["LOAD_WRITES_LOG"], "a", buffering=1)
SETUP = json.loads(os.environ["LOAD_SETUP"])
PROJECTS, TOGGLE, UNIT, SESSIONS = SETUP["projects"], SETUP["toggle"], SETUP["unit"], SETUP["sessions"]
# The platform's dates are its own time zone's (Asia/Shanghai): a stage change dated by the
# machine's UTC date is refused for eight hours a day as earlier than the project's last date.
ZONE = ZoneInfo(importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"]).TIME_ZONE)
counter = itertools.count()


def today() -> str:
    return dt.datetime.now(ZONE).date().isoformat()
server_errors = collections.Counter()
locked = collections.Counter()


MAX_REQUESTS = int(os.environ.get("LOAD_MAX_REQUESTS", "100000"))
environment = None


@events.init.add_listener
def _init(environment: "object", **kwargs):
    globals()["environment"] = environment


@events.request.add_listener
def _count(name, response=None, exception=None, **kwargs):
    if environment is not None and environment.stats.total.num_requests >= MAX_REQUESTS and environment.runner:
        environment.runner.quit()  # the bound on requests, beside the bounds on users and time
    if response is not None and response.status_code >= 500:
        server_errors[name] += 1
        if "database is locked" in (response.text or ""):
            locked[name] += 1


@events.quitting.add_listener
def _dump(environment, **kwargs):
    with open(os.environ["LOAD_SUMMARY"], "w") as out:
        json.dump({"server_errors": server_errors, "locked": locked}, out)


class Staff(HttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.index = next(counter)
        self.client.cookies.set("sessionid", SESSIONS[self.index % len(SESSIONS)], domain="127.0.0.1", path="/")
        # A page with a form sets the CSRF cookie the writes need.
        self.client.get(f"/projects/{PROJECTS[0]}/", name="project detail")
        # Each user moves a project of its own back and forth, so that no two collide.
        self.toggle = TOGGLE[self.index % len(TOGGLE)]
        self.stage = "lead"

    def _post(self, path, data, name, kind, token):
        data = {**data, "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")}
        with self.client.post(path, data, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code in (302, 303):
                WRITES.write(json.dumps({"kind": kind, "token": token}) + "\n")
                response.success()
                return True
            response.failure(f"HTTP {response.status_code}")
            return False

    @task(3)
    def workbench(self):
        self.client.get("/", name="workbench")

    @task(3)
    def lists(self):
        path = random.choice(["/projects/", f"/projects/?stage=signed&stage=started&unit={UNIT}&sort=-amount",
                              "/projects/?q=%E9%A1%B9%E7%9B%AE"])
        self.client.get(path, name="project list")

    @task(3)
    def detail(self):
        self.client.get(f"/projects/{random.choice(PROJECTS)}/", name="project detail")

    @task(1)
    def cockpit(self):
        self.client.get("/cockpit/?kind=year&year=2024", name="cockpit")

    @task(1)
    def board(self):
        self.client.get("/projects/board/", name="board")

    @task(2)
    def follow_up(self):
        token = f"压测跟进{uuid.uuid4().hex}"
        self._post(f"/projects/{random.choice(PROJECTS)}/follow-ups/", {"date": today(), "kind": "visit", "summary": token,
                   "next_step": "继续跟进"}, "follow-up (write)", "follow_up", token)

    @task(1)
    def fund_arrival(self):
        token = f"压测到位{uuid.uuid4().hex[:20]}"
        self._post(f"/projects/{random.choice(PROJECTS)}/fund-arrivals/", {"date": today(),
                   "amount": f"{random.randint(1, 500)}.25", "note": token}, "fund arrival (write)", "fund_arrival", token)

    @task(1)
    def stage(self):
        target = "negotiating" if self.stage == "lead" else "lead"
        token = f"压测阶段{uuid.uuid4().hex[:20]}"
        if self._post(f"/projects/{self.toggle}/stage/", {"to_stage": target, "on": today(), "reason": token},
                      "stage change (write)", "stage_change", token):
            self.stage = target

    @task(2)
    def api(self):
        self.client.get("/api/v1/projects/?page_size=20", name="API projects")
