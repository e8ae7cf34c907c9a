"""Finding 9: uploaded ledgers checked but never confirmed are removed after a day."""

import datetime as dt
import io
import os
import time

from django.core.management import call_command
from django.utils import timezone

from zhaoshang.ledger import jobs
from zhaoshang.ledger.models import ImportJob


def test_unconfirmed_uploads_go_after_a_day(zone, bureau_user, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    folder = jobs.storage_dir()
    old, fresh, orphan, running = (folder / name for name in ("old.xlsx", "fresh.xlsx", "orphan.xlsx", "run.xlsx"))
    for path in (old, fresh, orphan, running):
        path.write_bytes(b"x" * 1024)
    day_ago = time.time() - 2 * 86400
    os.utime(orphan, (day_ago, day_ago))
    make = lambda path, status: ImportJob.objects.create(  # noqa: E731
        zone=zone, created_by=bureau_user, filename=path.name, stored_path=str(path), status=status)
    stale = make(old, ImportJob.Status.CHECKED)
    make(fresh, ImportJob.Status.CHECKED)
    busy = make(running, ImportJob.Status.CHECKING)
    ImportJob.objects.filter(pk__in=[stale.pk, busy.pk]).update(updated_at=timezone.now() - dt.timedelta(days=2))

    out = io.StringIO()
    call_command("purge_uploads", stdout=out)
    assert "已清除 1 个未确认导入的上传文件、1 个遗留文件" in out.getvalue()
    assert not old.exists() and not orphan.exists()
    assert fresh.exists() and running.exists()
    stale.refresh_from_db()
    assert stale.status == ImportJob.Status.CANCELLED and stale.stored_path == ""
    assert "超过1天未确认" in stale.message
