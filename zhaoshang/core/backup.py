"""Backup and restore of a whole installation: one tar archive holding the database (SQLite's
online backup, or pg_dump's custom format on PostgreSQL) and every uploaded file
(attachments, photos, ledgers waiting to be imported) under MEDIA_ROOT.

A restore goes into a new, empty database — not even migrated, as on a new machine after a
disaster — and refuses one that holds tables unless forced."""

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

import django
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_NAME = "database.sqlite3"
PG_NAME = "database.pgdump"
MEDIA = "media"


class BackupError(Exception):
    """A backup or restore that cannot go on, with a message for the operator."""


def _pg_env(db: dict) -> tuple[list[str], dict]:
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise BackupError(_("找不到 %(program)s：请安装与数据库同版本的 PostgreSQL 客户端") % {"program": command[0]}) from error
    if done.returncode != 0:
        raise BackupError(_("%(program)s 失败：%(error)s") % {"program": command[0], "error": done.stderr.strip()[-2000:]})


def _dump_database(folder: Path) -> str:
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        target = folder / SQLITE_NAME
        # The online backup API copies a consistent snapshot while others go on writing.
        source = sqlite3.connect(db["NAME"])
        copy = sqlite3.connect(target)
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
        return SQLITE_NAME
    if connection.vendor == "postgresql":
        args, env = _pg_env(db)
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(folder / PG_NAME), *args], env)
        return PG_NAME
    raise BackupError(_("不支持的数据库：%(vendor)s") % {"vendor": connection.vendor})


def _latest_migrations() -> dict:
    from django.db.migrations.recorder import MigrationRecorder

    latest = {}
    for app, name in MigrationRecorder(connection).migration_qs.values_list("app", "name").order_by("app", "name"):
        latest[app] = name
    return latest


def backup(path: Path) -> dict:
    """Write the archive to `path` (through a temporary file beside it, so that a failed
    backup never leaves a truncated archive under the final name). Returns the manifest."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="zhaoshang-backup-") as work:
        work = Path(work)
        database = _dump_database(work)
        files = sorted(p for p in media.rglob("*") if p.is_file()) if media.is_dir() else []
        manifest = {
            "format": FORMAT, "created_at": timezone.now().isoformat(), "vendor": connection.vendor, "database": database,
            "django": django.get_version(), "migrations": _latest_migrations(), "media_files": len(files),
        }
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(dt.datetime.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(work / database, arcname=database)
            for file in files:
                archive.add(file, arcname=f"{MEDIA}/{file.relative_to(media).as_posix()}", recursive=False)
        os.replace(partial, path)
    return manifest


def existing_tables() -> list[str]:
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, ValueError) as error:
        raise BackupError(_("这不是招商平台的备份文件（缺少 %(name)s）") % {"name": MANIFEST}) from error
    if manifest.get("format") != FORMAT:
        raise BackupError(_("备份文件格式 %(format)s 不受支持") % {"format": manifest.get("format")})
    return manifest


def restore(path: Path, *, force: bool = False) -> dict:
    """Restore the archive at `path` into the configured database and MEDIA_ROOT."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("找不到备份文件 %(path)s") % {"path": path})
    try:
        archive = tarfile.open(path, "r")
    except tarfile.TarError as error:
        raise BackupError(_("备份文件已损坏或不是 tar 文件：%(error)s") % {"error": error}) from error
    with archive, tempfile.TemporaryDirectory(prefix="zhaoshang-restore-") as work:
        manifest = read_manifest(archive)
        if manifest["vendor"] != connection.vendor:
            raise BackupError(_("备份来自 %(source)s 数据库，不能恢复到 %(target)s 数据库")
                              % {"source": manifest["vendor"], "target": connection.vendor})
        tables = existing_tables()
        if tables and not force:
            raise BackupError(_("目标数据库不是空的（已有 %(count)s 张表）：请恢复到新建的空数据库，或加 --force 覆盖")
                              % {"count": len(tables)})
        members = [m for m in archive.getmembers() if m.name == manifest["database"] or m.name.startswith(f"{MEDIA}/")]
        # The "data" filter refuses absolute paths, links out of the folder and device files.
        archive.extractall(work, members=members, filter="data")
        work = Path(work)
        _restore_database(work / manifest["database"], tables, force)
        _restore_media(work / MEDIA, force)
    return manifest


def _restore_database(dump: Path, tables: list[str], force: bool) -> None:
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        connections.close_all()
        source = sqlite3.connect(dump)
        target = sqlite3.connect(db["NAME"])
        try:
            with target:
                source.backup(target)  # replaces the whole target database, page by page
        finally:
            target.close()
            source.close()
        return
    args, env = _pg_env(db)
    connections.close_all()
    if tables and force:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        connections.close_all()
    _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *args, str(dump)], env)


def _restore_media(folder: Path, force: bool) -> None:
    media = Path(settings.MEDIA_ROOT)
    if force and media.is_dir():
        shutil.rmtree(media)
    media.mkdir(parents=True, exist_ok=True)
    if folder.is_dir():
        shutil.copytree(folder, media, dirs_exist_ok=True)
