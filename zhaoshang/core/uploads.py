"""Uploaded ledgers that were checked but never confirmed do not stay on disk: after a day
the file goes and the job reads 已取消 with the reason. Run daily (`zhaoshang
purge_uploads`, or the task queue's periodic job where it is installed)."""

import datetime as dt
import time
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.ledger import jobs
from zhaoshang.ledger.models import ImportJob

KEEP = dt.timedelta(days=1)
FINISHED = (ImportJob.Status.CHECKED, ImportJob.Status.CANCELLED, ImportJob.Status.FAILED, ImportJob.Status.DONE)


def purge_unconfirmed_uploads(*, older_than: dt.timedelta = KEEP, now: dt.datetime | None = None) -> dict:
    """Remove the files of jobs not running and untouched for `older_than`, and files in
    the upload folder that no job names. Returns {"jobs": n, "orphans": m, "bytes": b}."""
    now = now or timezone.now()
    cutoff = now - older_than
    removed = {"jobs": 0, "orphans": 0, "bytes": 0}
    stale = ImportJob.objects.filter(status__in=FINISHED, updated_at__lt=cutoff).exclude(stored_path="")
    for job in stale.iterator():
        path = Path(job.stored_path)
        removed["bytes"] += path.stat().st_size if path.exists() else 0
        jobs.discard_file(job)
        changes = {"stored_path": ""}
        if job.status == ImportJob.Status.CHECKED:
            changes.update(status=ImportJob.Status.CANCELLED, message=_("上传后超过1天未确认导入，文件已清除"))
        ImportJob.objects.filter(pk=job.pk).update(**changes)
        removed["jobs"] += 1
    known = {Path(p).name for p in ImportJob.objects.exclude(stored_path="").values_list("stored_path", flat=True)}
    oldest = time.time() - older_than.total_seconds()
    for path in jobs.storage_dir().iterdir():
        if path.is_file() and path.name not in known and path.stat().st_mtime < oldest:
            removed["bytes"] += path.stat().st_size
            path.unlink(missing_ok=True)
            removed["orphans"] += 1
    return removed
