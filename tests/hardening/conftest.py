from tests.api.conftest import _fresh_rate_limits, anon, client_for  # noqa: F401 (fixtures)
