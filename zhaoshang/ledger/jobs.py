"""Web imports: a job per uploaded file, checked (a dry run) and then imported on
confirmation. Small files run in the request; large ones on the task queue
(ledger/tasks.py), reporting rows done of rows total on the job's row, which any web
process reads for the progress bar.

The mapping step: a check lists the units, parks and leaders the zone does not have; the
answers given on the page are kept on the job (ImportJob.answers, in the form of the
command line's --map file) and the job is checked again with them, so that what is
confirmed is what the import writes. Answering and confirming each take the job's row in
one short transaction (answer_names, claim_import): of two users at once, one wins and the
other is told, and nothing is half-written."""

import hashlib
import json
import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.core import queue
from zhaoshang.ledger.actions import Result, import_ledger
from zhaoshang.ledger.models import ImportJob
from zhaoshang.ledger.names import NameAnswers

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
                                   progress=_reporter(job_id), names=NameAnswers(given=job.answers or {}))
        data = result.as_dict()
        if dry_run:
            status = ImportJob.Status.CHECKED
            fields = {"preview": data}
        else:
            status = ImportJob.Status.DONE if result.ok else ImportJob.Status.FAILED
            fields = {"result": data, "finished_at": timezone.now()}
        unanswered = len(result.unknown_names)
        if result.errors and dry_run and len(result.errors) > unanswered:
            fields["message"] = _("台账有 %(count)s 处错误，请修改后重新上传") % {"count": len(result.errors) - unanswered}
        elif unanswered and dry_run:
            fields["message"] = _("有 %(count)s 个名称本园区没有：请在下方逐个选择对应到已有的，或新建，然后再确认导入") % {"count": unanswered}
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


def start(job: ImportJob, *, dry_run: bool, claimed: bool = False) -> bool:
    """Check (dry_run) or import a job's file; True when it runs in the background.
    `claimed`: the job's status was already set (answer_names, claim_import)."""
    if not claimed:
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


def answers_digest(job: ImportJob) -> str:
    """Names the answers a preview was checked with: a page's forms carry it, so that an
    answer or a confirmation made on a preview someone has since changed is refused."""
    text = json.dumps(job.answers or {}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class Stale(Exception):
    """The job moved on since the page was shown; the message says how, in Chinese."""

    @classmethod
    def changed(cls) -> "Stale":
        return cls(_("另一位同事刚刚修改了名称对应，预览已更新：请查看更新后的预览再操作"))


def _locked(job_id: int, digest: str) -> ImportJob:
    job = ImportJob.objects.select_for_update().get(pk=job_id)
    if job.status != ImportJob.Status.CHECKED:
        raise Stale(_("这个台账正在检查或已处理（可能另一位同事刚提交了对应或确认了导入），请刷新页面后再操作"))
    if digest != answers_digest(job):
        raise Stale.changed()
    return job


def answer_names(job: ImportJob, answers: dict, digest: str, *, reset: bool = False) -> bool:
    """Add `answers` ({kind: {written: existing name or 新建}}, already checked against the
    job's zone) to the job's, or start again from none (`reset`), and check the ledger again
    with them. Raises Stale when the preview shown is no longer the job's."""
    with transaction.atomic():
        locked = _locked(job.pk, digest)
        merged = {} if reset else {kind: dict(given) for kind, given in (locked.answers or {}).items()}
        for kind, given in answers.items():
            merged.setdefault(kind, {}).update(given)
        ImportJob.objects.filter(pk=job.pk).update(answers=merged, status=ImportJob.Status.CHECKING, rows_done=0, phase="",
                                                   message="", updated_at=timezone.now())
    job.refresh_from_db()
    return start(job, dry_run=True, claimed=True)


def claim_import(job: ImportJob, digest: str) -> ImportJob:
    """Take a checked job for its import: only from the preview the user saw, only once."""
    with transaction.atomic():
        locked = _locked(job.pk, digest)
        data = locked.preview or {}
        if data.get("errors"):
            raise Stale(_("这个台账不能导入：请先完成名称对应，或修改错误并重新上传"))
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.IMPORTING, rows_done=0, phase="",
                                                   updated_at=timezone.now())
    job.refresh_from_db()
    return job
