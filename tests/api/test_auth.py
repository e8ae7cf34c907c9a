"""Personal API tokens: hashed at rest, shown once, revocable; session for the browser;
JSON errors for every failure; a rate limit per token."""

import pytest
from rest_framework.test import APIClient

from zhaoshang.api.models import ApiToken, digest

PROJECTS = "/api/v1/projects/"


def test_no_credentials_is_401_json_with_chinese_message(anon, unit_user):
    response = anon.get(PROJECTS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["code"] == "not_authenticated"
    assert body["message"]  # Chinese text, not a stack trace
    assert body["errors"] == []


def test_unknown_token_is_401(unit_user):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Bearer zs_not-a-real-token")
    response = api.get(PROJECTS)
    assert response.status_code == 401
    assert response.json() == {"code": "token_invalid", "message": "令牌无效", "errors": []}


def test_token_is_stored_only_as_its_digest(client_for, unit_user):
    api = client_for(unit_user)
    token = ApiToken.objects.get(user=unit_user)
    assert token.key_digest == digest(api.secret)
    assert api.secret not in token.key_digest
    assert token.prefix == api.secret[:10]
    assert api.get(PROJECTS).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revoked_token_stops_working_at_once(client, client_for, unit_user):
    api = client_for(unit_user)
    assert api.get(PROJECTS).status_code == 200
    token = ApiToken.objects.get(user=unit_user)
    client.force_login(unit_user)
    response = client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    response = api.get(PROJECTS)
    assert response.status_code == 401
    assert response.json()["code"] == "token_revoked"


def test_token_page_shows_the_secret_once(client, unit_user):
    client.force_login(unit_user)
    response = client.post("/accounts/tokens/", {"name": "市平台同步"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=unit_user, name="市平台同步")
    page = response.content.decode()
    secret = page.split("data-token>")[1].split("<")[0]
    assert secret.startswith("zs_") and digest(secret) == token.key_digest
    later = client.get("/accounts/tokens/").content.decode()
    assert "市平台同步" in later and secret not in later
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get(PROJECTS).status_code == 200


def test_token_page_needs_a_name(client, unit_user):
    client.force_login(unit_user)
    response = client.post("/accounts/tokens/", {"name": "  "})
    assert response.status_code == 400
    assert "请填写令牌名称" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_token_page_requires_login(client):
    response = client.get("/accounts/tokens/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_nobody_revokes_another_users_token(client, client_for, unit_user, other_unit_user):
    api = client_for(unit_user)
    token = ApiToken.objects.get(user=unit_user)
    client.force_login(other_unit_user)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert api.get(PROJECTS).status_code == 200


def test_inactive_user_token_is_refused(client_for, unit_user):
    api = client_for(unit_user)
    unit_user.is_active = False
    unit_user.save()
    response = api.get(PROJECTS)
    assert response.status_code == 401
    assert response.json()["code"] == "user_inactive"


def test_browser_session_reads_and_needs_csrf_to_write(unit_user, zone, unit):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(unit_user)
    assert browser.get(PROJECTS).status_code == 200
    response = browser.post(PROJECTS, {"name": "无令牌项目", "responsible_unit": unit.pk}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "CSRF" in response.json()["message"]


def test_rate_limit_is_per_token(client_for, unit_user, other_unit_user, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "3/minute", "anon": "100/minute"}}
    first = client_for(unit_user, "脚本一")
    for _ in range(3):
        assert first.get(PROJECTS).status_code == 200
    response = first.get(PROJECTS)
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
    # Another token, even the same user's, has its own allowance.
    assert client_for(unit_user, "脚本二").get(PROJECTS).status_code == 200
    assert client_for(other_unit_user).get(PROJECTS).status_code == 200


def test_unknown_api_address_is_json_404(client_for, unit_user):
    response = client_for(unit_user).get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("body", ["{not json", "[1, 2"])
def test_malformed_json_is_400(client_for, unit_user, body):
    response = client_for(unit_user).generic("POST", PROJECTS, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
