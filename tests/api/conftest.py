import sys

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from zhaoshang.api.actions import create_token


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client_for():
    """An API client that authenticates with a new personal token of `user`."""

    def make(user, name="测试脚本"):
        _token, secret = create_token(user=user, name=name)
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        api.secret = secret
        return api

    return make


@pytest.fixture
def anon():
    return APIClient()


def ids(response):
    """The ids of a paged list response."""
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def fields(response):
    """{field: [messages]} of an error response."""
    result = {}
    for item in response.json()["errors"]:
        result.setdefault(item["field"], []).append(item["message"])
    return result


def pytest_terminal_summary(terminalreporter):
    fuzz = sys.modules.get("tests.api.test_schemathesis")
    if fuzz is not None and fuzz.CASES:
        terminalreporter.write_line(
            f"schemathesis: {sum(fuzz.CASES.values())} generated cases over {len(fuzz.CASES)} operations"
        )
