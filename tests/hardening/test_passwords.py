"""Finding 9 (等保 2.0): password complexity in Chinese, and an initial password set by an
administrator must be changed before anything else."""

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from zhaoshang.core import actions


def messages_for(password, username="wangwu"):
    from django.contrib.auth import get_user_model

    try:
        password_validation.validate_password(password, get_user_model()(username=username))
    except ValidationError as error:
        return error.messages
    return []


@pytest.mark.parametrize("password, message", [
    ("zhaoshang", "密码须包含大写字母、小写字母、数字、符号中的至少3类"),
    ("Ab1!", "密码至少8位"),
    ("abcdefgh12", "密码须包含大写字母、小写字母、数字、符号中的至少3类"),
    ("Wangwu-2024x", "密码不能包含用户名"),
])
def test_weak_passwords_are_refused_in_chinese(db, password, message):
    found = messages_for(password)
    assert message in found
    assert all(any("\u4e00" <= c <= "\u9fff" for c in m) for m in found), found


@pytest.mark.parametrize("password", ["Zs-platform8", "招商平台ok2024", "q7#Lm2vX"])
def test_strong_passwords_pass(db, password):
    assert messages_for(password) == []


def test_an_initial_password_must_be_changed_first(client, zone, bureau_user):
    user = actions.create_user(username="lisi", password="Init-Pass-2024", zone=zone, role="bureau", actor=bureau_user)
    client.force_login(user)
    response = client.get("/projects/")
    assert response.status_code == 302 and response["Location"] == "/accounts/profile/"
    assert client.get("/accounts/profile/").status_code == 200
    response = client.post("/accounts/profile/", {"old_password": "Init-Pass-2024", "new_password1": "Mine-Own-2025",
                                                  "new_password2": "Mine-Own-2025"})
    assert response.status_code == 302
    assert client.get("/projects/").status_code == 200


def test_a_reset_by_an_administrator_is_an_initial_password_again(client, zone, bureau_user, unit_user):
    actions.set_password(unit_user, "Reset-Pass-2024", actor=bureau_user)
    client.force_login(unit_user)
    assert client.get("/projects/")["Location"] == "/accounts/profile/"
    actions.set_password(unit_user, "Own-Choice-2025", actor=unit_user)
    client.force_login(unit_user)  # the new password ended the old session
    assert client.get("/projects/").status_code == 200


def test_a_user_made_by_the_command_changes_the_password_first(db, zone, monkeypatch):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from zhaoshang.core.passwords import must_change

    monkeypatch.setenv("ZHAOSHANG_NEW_PASSWORD", "Cmd-Pass-2024")
    call_command("add_user", "zhaoliu", "--zone", zone.code, "--role", "bureau")
    assert must_change(get_user_model().objects.get(username="zhaoliu"))
