"""Walk every URL pattern with writes: each persona POSTs to every page and every API
address (and PATCHes, PUTs and DELETEs the API), aimed at objects outside its scope, and a
write the platform refuses must have changed nothing in the database — not just answered
with a refusing status code.

"Nothing" is a snapshot taken before and after: the row count of every table, the latest
`updated_at` of every model that has one, and the change log's length (every tracked
update leaves a record, so an update that slipped through shows there)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db.models import Max

from tests.test_url_walk import _demo_for_module, _visible_pick, all_routes, demo, is_login_redirect, paths_for  # noqa: F401

PAYLOAD = {
    "name": "走查写入", "title": "走查写入", "note": "走查写入", "summary": "走查写入", "progress": "走查写入",
    "total_investment": "1", "amount": "1", "date": "2024-05-01", "stage": "signed", "to_stage": "signed",
    "reason": "走查", "year": "2024", "zone": "1", "role": "bureau", "username": "walker", "password": "Walk-er-2024",
}
METHODS_WEB = ["post"]
METHODS_API = ["post", "put", "patch", "delete"]
PERSONAS = ["demo-unit", "demo-park", "demo-dept", "demo-observer"]
SKIP = {"logout", "login", "admin:login", "admin:logout", "api:<catch-all>"}


def snapshot() -> dict:
    state = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        manager = model._base_manager
        state[model._meta.label] = manager.count()
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            state[model._meta.label + ".updated_at"] = manager.aggregate(latest=Max("updated_at"))["latest"]
    return state


def refused(response) -> bool:
    return response.status_code >= 400 or is_login_redirect(response)


def write_problems(client, user) -> tuple[list[str], int]:
    problems, refusals = [], 0
    pick = _visible_pick(user, want_visible=False)
    before = snapshot()
    for route in all_routes():
        if route.name in SKIP or (route.name or "").startswith("admin:"):
            continue
        try:
            path = paths_for(route, pick)
        except AssertionError:
            continue
        is_api = path.startswith("/api/")
        for method in METHODS_API if is_api else METHODS_WEB:
            try:
                if is_api:
                    response = getattr(client, method)(path, PAYLOAD, content_type="application/json")
                else:
                    response = client.post(path, PAYLOAD)
            except Exception as error:  # noqa: BLE001 -- a crash is a finding, not the end of the walk
                problems.append(f"{method.upper()} {path}: {type(error).__name__}: {error}")
                before = snapshot()
                continue
            after = snapshot()
            if refused(response):
                refusals += 1
                changed = {key for key in before if before[key] != after.get(key)}
                if changed:
                    problems.append(f"{method.upper()} {path} answered {response.status_code} but changed {sorted(changed)}")
            before = after
    return problems, refusals


@pytest.mark.slow
@pytest.mark.parametrize("username", PERSONAS)
def test_a_refused_write_changes_nothing(client, demo, username):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    client.raise_request_exception = False
    problems, refusals = write_problems(client, user)
    assert refusals > 50, refusals  # the walk reached the platform's writes
    assert not problems, "\n".join(problems)
