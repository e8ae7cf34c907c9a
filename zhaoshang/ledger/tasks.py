"""Background jobs of the ledger: large imports (checked, then imported) run on the task queue."""

from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus, task
from django_tasks.signals import task_finished

from zhaoshang.ledger.models import ImportJob


@task()
def run_import(job_id: int, dry_run: bool) -> None:
    from zhaoshang.ledger import jobs

    jobs.run(job_id, dry_run)


@receiver(task_finished)
def _job_lost(sender, task_result, **kwargs):
    """A job the queue gave up on (its worker died twice) leaves no import half-shown as running."""
    if task_result.status != TaskResultStatus.FAILED or task_result.task.module_path != run_import.module_path:
        return
    job_id = (task_result.args or [task_result.kwargs.get("job_id")])[0]
    ImportJob.objects.filter(pk=job_id, status__in=[ImportJob.Status.CHECKING, ImportJob.Status.IMPORTING]).update(
        status=ImportJob.Status.FAILED, finished_at=timezone.now(), phase="",
        message=_("后台任务进程中断，未完成，未写入任何数据；请重新上传"),
    )
