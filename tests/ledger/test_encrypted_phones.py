"""A ledger's 联系电话 goes in encrypted on every write path (the bulk insert, on PostgreSQL
through COPY; the bulk update of plain changes), is compared as the phone on re-import
and comes out as the phone in the export."""

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.db import connection

from zhaoshang.ledger import bulk
from zhaoshang.ledger.actions import import_ledger
from zhaoshang.projects.models import Project

from .conftest import day

HEADER = ["项目编号", "项目名称", "投资主体", "总投资（万元）", "责任单位", "签约时间", "联系人", "联系电话"]


def _rows(phones):
    return [[f"DH-{n}", f"电话项目{n}", f"电话企业{n}有限公司", "100", "专班甲", "2024-03-01", "张三", phone]
            for n, phone in enumerate(phones, 1)]


def _stored(code):
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_phone FROM projects_project WHERE code = %s", [code])
        return cursor.fetchone()[0]


@pytest.mark.parametrize("copy_rows", [bulk.COPY_ROWS, 1])  # 1: PostgreSQL takes even two rows by COPY
def test_ledger_phones_are_stored_encrypted_and_read_back_as_phones(zone, workbook, monkeypatch, copy_rows):
    monkeypatch.setattr(bulk, "COPY_ROWS", copy_rows)
    phones = ["13812345678", "0353-2021234"]
    result = import_ledger(workbook({"项目": [HEADER, *_rows(phones)]}), zone=zone, today=day("2025-01-01"))
    assert result.ok, [str(issue) for issue in result.errors]
    key = Fernet(settings.ZHAOSHANG_FIELD_KEY[0])
    for n, phone in enumerate(phones, 1):
        stored = _stored(f"DH-{n}")
        assert phone not in stored and not stored.startswith(phone[:3])
        assert key.decrypt(stored.encode()).decode() == phone
    assert sorted(Project.objects.filter(zone=zone).values_list("contact_phone", flat=True)) == sorted(phones)

    again = import_ledger(workbook({"项目": [HEADER, *_rows(phones)]}), zone=zone, today=day("2025-01-01"))
    assert (again.projects_created, again.projects_updated, again.projects_unchanged) == (0, 0, 2)

    changed = import_ledger(workbook({"项目": [HEADER, *_rows(["13900001111", phones[1]])]}), zone=zone,
                            today=day("2025-01-01"))
    assert (changed.projects_updated, changed.projects_unchanged) == (1, 1)
    stored = _stored("DH-1")
    assert "13900001111" not in stored and key.decrypt(stored.encode()) == b"13900001111"
    assert Project.objects.get(zone=zone, code="DH-1").contact_phone == "13900001111"


def test_the_change_records_of_an_import_hold_no_phone_in_clear(zone, workbook):
    """The bulk change records (core.changelog.record_bulk) of a create and of an update keep
    the phone as its token, like the records of a single save."""
    phones = ["13812345678", "0353-2021234"]
    assert import_ledger(workbook({"项目": [HEADER, *_rows(phones)]}), zone=zone, today=day("2025-01-01")).ok
    assert import_ledger(workbook({"项目": [HEADER, *_rows(["13900001111", phones[1]])]}), zone=zone,
                         today=day("2025-01-01")).ok
    with connection.cursor() as cursor:
        cursor.execute("SELECT before, after FROM core_changerecord WHERE CAST(after AS TEXT) LIKE %s OR CAST(before AS TEXT) LIKE %s",
                       ["%contact_phone%", "%contact_phone%"])
        texts = [str(column) for row in cursor.fetchall() for column in row if column is not None]
    assert len(texts) >= 3  # two creates, and the update's before and after
    key = Fernet(settings.ZHAOSHANG_FIELD_KEY[0])
    for phone in [*phones, "13900001111"]:
        assert not any(phone in text for text in texts), phone
    assert any(key.decrypt(token.encode()) == b"13900001111"
               for text in texts for token in text.split('"') if token.startswith("gAAAA"))
