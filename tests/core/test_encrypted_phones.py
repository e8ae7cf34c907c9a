"""Investors' and introducers' phones are stored encrypted at rest (等保 2.0 level 3): the
column holds a Fernet token, pages, API and exports still show the phone to those allowed
and 138****5678 to others; a wrong key shows 无法解密 instead of breaking the pages."""

import logging
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import override_settings
from rest_framework.test import APIClient

from zhaoshang.api.actions import create_token
from zhaoshang.campaigns.actions import create_introducer
from zhaoshang.core import fields
from zhaoshang.core.fields import token_length
from zhaoshang.enterprises.actions import create_enterprise
from zhaoshang.industry.actions import create_target
from zhaoshang.projects import actions as project_actions
from zhaoshang.projects.models import Project

PHONE = "13812345678"
# 30 characters, the form's limit, with CJK (3 bytes each in UTF-8) to make the token long.
LONGEST = "+86 0353-12345678 转 分机号码一二三四五六"


def raw(obj, field: str) -> str:
    """The column as the database holds it, past the model."""
    quote = connection.ops.quote_name
    column = obj._meta.get_field(field).column
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote(column)} FROM {quote(obj._meta.db_table)} WHERE id = %s", [obj.pk])
        return cursor.fetchone()[0]


def _make(kind, zone, make_project, phone, name="甲"):
    if kind == "project":
        return make_project(name=f"{name}项目", contact_phone=phone), "contact_phone"
    if kind == "enterprise":
        return create_enterprise(zone=zone, name=f"{name}投资有限公司", contact_phone=phone), "contact_phone"
    if kind == "target":
        return create_target(zone=zone, name=f"目标企业{name}", contact_phone=phone), "contact_phone"
    return create_introducer(zone=zone, name=f"引荐人{name}", phone=phone), "phone"


KINDS = ["project", "enterprise", "target", "introducer"]


@pytest.mark.parametrize("kind", KINDS)
def test_the_column_holds_a_token_not_the_phone(kind, zone, make_project):
    obj, field = _make(kind, zone, make_project, PHONE)
    stored = raw(obj, field)
    assert PHONE not in stored and not stored.startswith(PHONE[:3])
    assert Fernet(settings.ZHAOSHANG_FIELD_KEY[0]).decrypt(stored.encode()).decode() == PHONE
    assert getattr(type(obj).objects.get(pk=obj.pk), field) == PHONE


def test_the_same_phone_twice_gives_two_different_tokens(zone, make_project):
    first, second = make_project(name="甲", contact_phone=PHONE), make_project(name="乙", contact_phone=PHONE)
    assert raw(first, "contact_phone") != raw(second, "contact_phone")


def test_a_blank_phone_stays_blank(zone, make_project):
    project = make_project(name="无电话项目")
    assert raw(project, "contact_phone") == ""
    assert Project.objects.filter(contact_phone="").get() == project


@pytest.mark.parametrize("kind", KINDS)
def test_a_phone_of_the_longest_length_fits_once_encrypted(kind, zone, make_project):
    assert len(LONGEST) == 30
    obj, field = _make(kind, zone, make_project, LONGEST)
    stored = raw(obj, field)
    model_field = obj._meta.get_field(field)
    assert model_field.max_length == 30 and model_field.formfield().max_length == 30  # what a user may type
    assert len(stored) <= token_length(30) and f"({token_length(30)})" in model_field.db_type(connection)
    assert getattr(type(obj).objects.get(pk=obj.pk), field) == LONGEST


def test_phones_cannot_be_searched_by_part(zone):
    from django.core.exceptions import FieldError

    with pytest.raises(FieldError, match="contact_phone is stored encrypted"):
        list(Project.objects.filter(contact_phone__contains="138"))


# --- read back where users read them ---------------------------------------------------


def _api(user):
    _token, secret = create_token(user=user, name="测试脚本")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return api


def test_the_page_and_the_api_show_the_phone_to_those_allowed_masked_to_others(world, client, other_unit_user, park_user):
    project = world.theirs  # other_unit's, landing in park_user's park
    client.force_login(other_unit_user)
    assert "13987654321" in client.get(f"/projects/{project.pk}/").content.decode()
    assert _api(other_unit_user).get(f"/api/v1/projects/{project.pk}/").json()["contact_phone"] == "13987654321"
    client.force_login(park_user)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert "（仅责任单位可见）" in page and "4321" not in page
    assert _api(park_user).get(f"/api/v1/projects/{project.pk}/").json()["contact_phone"] == "139****4321"


def test_the_ledger_export_writes_the_phone(world, tmp_path):
    from python_calamine import CalamineWorkbook

    from zhaoshang.ledger.export import write_projects

    out = tmp_path / "out.xlsx"
    write_projects(Project.objects.filter(pk=world.ours.pk), out=out)
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    assert any("13812345678" in [str(cell) for cell in row] for row in rows)


# --- keys -----------------------------------------------------------------------------


def test_a_wrong_key_shows_unreadable_and_keeps_the_pages_up(world, client, make_user, zone, caplog):
    bureau = make_user("bureau2", zone, "bureau")
    before = raw(world.ours, "contact_phone")
    client.force_login(bureau)
    with override_settings(ZHAOSHANG_FIELD_KEY=[Fernet.generate_key().decode()]), caplog.at_level(logging.ERROR):
        fields._warned.clear()
        detail = client.get(f"/projects/{world.ours.pk}/")
        assert detail.status_code == 200
        assert "无法解密" in detail.content.decode() and "13812345678" not in detail.content.decode()
        assert client.get("/projects/").status_code == 200
        assert _api(bureau).get(f"/api/v1/projects/{world.ours.pk}/").json()["contact_phone"] == "无法解密"
        # Shown as is to those who may not read contacts: there is nothing in it to mask.
        from zhaoshang.core.masking import mask_phone

        assert mask_phone(Project.objects.get(pk=world.ours.pk).contact_phone) == "无法解密"
        # Saving the project for another reason keeps the stored phone as it was.
        project_actions.update_project(Project.objects.get(pk=world.ours.pk), name="甲专班项目（改名）")
        assert raw(world.ours, "contact_phone") == before
    logged = [record.getMessage() for record in caplog.records if record.name == "zhaoshang.core.fields"]
    assert len(logged) == len(set(logged))  # once per field, not once per row or page
    assert ("projects.Project.contact_phone: a stored value cannot be decrypted with ZHAOSHANG_FIELD_KEY (wrong key, "
            "or a backup restored without the key it was taken under); shown as 无法解密") in logged
    assert Project.objects.get(pk=world.ours.pk).contact_phone == "13812345678"  # the right key reads it again


def test_a_new_key_first_and_the_old_one_kept_reads_both_and_writes_with_the_new(zone, make_project):
    old = settings.ZHAOSHANG_FIELD_KEY[0]
    new = Fernet.generate_key().decode()
    kept = make_project(name="旧密钥项目", contact_phone=PHONE)
    with override_settings(ZHAOSHANG_FIELD_KEY=[new, old]):
        assert Project.objects.get(pk=kept.pk).contact_phone == PHONE
        fresh = make_project(name="新密钥项目", contact_phone="13900001111")
    assert Fernet(new).decrypt(raw(fresh, "contact_phone").encode()) == b"13900001111"
    with override_settings(ZHAOSHANG_FIELD_KEY=[new]):
        assert Project.objects.get(pk=fresh.pk).contact_phone == "13900001111"
        assert Project.objects.get(pk=kept.pk).contact_phone == "无法解密"


# --- the migration --------------------------------------------------------------------


@pytest.mark.parametrize("app, migration, model, field", [
    ("projects", "0015_contact_phone_encrypted", "Project", "contact_phone"),
    ("enterprises", "0005_contact_phone_encrypted", "Enterprise", "contact_phone"),
    ("industry", "0003_contact_phone_encrypted", "TargetCompany", "contact_phone"),
    ("campaigns", "0002_introducer_phone_encrypted", "Introducer", "phone"),
])
def test_the_migration_encrypts_plain_phones_and_its_reverse_decrypts_them(app, migration, model, field, zone, make_project):
    kind = {"Project": "project", "Enterprise": "enterprise", "TargetCompany": "target", "Introducer": "introducer"}[model]
    obj, _field = _make(kind, zone, make_project, PHONE)
    blank, _field = _make(kind, zone, make_project, "", name="乙")
    loader = MigrationLoader(connection)
    operation = loader.get_migration(app, migration).operations[-1]
    apps = loader.project_state((app, migration)).apps
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:  # as before the migration: the phone in plain text
        cursor.execute(f"UPDATE {quote(obj._meta.db_table)} SET {quote(obj._meta.get_field(field).column)} = %s "
                       f"WHERE id = %s", [PHONE, obj.pk])
    editor = SimpleNamespace(connection=connection)  # all the operation uses of a schema editor
    operation.code(apps, editor)
    token = raw(obj, field)
    assert token != PHONE and getattr(type(obj).objects.get(pk=obj.pk), field) == PHONE
    operation.code(apps, editor)  # run again: encrypted once, not twice
    assert raw(obj, field) == token
    operation.reverse_code(apps, editor)
    assert raw(obj, field) == PHONE and raw(blank, field) == ""


# --- the change log -------------------------------------------------------------------


def test_the_change_log_holds_tokens_and_the_history_shows_the_phones_as_allowed(world, bureau_user, park_user):
    from zhaoshang.core.history import history_for
    from zhaoshang.core.models import ChangeRecord

    project_actions.update_project(world.theirs, contact_phone="13700002222")
    record = ChangeRecord.objects.filter(object_id=str(world.theirs.pk), action="update", after__has_key="contact_phone").get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT before, after FROM core_changerecord WHERE id = %s", [record.pk])
        stored = " ".join(str(value) for value in cursor.fetchone())
    assert "13987654321" not in stored and "13700002222" not in stored and "contact_phone" in stored

    def phone_change(user):
        changes = [change for entry in history_for(world.theirs, user) for change in entry.changes
                   if change.field == "contact_phone" and entry.record.pk == record.pk]
        return changes[0].before, changes[0].after

    assert phone_change(bureau_user) == ("13987654321", "13700002222")
    assert phone_change(park_user) == ("139****4321", "137****2222")


def test_records_written_before_the_encryption_still_show_their_phones(world, bureau_user):
    from zhaoshang.core.history import history_for
    from zhaoshang.core.models import ChangeRecord

    from django.contrib.contenttypes.models import ContentType

    record = ChangeRecord.objects.get(content_type=ContentType.objects.get_for_model(Project), object_id=str(world.ours.pk),
                                      action="create")
    with connection.cursor() as cursor:  # as a record of last year holds it: the phone in plain text
        cursor.execute("UPDATE core_changerecord SET after = %s WHERE id = %s", ['{"contact_phone": "13812345678"}', record.pk])
    shown = [change.after for entry in history_for(world.ours, bureau_user) for change in entry.changes
             if change.field == "contact_phone" and entry.record.pk == record.pk]
    assert shown == ["13812345678"]
