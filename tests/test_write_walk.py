"""Walk every URL pattern with writes: each demo persona (the nine of `seed_demo`, one per
role and three unit members) POSTs to every page and every API address (and PUTs, PATCHes
and DELETEs the API), aimed at objects outside its scope, and a write the platform
refuses must have changed nothing in the database — not just answered with a refusing
status code.

The addresses come from the root URLconf (tests/test_url_walk.all_routes), so a new page
or API endpoint is walked without being listed here; an address whose parameters cannot
be filled fails the walk instead of being skipped.

"Nothing" is a snapshot taken before and after each request, in one query: the row count
of every table (many-to-many tables included), the latest `updated_at` of every model that
has one, and so the change log's length (every tracked update leaves a record, so an
update that slipped through shows there). A request aimed at an object the persona may
not read (or at no object at all: an id that does not exist) must change nothing
whatever it answers; a request that only names a zone-level address (a create form) is
checked when it is refused. An answer 500 is a finding too: bad input gets a message,
never a stack trace."""

from __future__ import annotations

import time

import pytest
from django.apps import apps
from django.db import connection

from tests.test_url_walk import (  # noqa: F401 -- demo and _demo_for_module are fixtures
    _demo_for_module,
    _visible_pick,
    all_routes,
    demo,
    is_login_redirect,
    model_for,
    paths_for,
)

PAYLOAD = {
    "name": "走查写入", "title": "走查写入", "note": "走查写入", "summary": "走查写入", "progress": "走查写入",
    "total_investment": "1", "amount": "1", "date": "2024-05-01", "stage": "signed", "to_stage": "signed",
    "reason": "走查", "year": "2024", "zone": "1", "role": "bureau", "username": "walker", "password": "Walk-er-2024",
}
METHODS_WEB = ["post"]
METHODS_API = ["post", "put", "patch", "delete"]
PERSONAS = ["demo-admin", "demo-leader", "demo-bureau", "demo-unit", "demo-unit2", "demo-soe", "demo-dept", "demo-park",
            "demo-observer"]
# Not writes of the platform's data: logging in and out, Django admin (superusers only,
# behind its own login), the API's JSON 404 for unknown addresses.
SKIP = {"logout", "login", "api:<catch-all>"}


def _snapshot_query() -> tuple[list[str], str]:
    keys, columns = [], []
    quote = connection.ops.quote_name
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        table = quote(model._meta.db_table)
        keys.append(model._meta.label)
        columns.append(f"(SELECT COUNT(*) FROM {table})")
        stamp = next((f for f in model._meta.concrete_fields if f.name == "updated_at"), None)
        if stamp is not None:
            keys.append(model._meta.label + ".updated_at")
            columns.append(f"(SELECT MAX({quote(stamp.column)}) FROM {table})")
    return keys, "SELECT " + ", ".join(columns)


def snapshot(query=None) -> dict:
    keys, sql = query or _snapshot_query()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(keys, cursor.fetchone(), strict=True))


def refused(response) -> bool:
    return response.status_code >= 400 or is_login_redirect(response)


def _aims_at_an_object(route) -> bool:
    return any(model_for(route, param) is not None for _conv, param in route.params)


def write_problems(client, user) -> tuple[list[str], int, int]:
    problems, refusals, requests = [], 0, 0
    pick = _visible_pick(user, want_visible=False)
    query = _snapshot_query()
    before = snapshot(query)
    for route in all_routes():
        if route.name in SKIP or (route.name or "").startswith("admin:"):
            continue
        try:
            path = paths_for(route, pick)
        except AssertionError as error:
            problems.append(f"{route.name or route.label}: not walked: {error}")
            continue
        is_api = path.startswith("/api/")
        aimed = _aims_at_an_object(route)
        for method in METHODS_API if is_api else METHODS_WEB:
            requests += 1
            try:
                if is_api:
                    response = getattr(client, method)(path, PAYLOAD, content_type="application/json")
                else:
                    response = client.post(path, PAYLOAD)
            except Exception as error:  # noqa: BLE001 -- a crash is a finding, not the end of the walk
                problems.append(f"{method.upper()} {path}: {type(error).__name__}: {error}")
                before = snapshot(query)
                continue
            after = snapshot(query)
            if response.status_code >= 500:
                problems.append(f"{method.upper()} {path} answered {response.status_code}")
            was_refused = refused(response)
            refusals += was_refused
            if was_refused or aimed:
                changed = {key for key in before if before[key] != after[key]}
                if changed:
                    problems.append(f"{method.upper()} {path} answered {response.status_code} but changed {sorted(changed)}")
            before = after
    return problems, refusals, requests


@pytest.mark.slow
@pytest.mark.parametrize("username", PERSONAS)
def test_a_refused_write_changes_nothing(client, demo, username):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    client.raise_request_exception = False
    started = time.monotonic()
    problems, refusals, requests = write_problems(client, user)
    assert not problems, "\n".join(problems)
    assert requests > 600, requests  # the walk reached every address, pages and API (630 in Dec 2026)
    assert refusals > 50, refusals
    print(f"{username}: {requests} writes, {refusals} refused, {time.monotonic() - started:.0f} s")
