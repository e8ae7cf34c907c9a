"""Walk every URL pattern of the project, so that no page, present or future, forgets
the rules:

1. nothing is reachable without logging in (except the pages whitelisted below, each
   with its reason);
2. a persona (a task-force member, a park user, a department user, an observer) never
   gets a page carrying a project, an enterprise or a contact phone outside its scope,
   and a detail page of an object it may not read answers 403/404;
3. pages keep a bounded number of queries when the rows behind them grow.

URLs come from the root URLconf; path parameters are filled with real demo objects: the
model is the view's own (`model`/`queryset`) or guessed from the path segment before the
parameter (`chains/<pk>` → IndustryChain) within the URL's app. A pattern whose
parameters cannot be filled fails the walk with a message asking for an entry in HINTS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RoutePattern

# Reachable without login, on purpose.
PUBLIC = {
    "login": "the login page itself",
    "logout": "logging out needs no login (anonymous POST just lands on the login page)",
    "admin:login": "Django admin's own login page",
    "admin:logout": "Django admin's logout",
    "admin:password_reset": "not routed (no password reset), listed for completeness",
    "api:schema": "OpenAPI description of the API: names of fields, no data",
    "api:docs": "human-readable API description (Swagger UI), no data",
    "api:redoc": "human-readable API description (ReDoc), no data",
    "api:<catch-all>": "answers every unknown /api/ address with a JSON 404; reveals nothing",
    "set_language": "the interface language switch (POST): stores only that choice, usable before logging in",
}

# Parameters the walker cannot guess: {(url name, parameter): model label or literal}.
HINTS: dict[tuple[str, str], str] = {}

ANONYMOUS_OK = {401, 403, 405}
NEVER_FOR_FORBIDDEN = {200, 201, 204}


@dataclass
class Route:
    name: str  # namespace:name, or "<route>" for unnamed patterns
    app: str | None
    pattern: URLPattern
    pieces: list = field(default_factory=list)  # the patterns from the root to this one

    @property
    def view_class(self):
        callback = self.pattern.callback
        return getattr(callback, "view_class", None) or getattr(callback, "cls", None)

    @property
    def params(self) -> list[tuple[str, str]]:
        found = []
        for piece in self.pieces:
            if isinstance(piece, RoutePattern):
                found += [(conv or "str", name) for conv, name in re.findall(r"<(?:(\w+):)?(\w+)>", str(piece._route))]
            else:
                found += [("regex", name) for name in re.findall(r"\(\?P<(\w+)>", piece._regex)]
        return found

    @property
    def label(self) -> str:
        return "".join(str(piece) for piece in self.pieces)


def all_routes() -> list[Route]:
    routes = []

    def walk(patterns, pieces, namespace, app):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, pieces + [entry.pattern], entry.namespace or namespace,
                     entry.app_name or app)
            else:
                name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
                route = Route(name=name, app=app, pattern=entry, pieces=pieces + [entry.pattern])
                if not entry.name:
                    route.name = f"{namespace}:<catch-all>" if namespace and ".*" in str(entry.pattern) else route.label
                routes.append(route)

    walk(get_resolver().url_patterns, [], None, None)
    return routes


# --- filling parameters ----------------------------------------------------------------------


def _singular(segment: str) -> str:
    word = segment.lower().replace("-", "").replace("_", "")
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("ses"):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def model_for(route: Route, param: str):
    hint = HINTS.get((route.name, param))
    if hint:
        return apps.get_model(hint) if "." in hint else None
    view = route.view_class
    if param in ("pk", "id") and view is not None:
        model = getattr(view, "model", None) or getattr(getattr(view, "queryset", None), "model", None)
        if model is not None:
            return model
    # The path segment before the parameter names the model: chains/<pk> → IndustryChain.
    text = route.label
    match = re.search(r"([A-Za-z_-]+)/(?:\^?)(?:<(?:\w+:)?%s>|\(\?P<%s>)" % (param, param), text)
    words = []
    if param not in ("pk", "id"):
        words.append(_singular(re.sub(r"_(id|pk)$", "", param)))
    if match:
        words.append(_singular(match.group(1)))
    candidates = list(apps.get_models())
    label = route.app or ""
    local = [m for m in candidates if m._meta.app_label == label]
    for word in words:
        for pool in (local, candidates):
            exact = [m for m in pool if m._meta.model_name == word]
            if exact:
                return exact[0]
            ending = [m for m in pool if m._meta.model_name.endswith(word)]
            if len(ending) == 1:
                return ending[0]
    return None


def literal_for(conv: str, param: str):
    if param == "format":
        return ".json" if conv == "drf_format_suffix" else "json"
    if conv == "int":
        return 999999
    return "walk-check"


def build_path(route: Route, values: dict) -> str:
    path = "/"
    for piece in route.pieces:
        if isinstance(piece, RoutePattern):
            def fill(match):
                return str(values[match.group(2)])

            path += re.sub(r"<(?:(\w+):)?(\w+)>", fill, str(piece._route))
        else:
            regex = piece._regex
            def group(match):
                value, body = values[match.group(1)], match.group(2)
                if value == "walk-check" and re.fullmatch(r"[\w|]+", body):
                    return body.split("|")[0]  # an alternation of words: take the first
                return str(value)

            regex = re.sub(r"\(\?P<(\w+)>((?:[^()]|\([^()]*\))*)\)", group, regex)
            regex = regex.lstrip("^").replace("\\Z", "").rstrip("$")
            regex = regex.replace(".*", "walk-check").replace(".+", "walk-check")
            regex = regex.replace("/?", "/").replace("\\.", ".").replace("\\-", "-")
            if re.search(r"[\[\](){}*+?|\\^$]", regex):
                raise AssertionError(f"cannot build a URL for {route.label!r}; add it to HINTS")
            path += regex
    return path


def _resolves_to(path: str, route: Route) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.func is route.pattern.callback or getattr(match.func, "view_class", 0) is route.view_class


def paths_for(route: Route, pick) -> str:
    """The path of `route` with its parameters filled by pick(model, conv, param)."""
    values = {}
    for conv, param in route.params:
        model = model_for(route, param)
        value = pick(model, conv, param) if model is not None else None
        if value is None:
            value = literal_for(conv, param)
        if conv == "drf_format_suffix" and not str(value).startswith("."):
            value = "." + str(value)
        values[param] = value
    path = build_path(route, values)
    assert _resolves_to(path, route), f"{path} does not resolve back to {route.name or route.label}; add a HINT"
    return path


def first_pk(model, conv, param):
    obj = model._base_manager.order_by("pk").first()
    if obj is None:
        return None
    return obj.pk if param in ("pk", "id") or param.endswith(("_id", "_pk")) or conv == "int" else getattr(obj, param, obj.pk)


# --- 1. login everywhere ---------------------------------------------------------------------


def is_login_redirect(response) -> bool:
    if response.status_code != 302:
        return False
    location = response["Location"]
    return location.startswith(settings.LOGIN_URL) or location.startswith("/admin/login/")


@pytest.fixture(scope="module")
def _demo_for_module(django_db_setup, django_db_blocker):
    """The demo zone, seeded once for this module inside a transaction rolled back at its
    end (each test runs in a savepoint within it, as in Django's TestCase)."""
    from django.db import transaction

    from zhaoshang.core import demo

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield demo.seed_demo().pk
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(_demo_for_module, db):
    from zhaoshang.core.models import Zone

    return Zone.objects.get(pk=_demo_for_module)


def anonymous_problems(client, only=None) -> list[str]:
    problems = []
    for route in all_routes():
        if route.name in PUBLIC or (only and not only(route)):
            continue
        path = paths_for(route, first_pk)
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            if not (is_login_redirect(response) or response.status_code in ANONYMOUS_OK):
                problems.append(f"{method.upper()} {path} ({route.name}) → {response.status_code} without login")
    return problems


def test_no_page_is_reachable_without_login(client, demo):
    problems = anonymous_problems(client)
    assert not problems, "\n".join(problems)


def test_the_whitelist_names_real_pages():
    """An entry left over after its page was renamed would whitelist nothing; keep the
    list honest (entries for pages that may come later are marked as such)."""
    names = {route.name for route in all_routes()}
    optional = {"admin:password_reset", "api:schema", "api:docs", "api:redoc", "api:<catch-all>", "admin:logout"}
    assert {"login", "logout", "admin:login"} <= names
    assert set(PUBLIC) - names <= optional


# --- 2. scope ----------------------------------------------------------------------------------


def _visible_pick(user, want_visible: bool):
    def pick(model, conv, param):
        manager = model._default_manager
        queryset = manager.all()
        if hasattr(queryset, "visible_to"):
            visible = queryset.visible_to(user)
            chosen = (visible if want_visible else queryset.exclude(pk__in=visible.values("pk"))).order_by("pk").first()
        else:
            chosen = queryset.order_by("pk").first() if want_visible else None
        if chosen is None:
            return None
        return chosen.pk if conv in ("int", "regex", "str") and (param in ("pk", "id") or param.endswith(("_id", "_pk"))) else getattr(chosen, param, chosen.pk)
    return pick


def _has_scoped_param(route: Route) -> bool:
    for _conv, param in route.params:
        model = model_for(route, param)
        if model is not None and hasattr(model._default_manager.all(), "visible_to"):
            return True
    return False


def out_of_scope_markers(user, zone):
    from zhaoshang.core.masking import can_see_contacts
    from zhaoshang.enterprises.models import Enterprise
    from zhaoshang.projects.models import Project

    visible = set(Project.objects.visible_to(user).values_list("pk", flat=True))
    listed = {row["pk"] for row in Project.objects.listed_for(user)}
    markers = {}
    for project in Project.objects.filter(zone=zone).select_related("responsible_unit"):
        if project.pk not in visible and project.pk not in listed:
            markers[project.name] = "project"
        if project.contact_phone and not (project.pk in visible and can_see_contacts(user, project)):
            markers[project.contact_phone] = "contact phone"
    visible_enterprises = set(Enterprise.objects.visible_to(user).values_list("pk", flat=True))
    for enterprise in Enterprise.objects.filter(zone=zone).exclude(pk__in=visible_enterprises):
        markers[enterprise.name] = "enterprise"
    return markers


def get_as(client, path):
    """GET a page; an exception inside the view is a finding, not a crash of the walk."""
    try:
        return client.get(path, HTTP_ACCEPT="text/html")
    except Exception as error:  # noqa: BLE001
        return error


PERSONAS = ["demo-unit", "demo-park", pytest.param("demo-dept", marks=pytest.mark.slow),
            pytest.param("demo-observer", marks=pytest.mark.slow)]


@pytest.mark.parametrize("username", PERSONAS)
def test_personas_only_ever_get_their_own_rows(client, demo, username):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    problems = scope_problems(client, user, demo)
    assert not problems, "\n".join(problems)


PUBLISHED_DOCUMENTS = {"assessment:bulletin"}


def scope_problems(client, user, zone, only=None) -> list[str]:
    markers = out_of_scope_markers(user, zone)
    assert markers, "the demo zone should hold rows this persona may not read"
    client.force_login(user)
    problems = []
    for route in all_routes():
        if route.name in ("logout", "admin:logout") or route.name.startswith("admin:") or (only and not only(route)):
            continue
        path = paths_for(route, _visible_pick(user, True))
        response = get_as(client, path)
        if isinstance(response, Exception):
            problems.append(f"GET {path} ({route.name}) raised {type(response).__name__}: {response}")
            continue
        if response.status_code >= 500:
            problems.append(f"GET {path} ({route.name}) → {response.status_code}")
        # A published 通报 is the zone's document, sent to every unit: it names projects.
        if route.name in PUBLISHED_DOCUMENTS:
            continue
        if response.status_code == 200 and not getattr(response, "streaming", False):
            body = response.content.decode("utf-8", "replace")
            leaked = [f"{kind} “{text}”" for text, kind in markers.items() if text in body]
            if leaked:
                problems.append(f"GET {path} ({route.name}) shows {', '.join(leaked[:5])}")
        if _has_scoped_param(route):
            forbidden_path = paths_for(route, _visible_pick(user, False))
            if forbidden_path != path:
                forbidden = get_as(client, forbidden_path)
                status = getattr(forbidden, "status_code", None)
                if status is None or status in NEVER_FOR_FORBIDDEN or status >= 500:
                    problems.append(f"GET {forbidden_path} ({route.name}) of an object out of scope → {status or forbidden}")
    return problems


# --- 3. bounded queries ------------------------------------------------------------------------


def _count_queries(client, path) -> int | None:
    with CaptureQueriesContext(connection) as queries:
        response = get_as(client, path)
    if isinstance(response, Exception) or response.status_code != 200:
        return None
    return len(queries)


def test_pages_keep_a_bounded_number_of_queries_as_rows_grow(client, demo):
    """The pages a task-force member opens cost the same number of queries with 12 more
    projects (each with a follow-up, a fund arrival and an investor) and more rows on the
    project they open: no per-row query, no per-row permission check."""
    import datetime as dt
    from decimal import Decimal

    from django.contrib.auth import get_user_model

    from zhaoshang.enterprises.actions import create_enterprise
    from zhaoshang.projects import actions
    from zhaoshang.projects.models import Project

    user = get_user_model().objects.get(username="demo-unit")
    client.force_login(user)
    paths = {}
    for route in all_routes():
        if route.name.startswith("admin:") or route.name in PUBLIC:
            continue
        paths[route.name] = paths_for(route, _visible_pick(user, True))
    before = {name: _count_queries(client, path) for name, path in paths.items()}
    before = {name: count for name, count in before.items() if count is not None}
    assert len(before) >= 5, before

    unit = user.memberships.get().unit
    opened = Project.objects.visible_to(user).order_by("pk").first()
    for number in range(12):
        investor = create_enterprise(zone=demo, name=f"新增投资企业{number}", contact_phone=f"1390000{number:04d}")
        project = actions.create_project(zone=demo, name=f"新增项目{number}", responsible_unit=unit, investor=investor,
                                         total_investment=Decimal("1000"), signed_on=dt.date(2024, 5, 1))
        actions.add_follow_up(project, date=dt.date(2024, 6, 1), summary="走访")
        actions.add_fund_arrival(project, date=dt.date(2024, 7, 1), amount=Decimal("10"))
        actions.add_follow_up(opened, date=dt.date(2024, 6, 1 + number), summary=f"第{number}次走访")
        actions.add_fund_arrival(opened, date=dt.date(2024, 7, 1 + number), amount=Decimal("5"))
    grown = []
    for name, count in before.items():
        after = _count_queries(client, paths[name])
        if after is not None and after > count + 3:
            grown.append(f"{paths[name]} ({name}): {count} → {after} queries")
    assert not grown, "\n".join(grown)


# --- the walker catches what it is for ------------------------------------------------------


def _leaky_list(request):
    from django.http import HttpResponse

    from zhaoshang.projects.models import Project

    return HttpResponse("、".join(Project.objects.values_list("name", flat=True)))


def _leaky_detail(request, pk):
    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse
    from django.shortcuts import get_object_or_404

    from zhaoshang.projects.models import Project

    @login_required
    def view(request):
        return HttpResponse(get_object_or_404(Project, pk=pk).name)

    return view(request)


def bad_urlpatterns():
    from django.urls import include, path

    return [
        path("leaky/", _leaky_list, name="leaky"),
        path("leaky/projects/<int:pk>/", _leaky_detail, name="leaky_detail"),
        path("", include("zhaoshang.urls")),
    ]


def test_the_walker_catches_a_page_without_login_and_rows_out_of_scope(client, demo, settings):
    import sys
    import types

    from django.contrib.auth import get_user_model
    from django.urls import clear_url_caches

    module = types.ModuleType("tests._walk_bad_urls")
    module.urlpatterns = bad_urlpatterns()
    sys.modules[module.__name__] = module
    settings.ROOT_URLCONF = module.__name__
    clear_url_caches()
    try:
        leaky = lambda route: route.name.startswith("leaky")  # noqa: E731
        anonymous = anonymous_problems(client, only=leaky)
        assert any("/leaky/ (leaky) → 200 without login" in line for line in anonymous), anonymous
        assert not any("leaky_detail" in line for line in anonymous)
        scope = scope_problems(client, get_user_model().objects.get(username="demo-unit"), demo, only=leaky)
        assert any(line.startswith("GET /leaky/ (leaky) shows project") for line in scope), scope
        assert any("(leaky_detail) of an object out of scope → 200" in line for line in scope), scope
    finally:
        del sys.modules[module.__name__]
        clear_url_caches()
