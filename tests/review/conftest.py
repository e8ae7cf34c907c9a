import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhaoshang.core.actions import update_zone
from zhaoshang.review.demo import demo_pdf

D = dt.date.fromisoformat


@pytest.fixture
def certifying(zone):
    """The test zone with 认定 on: facts wait as 待认定 until the bureau certifies them."""
    return update_zone(zone, certification_required=True)


@pytest.fixture
def pdf():
    def make(name="合同扫描件.pdf"):
        return SimpleUploadedFile(name, demo_pdf("contract"), content_type="application/pdf")

    return make


@pytest.fixture
def client_for(settings):
    """An API client with a new personal token of `user` (as in tests/api), no rate limit."""
    from rest_framework.test import APIClient

    from zhaoshang.api.actions import create_token

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"token": "100000/minute", "anon": "100000/minute"}}

    def make(user):
        _token, secret = create_token(user=user, name="认定测试")
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        return api

    return make
