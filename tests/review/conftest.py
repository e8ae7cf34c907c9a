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


# The API tests of 认定 live here with the fixtures above; the API's token client is reused.
from tests.api.conftest import _fresh_rate_limits, client_for  # noqa: E402,F401
