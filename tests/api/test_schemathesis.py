"""Schemathesis over every operation of the app's own OpenAPI description, served by the
app at /api/schema/ and called through its WSGI application: no 500s, and every response
conforms to the description (status code, content type, headers, body schema).

The number of generated cases is printed in the terminal summary ("schemathesis: N
generated cases over M operations", from tests/api/conftest.py)."""

import datetime as dt
from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from zhaoshang.api.actions import create_token
from zhaoshang.assessment import demo as assessment_demo
from zhaoshang.enterprises.actions import create_enterprise
from zhaoshang.projects import actions
from zhaoshang.tickets import actions as tickets

MAX_EXAMPLES = 25
CASES = Counter()

CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
]


@pytest.fixture
def api_secret(db, settings, zone, unit, other_unit, park, department, make_user, make_project):
    # The fuzzer sends thousands of requests; the rate limit has its own test.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"token": "100000/minute", "anon": "100000/minute"}}
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]  # schemathesis's WSGI client calls "localhost"
    bureau = make_user("fuzz-bureau", zone, "bureau")
    investor = create_enterprise(zone=zone, name="被测企业", uscc="91350100M000100Y43", tags=["专精特新"])
    project = make_project("被测项目", responsible_unit=unit, investor=investor, park=park, signed_on="2024-05-01",
                           contact_person="王五", contact_phone="13700001111")
    make_project("另一个项目", responsible_unit=other_unit)
    actions.add_follow_up(project, date=dt.date(2024, 6, 1), summary="走访", next_date=dt.date(2024, 6, 20))
    actions.add_fund_arrival(project, date=dt.date(2024, 7, 1), amount="100")
    ticket = tickets.raise_ticket(zone=zone, category="用地", title="用地指标", actor=bureau, project=project)
    tickets.assign_ticket(ticket, department=department, actor=bureau)
    assessment_demo.seed(zone, years=(2024,))
    _token, secret = create_token(user=bureau, name="schemathesis")
    return secret


@pytest.fixture
def _keep_test_connection():
    """Django's WSGI handler closes the database connection after each request, which would
    end the test's transaction on PostgreSQL; the test client disconnects it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(api_secret, _keep_test_connection):
    loaded = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", get_wsgi_application(), headers={"Authorization": f"Bearer {api_secret}"}
    )
    loaded.config.generation.update(modes=["positive", "negative"], max_examples=MAX_EXAMPLES, deterministic=True)
    return loaded


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
          database=None)
def test_every_operation_conforms_and_never_errs(case, api_secret):
    CASES[case.operation.label] += 1
    case.call_and_validate(
        headers={"Authorization": f"Bearer {api_secret}"},
        checks=[getattr(schemathesis.checks, name) for name in CHECKS],
    )
