"""Finding 8 and the 等保 audit basics: change records cannot be edited or deleted through
the platform, they are chained by hashes that `audit_verify` checks, fixture loads add no
records, and API tokens and ticket notes are on record."""

import io

import pytest
from django.core.management import call_command

from zhaoshang.core.models import AuditRecordImmutable, ChangeRecord
from zhaoshang.projects import actions


def verify():
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue() + err.getvalue()
    return 0, out.getvalue() + err.getvalue()


@pytest.fixture
def history(make_project, unit):
    project = make_project("锂电池项目", responsible_unit=unit)
    actions.update_project(project, name="锂电池项目（二期）")
    actions.update_project(project, notes="备注")
    return project


def test_records_refuse_to_be_edited_or_deleted(history):
    record = ChangeRecord.objects.order_by("id").first()
    record.description = "改过"
    with pytest.raises(AuditRecordImmutable):
        record.save()
    with pytest.raises(AuditRecordImmutable):
        record.delete()
    with pytest.raises(AuditRecordImmutable):
        ChangeRecord.objects.filter(pk=record.pk).update(description="改过")
    with pytest.raises(AuditRecordImmutable):
        ChangeRecord.objects.all().delete()


def test_audit_verify_passes_an_intact_chain(history):
    code, text = verify()
    assert code == 0, text
    assert f"共 {ChangeRecord.objects.count()} 条变更记录" in text


def test_audit_verify_names_an_edited_record(history):
    second = ChangeRecord.objects.order_by("id")[1]
    # Someone with database access edits the record behind the platform's back.
    ChangeRecord.objects.filter(pk=second.pk)._chain_update(object_repr="别的项目")
    code, text = verify()
    assert code == 1
    assert f"编号 {second.pk}" in text and "记录被修改" in text


def test_audit_verify_notices_a_deleted_record(history):
    from django.db import connection

    records = list(ChangeRecord.objects.order_by("id"))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ChangeRecord._meta.db_table} WHERE id = %s", [records[1].pk])
    code, text = verify()
    assert code == 1
    assert f"编号 {records[2].pk}" in text and "前一记录摘要不符" in text


def test_bulk_created_records_join_the_chain(history, zone):
    ChangeRecord.objects.bulk_create([
        ChangeRecord(action="import", zone=zone, description=f"导入第{n}批") for n in range(3)
    ])
    assert verify()[0] == 0


def test_a_many_to_many_change_joining_its_save_keeps_the_chain(make_project, unit, zone):
    from zhaoshang.core.models import Person

    leader = Person.objects.create(zone=zone, name="王局长")
    project = make_project("智算中心", responsible_unit=unit)
    actions.update_project(project, name="智算中心（一期）", leaders=[leader])
    assert verify()[0] == 0


def test_api_tokens_created_and_revoked_are_on_record(bureau_user):
    from zhaoshang.api.actions import create_token, revoke_token
    from zhaoshang.core.changelog import acting_as

    with acting_as(bureau_user):
        token, secret = create_token(user=bureau_user, name="市平台同步")
        revoke_token(token, actor=bureau_user)
    records = list(ChangeRecord.objects.filter(content_type__model="apitoken").order_by("id"))
    assert [r.action for r in records] == ["create", "update"]
    assert records[0].after["name"] == "市平台同步" and records[0].username == bureau_user.username
    assert "key_digest" not in records[0].after and secret not in str(records[0].after)
    assert records[1].before == {"revoked_at": None} and records[1].after["revoked_at"]


def test_a_ticket_note_is_on_record(zone, bureau_user, department):
    from zhaoshang.tickets import actions as tickets

    ticket = tickets.raise_ticket(zone=zone, category="用地", title="用地指标不足", actor=bureau_user,
                                  department=department)
    tickets.add_note(ticket, actor=bureau_user, note="已与自然资源局会商")
    notes = [r for r in ChangeRecord.objects.for_object(ticket) if r.after and r.after.get("kind") == "note"]
    assert len(notes) == 1 and notes[0].after["note"] == "已与自然资源局会商"
    assert notes[0].zone_id == zone.pk


@pytest.mark.django_db(transaction=True)
def test_dumpdata_loaddata_adds_no_records(tmp_path, zone, make_project, unit):
    """A fixture load is not a change: no records, and no failure on PostgreSQL."""
    from zhaoshang.core.models import Person

    leader = Person.objects.create(zone=zone, name="王局长")
    project = make_project("锂电池项目", responsible_unit=unit)
    actions.update_project(project, leaders=[leader])
    dump = tmp_path / "dump.json"
    apps = ["core.zone", "core.orgunit", "core.person", "industry", "enterprises", "projects"]
    call_command("dumpdata", *apps, output=str(dump), natural_foreign=True)
    from zhaoshang.projects.models import Project

    loaded = Project.objects.count()
    # Load into the emptied tables: delete the projects (their records stay) and load back.
    Project.objects.all().delete()
    before = ChangeRecord.objects.count()
    call_command("loaddata", str(dump), verbosity=0)
    assert Project.objects.count() == loaded
    assert Project.objects.get(pk=project.pk).leaders.get() == leader
    assert ChangeRecord.objects.count() == before
