"""Web imports: a job per uploaded file, checked (a dry run) and then imported on
confirmation. Small files run in the request; large ones on the task queue
(ledger/tasks.py), reporting rows done of rows total on the job's row, which any web
process reads for the progress bar."""

import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.core import queue
from zhaoshang.ledger.actions import Result, import_ledger
from zhaoshang.ledger.models import ImportJob

log = logging.getLogger(__name__)


def background_bytes() -> int:
    return int(getattr(settings, "ZHAOSHANG_LEDGER_BACKGROUND_BYTES", 512 * 1024))


def storage_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "ledger"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_upload(upload) -> Path:
    suffix = Path(upload.name).suffix.lower()[:6] if Path(upload.name).suffix.lower() in (".xlsx", ".xlsm", ".xls", ".csv", ".ods") else ""
    path = storage_dir() / f"{uuid.uuid4().hex}{suffix}"
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return path


RUNNING = [ImportJob.Status.CHECKING, ImportJob.Status.IMPORTING]


def live_progress(job: ImportJob) -> tuple[int, int, str]:
    return job.rows_done, job.rows_total, job.phase


def _reporter(job_id: int):
    def progress(done, total, phase=""):
        # Written by the worker's heartbeat on its own connection: visible to every web
        # process while the import's transaction is still open.
        queue.report_progress(ImportJob, job_id, only_if={"status__in": RUNNING}, rows_done=done, rows_total=total, phase=phase)

    return progress


def run(job_id: int, dry_run: bool) -> None:
    from zhaoshang.core.changelog import acting_as

    job = ImportJob.objects.select_related("zone", "created_by").get(pk=job_id)
    path = Path(job.stored_path)
    try:
        with acting_as(job.created_by, origin="ledger_import"):
            result = import_ledger(path, zone=job.zone, actor=job.created_by, dry_run=dry_run, filename=job.filename,
                                   progress=_reporter(job_id))
        data = result.as_dict()
        if dry_run:
            status = ImportJob.Status.CHECKED
            fields = {"preview": data}
        else:
            status = ImportJob.Status.DONE if result.ok else ImportJob.Status.FAILED
            fields = {"result": data, "finished_at": timezone.now()}
        if result.errors and dry_run:
            fields["message"] = _("台账有 %(count)s 处错误，请修改后重新上传") % {"count": len(result.errors)}
        total = result.rows_total
        ImportJob.objects.filter(pk=job_id).update(status=status, rows_done=total, rows_total=total, phase="", **fields)
    except Exception:  # a bug, not the user's file: keep the page usable and log it
        log.exception("ledger import job %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED, finished_at=timezone.now(), message=_("导入时发生内部错误，未写入任何数据；请联系管理员")
        )
    finally:
        job.refresh_from_db()
        if job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
            discard_file(job)


def discard_file(job: ImportJob) -> None:
    if job.stored_path:
        Path(job.stored_path).unlink(missing_ok=True)


def start(job: ImportJob, *, dry_run: bool) -> bool:
    """Check (dry_run) or import a job's file; True when it runs in the background."""
    job.status = ImportJob.Status.CHECKING if dry_run else ImportJob.Status.IMPORTING
    job.rows_done = 0
    job.phase = ""
    job.save(update_fields=["status", "rows_done", "phase", "updated_at"])
    if job.size > background_bytes():
        from zhaoshang.ledger.tasks import run_import

        run_import.enqueue(job.pk, dry_run)
        return True
    run(job.pk, dry_run)
    return False


def result_of(job: ImportJob) -> Result | None:
    data = job.result if job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED) and job.result else job.preview
    return Result.from_dict(data) if data else None
