"""Backup → restore into a new, empty (not migrated) database gives the same figures and the
same uploaded files; a database that holds data is refused unless forced."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PG = "postgres://postgres@127.0.0.1:5432"

SETUP = """
import datetime as dt
from decimal import Decimal
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from zhaoshang.core.actions import create_zone
from zhaoshang.projects import actions
zone = create_zone(code="bk", name="备份测试区", province="山西省")
for n, (signed, started, amount) in enumerate([("2024-02-01", "2024-05-01", "52000"), ("2024-03-09", None, "18000.5"),
                                               ("2024-11-30", "2024-12-20", "7300")]):
    project = actions.create_project(zone=zone, name=f"备份项目{n}", total_investment=Decimal(amount), is_fixed_asset=True,
                                     signed_on=dt.date.fromisoformat(signed),
                                     started_on=dt.date.fromisoformat(started) if started else None)
    actions.add_fund_arrival(project, date=dt.date(2024, 12, 1), amount=Decimal("1234.56"))
default_storage.save("tickets/附件 一.pdf", ContentFile(b"%PDF-1.4 not really" * 50))
default_storage.save("photos/2024/site.jpg", ContentFile(bytes(range(256)) * 20))
"""
KPI = ["kpi", "--zone", "bk", "--from", "2024-01-01", "--to", "2024-12-31", "--json"]


def installation(tmp_path, name, database_url):
    var = tmp_path / name
    var.mkdir()
    env = {**os.environ, "ZHAOSHANG_DEBUG": "1", "ZHAOSHANG_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "zhaoshang.settings",
           "ZHAOSHANG_DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}

    def run(*args, check=True):
        done = subprocess.run([sys.executable, "-m", "zhaoshang", *args], env=env, cwd=ROOT, capture_output=True, text=True,
                              timeout=600)
        if check:
            assert done.returncode == 0, done.stderr[-3000:]
        return done

    run.media = var / "media"
    return run


def files(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def round_trip(tmp_path, source_url, target_url):
    source = installation(tmp_path, "source", source_url)
    source("migrate", "-v0")
    source("shell", "-v0", "-c", SETUP)
    figures = source(*KPI).stdout
    assert json.loads(figures)["signed_count"] == 3 and json.loads(figures)["fai_funds_in_place"] == 3703.68
    archive = tmp_path / "backup" / "zhaoshang.tar"
    assert "上传文件 2 个" in source("backup", str(archive)).stdout

    target = installation(tmp_path, "target", target_url)
    assert "已恢复" in target("restore", str(archive)).stdout
    assert target(*KPI).stdout == figures
    assert files(target.media) == files(source.media) and len(files(target.media)) == 2
    # The restored database is now in use: a second restore is refused, unless forced.
    refused = target("restore", str(archive), check=False)
    assert refused.returncode != 0 and "目标数据库不是空的" in refused.stderr
    (target.media / "stray.txt").write_text("left from before")
    target("restore", "--force", str(archive))
    assert target(*KPI).stdout == figures and files(target.media) == files(source.media)


@pytest.mark.slow
def test_sqlite_backup_restores_into_a_new_database(tmp_path):
    round_trip(tmp_path, f"sqlite:///{tmp_path / 'a.sqlite3'}", f"sqlite:///{tmp_path / 'b.sqlite3'}")


@pytest.fixture
def pg_databases():
    import psycopg

    names = [f"h19_backup_{uuid.uuid4().hex[:8]}_{side}" for side in ("a", "b")]
    try:
        admin = psycopg.connect(f"{PG}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        pytest.skip("no PostgreSQL server on 127.0.0.1:5432")
    with admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
        yield [f"{PG}/{name}" for name in names]
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.slow
def test_postgresql_backup_restores_into_a_new_database(tmp_path, pg_databases):
    round_trip(tmp_path, *pg_databases)


def test_a_file_that_is_not_a_backup_is_refused(tmp_path, db):
    from django.core.management import CommandError, call_command

    bogus = tmp_path / "x.tar"
    bogus.write_bytes(b"not a tar at all")
    with pytest.raises(CommandError, match="备份文件已损坏"):
        call_command("restore", str(bogus))
    with pytest.raises(CommandError, match="找不到备份文件"):
        call_command("restore", str(tmp_path / "missing.tar"))
