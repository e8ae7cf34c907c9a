"""Logging in, lock-out, expiring sessions, user management, the zone switcher and the
add_user command."""

import datetime as dt
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from zhaoshang.core.models import ChangeRecord, Membership

User = get_user_model()
PASSWORD = "pass-for-tests-1"


def login(client, username, password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


# --- login -------------------------------------------------------------------------------


def test_login_page_is_chinese_and_logging_in_lands_on_the_workbench(client, unit_user):
    page = client.get("/accounts/login/")
    assert page.status_code == 200 and "登录" in page.content.decode()
    response = login(client, "alice")
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_wrong_password_says_so_and_logs_nobody_in(client, unit_user):
    response = login(client, "alice", "wrong-password")
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode() or "正确的用户名和密码" in response.content.decode()
    assert client.get("/settings/").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lock_out_after_the_set_number_of_failures_even_with_the_right_password(client, unit_user, other_unit_user):
    for _ in range(2):
        assert login(client, "alice", "wrong-password").status_code == 200
    locked = login(client, "alice", "wrong-password")
    assert locked.status_code == 429 and "锁定" in locked.content.decode()
    assert login(client, "alice").status_code == 429  # the right password no longer helps
    assert client.get("/settings/").status_code == 302  # and nobody is logged in
    # Another user name from the same address is not locked.
    assert login(client, "bob")["Location"] == "/"


@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_successful_login_resets_the_failure_count(client, unit_user):
    for _ in range(2):
        login(client, "alice", "wrong-password")
    assert login(client, "alice").status_code == 302
    client.post("/accounts/logout/")
    for _ in range(2):
        assert login(client, "alice", "wrong-password").status_code == 200
    assert login(client, "alice").status_code == 302


def test_logout_is_a_post_and_ends_the_session(client, unit_user):
    login(client, "alice")
    assert client.get("/accounts/logout/").status_code == 405
    client.post("/accounts/logout/")
    assert client.get("/settings/")["Location"].startswith("/accounts/login/")


def test_a_session_expires(client, unit_user, settings):
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    login(client, "alice")
    assert client.get("/settings/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/settings/")["Location"].startswith("/accounts/login/")


def test_a_deactivated_user_is_logged_out_and_cannot_log_in(client, unit_user):
    login(client, "alice")
    unit_user.is_active = False
    unit_user.save()
    assert client.get("/settings/").status_code == 302
    assert login(client, "alice").status_code == 200


def test_the_profile_changes_the_password_under_the_validators(client, unit_user):
    client.force_login(unit_user)
    page = client.get("/accounts/profile/").content.decode()
    assert "新能源新材料专班" in page and "专班/国企成员" in page
    weak = client.post("/accounts/profile/", {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"})
    assert "这个密码太常见了" in weak.content.decode() or "密码全部为数字" in weak.content.decode()
    strong = "Quite-Long-Pass-77"
    assert client.post("/accounts/profile/", {"old_password": PASSWORD, "new_password1": strong, "new_password2": strong}).status_code == 302
    unit_user.refresh_from_db()
    assert unit_user.check_password(strong)


def test_passwords_are_hashed_with_argon2_in_production(settings):
    from zhaoshang import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert production.AUTH_PASSWORD_VALIDATORS[0]["NAME"] == "zhaoshang.core.passwords.ComplexityValidator"


# --- zone switch ---------------------------------------------------------------------------


def test_zone_switch_to_a_zone_of_ones_own_and_not_to_another(client, zone, other_zone, make_user, unit, settings):
    from zhaoshang.core.actions import grant_role

    user = make_user("twozones", zone, "unit", unit=unit)
    client.force_login(user)
    assert client.post("/settings/zone/", {"zone": other_zone.pk}).status_code == 403
    assert client.session.get("zone_id") is None
    grant_role(user=user, zone=other_zone, role="observer")
    response = client.post("/settings/zone/", {"zone": other_zone.pk, "next": "/projects/"})
    assert response.status_code == 302 and response["Location"] == "/projects/"
    assert client.session["zone_id"] == other_zone.pk
    # An outside address in `next` is not followed.
    assert client.post("/settings/zone/", {"zone": zone.pk, "next": "https://evil.example/"})["Location"] == "/"
    assert client.get("/settings/zone/").status_code == 405


# --- user management -----------------------------------------------------------------------


NEW_USER = {"username": "newbie", "full_name": "新同事", "password1": "Good-pass-2025", "password2": "Good-pass-2025"}


def test_the_bureau_creates_a_unit_member(client, bureau_user, unit):
    client.force_login(bureau_user)
    response = client.post("/settings/users/new/", {**NEW_USER, "role": "unit", "unit": unit.pk})
    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    assert (user.first_name, user.check_password("Good-pass-2025")) == ("新同事", True)
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.unit) == ("unit", unit)
    listing = client.get("/settings/users/").content.decode()
    assert "newbie" in listing and "新能源新材料专班" in listing


@pytest.mark.parametrize("data, message", [
    ({**NEW_USER, "role": "unit"}, "该角色需指定所属单位"),
    ({**NEW_USER, "role": "park"}, "园区角色需指定所属园区"),
    ({**NEW_USER, "password1": "12345678", "password2": "12345678", "role": "observer"}, "密码"),
    ({**NEW_USER, "password2": "Other-pass-2025", "role": "observer"}, "两次输入的密码不一致"),
    ({**NEW_USER, "username": "alice", "role": "observer"}, "用户名“alice”已存在"),
    ({**NEW_USER, "role": "admin"}, "admin 不在可用的选项中"),  # the bureau may not make administrators
])
def test_user_creation_refuses_bad_input_with_a_clear_message(client, bureau_user, unit_user, data, message):
    client.force_login(bureau_user)
    response = client.post("/settings/users/new/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="newbie").exists()


@pytest.mark.parametrize("persona", ["unit_user", "department_user", "park_user", "observer_user"])
def test_only_administrators_and_the_bureau_manage_users_and_read_the_audit(client, request, persona, unit_user):
    client.force_login(request.getfixturevalue(persona))
    for url in ("/settings/users/", "/settings/users/new/", f"/settings/users/{unit_user.pk}/", "/settings/audit/",
                "/settings/zone/settings/"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/settings/users/{unit_user.pk}/deactivate/").status_code == 403
    assert User.objects.get(pk=unit_user.pk).is_active


def test_deactivating_keeps_the_user_and_their_records(client, bureau_user, unit_user):
    client.force_login(bureau_user)
    response = client.post(f"/settings/users/{unit_user.pk}/deactivate/")
    assert response.status_code == 302
    unit_user.refresh_from_db()
    assert not unit_user.is_active
    record = ChangeRecord.objects.get(content_type__model="user", object_id=str(unit_user.pk), action="update")
    assert (record.before, record.after, record.username) == ({"is_active": True}, {"is_active": False}, "bureau")
    client.post(f"/settings/users/{unit_user.pk}/activate/")
    unit_user.refresh_from_db()
    assert unit_user.is_active


def test_nobody_deactivates_themselves(client, make_user, zone):
    admin = make_user("zoneadmin", zone, "admin")
    client.force_login(admin)
    client.post(f"/settings/users/{admin.pk}/deactivate/")
    admin.refresh_from_db()
    assert admin.is_active


def test_the_bureau_of_one_zone_cannot_touch_users_of_another(client, bureau_user, make_user, other_zone):
    stranger = make_user("stranger", other_zone, "unit", unit=None) if False else make_user("stranger", other_zone, "observer")
    client.force_login(bureau_user)
    assert client.get(f"/settings/users/{stranger.pk}/").status_code == 404
    assert client.post(f"/settings/users/{stranger.pk}/deactivate/").status_code == 404
    assert "stranger" not in client.get("/settings/users/").content.decode()


def test_the_bureau_edits_a_role_and_resets_a_password(client, bureau_user, unit_user, other_unit):
    client.force_login(bureau_user)
    response = client.post(f"/settings/users/{unit_user.pk}/", {
        "full_name": "爱丽丝", "email": "", "role": "unit", "unit": other_unit.pk, "new_password": "Reset-pass-2025",
    })
    assert response.status_code == 302
    unit_user.refresh_from_db()
    assert unit_user.first_name == "爱丽丝" and unit_user.check_password("Reset-pass-2025")
    assert Membership.objects.get(user=unit_user).unit == other_unit


def test_the_bureau_does_not_manage_administrators(client, bureau_user, make_user, zone):
    admin = make_user("zoneadmin", zone, "admin")
    client.force_login(bureau_user)
    assert client.get(f"/settings/users/{admin.pk}/").status_code == 404
    assert "zoneadmin" not in client.get("/settings/users/").content.decode()


def test_zone_settings_turn_on_the_listing_of_other_units(client, bureau_user, zone):
    client.force_login(bureau_user)
    response = client.post("/settings/zone/settings/", {
        "name": zone.name, "province": "山西省", "city": "阳泉市", "major_project_threshold": "20000",
        "units_see_other_units": "on",
    })
    assert response.status_code == 302
    zone.refresh_from_db()
    assert zone.units_see_other_units and zone.major_project_threshold == 20000
    assert "该字段是必填项" in client.post("/settings/zone/settings/", {"name": "", "major_project_threshold": "1"}).content.decode()
    bad = client.post("/settings/zone/settings/", {"name": zone.name, "major_project_threshold": "-1"})
    assert "亿元以上项目门槛须大于0" in bad.content.decode()
    zone.refresh_from_db()
    assert zone.major_project_threshold == 20000


# --- the audit page ----------------------------------------------------------------------


def test_the_audit_page_filters_by_user_model_and_date(client, bureau_user, unit_user, world):
    from zhaoshang.core import changelog
    from zhaoshang.projects import actions

    with changelog.acting_as(unit_user):
        actions.update_project(world.ours, notes="阿丽丝的修改")
    client.force_login(bureau_user)
    page = client.get("/settings/audit/").content.decode()
    assert "阿丽丝的修改" in page and "外区项目" not in page  # another zone's records stay out
    from django.contrib.contenttypes.models import ContentType

    project_type = ContentType.objects.get(app_label="projects", model="project")
    by_user = client.get("/settings/audit/", {"user": unit_user.pk}).content.decode()
    assert "阿丽丝的修改" in by_user and "乙专班项目" not in by_user
    by_model = client.get("/settings/audit/", {"model": project_type.pk, "action": "update"}).content.decode()
    assert "阿丽丝的修改" in by_model and "甲投资有限公司" not in by_model
    today = timezone.localdate()
    assert "阿丽丝的修改" not in client.get("/settings/audit/", {"date_to": str(today - dt.timedelta(days=1))}).content.decode()
    assert "阿丽丝的修改" in client.get("/settings/audit/", {"date_from": str(today), "date_to": str(today)}).content.decode()


def test_the_audit_page_costs_a_fixed_number_of_queries(client, bureau_user, world, make_project, unit, django_assert_max_num_queries):
    client.force_login(bureau_user)
    client.get("/settings/audit/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/settings/audit/")
    for number in range(15):
        make_project(name=f"再建项目{number}", responsible_unit=unit)
    with CaptureQueriesContext(connection) as many:
        client.get("/settings/audit/")
    assert len(many) <= len(few) + 1


# --- commands ------------------------------------------------------------------------------


def run(*args, **env):
    out = StringIO()
    old = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        call_command(*args, stdout=out)
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return out.getvalue()


def test_add_user_takes_the_password_from_the_environment(zone, unit):
    out = run("add_user", "carol", "--zone", "testzone", "--role", "unit", "--unit", "新能源新材料专班",
              ZHAOSHANG_NEW_PASSWORD="Kx-pass-2025")
    assert "已新建用户 carol" in out and "新能源新材料专班" in out
    carol = User.objects.get(username="carol")
    assert carol.check_password("Kx-pass-2025")
    assert Membership.objects.get(user=carol).unit == unit
    record = ChangeRecord.objects.get(content_type__model="user", object_id=str(carol.pk))
    assert record.description == "命令 add_user" and record.after["password"] == "******"


@pytest.mark.parametrize("args, message", [
    (["dave", "--zone", "nowhere", "--role", "unit"], "园区“nowhere”不存在"),
    (["dave", "--zone", "testzone", "--role", "boss"], "角色“boss”无效"),
    (["dave", "--zone", "testzone", "--role", "unit"], "该角色需指定所属单位"),
    (["dave", "--zone", "testzone", "--role", "unit", "--unit", "没有这个专班"], "没有名为“没有这个专班”的单位"),
    (["dave", "--zone", "testzone", "--role", "park", "--park", "无名园"], "没有名为“无名园”的载体园区"),
    (["alice", "--zone", "testzone", "--role", "observer"], "用户名“alice”已存在"),
])
def test_add_user_usage_errors_exit_2(zone, unit, park, unit_user, args, message):
    with pytest.raises(CommandError) as error:
        run("add_user", *args, ZHAOSHANG_NEW_PASSWORD="Kx-pass-2025")
    assert message in str(error.value) and error.value.returncode == 2
    assert not User.objects.filter(username="dave").exists()


def test_add_user_refuses_a_weak_password(zone):
    with pytest.raises(CommandError) as error:
        run("add_user", "erin", "--zone", "testzone", "--role", "observer", ZHAOSHANG_NEW_PASSWORD="123")
    assert "密码" in str(error.value)


def test_add_user_prompts_for_the_password(zone, monkeypatch):
    answers = iter(["Prompted-pass-2025", "Prompted-pass-2025"])
    monkeypatch.delenv("ZHAOSHANG_NEW_PASSWORD", raising=False)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    run("add_user", "frank", "--zone", "testzone", "--role", "leadership")
    assert User.objects.get(username="frank").check_password("Prompted-pass-2025")


def test_seed_demo_creates_a_user_for_every_role(demo_zone, client):
    from zhaoshang.core.demo import DEMO_PASSWORD, DEMO_USERS
    from zhaoshang.core.models import Role

    roles = set(Membership.objects.filter(zone=demo_zone).values_list("role", flat=True))
    assert roles == set(Role.values)
    for username, *_ in DEMO_USERS:
        assert login(client, username, DEMO_PASSWORD).status_code == 302, username
        client.post("/accounts/logout/")


@pytest.mark.slow
def test_check_deploy_is_clean_in_production_mode(tmp_path):
    env = {**os.environ, "ZHAOSHANG_DEBUG": "0", "ZHAOSHANG_SECRET_KEY": "x" * 20 + "-production-like-key-" + "y" * 30,
           "ZHAOSHANG_ALLOWED_HOSTS": "zhaoshang.example.org", "ZHAOSHANG_VAR_DIR": str(tmp_path),
           "ZHAOSHANG_FIELD_KEY": "cHJvZHVjdGlvbi1saWtlLWZpZWxkLWtleS0zMmJ5dGU="}
    for key in [key for key in env if key.startswith("ZHAOSHANG_") and key not in ("ZHAOSHANG_DEBUG", "ZHAOSHANG_SECRET_KEY",
                                                                             "ZHAOSHANG_ALLOWED_HOSTS", "ZHAOSHANG_VAR_DIR",
                                                                             "ZHAOSHANG_FIELD_KEY")]:
        env.pop(key)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests for their own thread only
    done = subprocess.run([sys.executable, "-m", "zhaoshang", "check", "--deploy", "--fail-level", "WARNING"],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr + done.stdout
    assert "no issues" in done.stdout


@pytest.mark.slow
def test_production_mode_wants_a_key_except_for_commands_that_only_read_the_code(tmp_path):
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("ZHAOSHANG_") and key not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(ZHAOSHANG_DEBUG="0", ZHAOSHANG_VAR_DIR=str(tmp_path))
    refused = subprocess.run([sys.executable, "-m", "zhaoshang", "check"], capture_output=True, text=True, env=env)
    assert refused.returncode != 0 and "ZHAOSHANG_SECRET_KEY must be set" in refused.stderr
    checked = subprocess.run([sys.executable, "-m", "zhaoshang", "makemigrations", "--check", "--dry-run"],
                             capture_output=True, text=True, env=env)
    assert checked.returncode == 0, checked.stderr
    assert "No changes detected" in checked.stdout
