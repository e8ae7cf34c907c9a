"""台账 pages: upload → preview (a dry run: counts, every error and warning, what would be
created) → confirm; progress of large files; the blank template; a zone ledger export."""

import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhaoshang.core import access, permissions
from zhaoshang.core.models import Role
from zhaoshang.ledger import jobs, names, readers
from zhaoshang.ledger.actions import export_projects
from zhaoshang.ledger.export import write_template
from zhaoshang.ledger.forms import ExportForm, MappingForm, UploadForm
from zhaoshang.ledger.models import ImportJob
from zhaoshang.projects import kpi
from zhaoshang.projects.models import Project

IMPORT_ROLES = {Role.ADMIN, Role.BUREAU}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN_ISSUES = 500
ROWS_PER_PAGE = 50


def _zone(request):
    zone = access.current_zone(request)
    if zone is None:
        raise Http404(_("您还没有所属园区"))
    return zone


def can_import(user, zone) -> bool:
    return permissions.can(user, "ledger.import", zone)


def _job_or_404(request, pk) -> ImportJob:
    zone = _zone(request)
    job = get_object_or_404(ImportJob.objects.select_related("zone", "created_by"), pk=pk, zone=zone)
    if not can_import(request.user, zone):
        raise Http404
    return job


def _attachment(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@login_required
@require_GET
def index(request):
    zone = _zone(request)
    allowed = can_import(request.user, zone)
    recent = ImportJob.objects.filter(zone=zone).select_related("created_by")[:20] if allowed else []
    today = timezone.localdate()
    export_form = ExportForm(initial={"start": dt.date(today.year, 1, 1), "end": today})
    return render(request, "ledger/index.html", {
        "zone": zone, "can_import": allowed, "form": UploadForm(), "export_form": export_form, "jobs": recent,
        "max_mb": readers.max_bytes() // readers.MB,
    })


@login_required
@require_POST
def upload(request):
    zone = _zone(request)
    permissions.require(request.user, "ledger.import", zone)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        today = timezone.localdate()
        return render(request, "ledger/index.html", {
            "zone": zone, "can_import": True, "form": form, "jobs": ImportJob.objects.filter(zone=zone)[:20],
            "export_form": ExportForm(initial={"start": dt.date(today.year, 1, 1), "end": today}),
            "max_mb": readers.max_bytes() // readers.MB,
        }, status=400)
    upload_file = form.cleaned_data["file"]
    path = jobs.store_upload(upload_file)
    job = ImportJob.objects.create(zone=zone, created_by=request.user, filename=upload_file.name[:200], stored_path=str(path),
                                   size=upload_file.size)
    jobs.start(job, dry_run=True)
    return HttpResponseRedirect(reverse("ledger:job", args=[job.pk]))


def _questions(job, result) -> list:
    """The mapping step's questions: each unknown name with a choice of the zone's names of
    its kind, the closest first, the job's earlier answer (if any) chosen."""
    choices = {}
    questions = []
    for index, item in enumerate(result.unknown_names):
        kind = item["kind"]
        if kind not in choices:
            choices[kind] = names.existing(job.zone, kind)
        by_name = {name: pk for pk, name in choices[kind].items()}
        nearest = [(by_name[name], name) for name in item["closest"] if name in by_name]
        others = [(pk, name) for pk, name in choices[kind].items() if name not in item["closest"]]
        questions.append({"index": index, "kind": kind, "label": names.KIND_LABELS[kind], "name": item["name"],
                          "sheet": item["sheet"], "row": item["row"], "closest": nearest, "others": others})
    return questions


def _job_context(request, job):
    result = jobs.result_of(job)
    done, total, phase = jobs.live_progress(job)
    context = {"job": job, "result": result, "done": done, "total": total, "phase": phase,
               "percent": min(100, round(100 * done / total)) if total else 0, "shown": SHOWN_ISSUES,
               "digest": jobs.answers_digest(job)}
    if result is not None:
        # The unanswered names are errors of the check too; the page asks them as questions.
        asked = {(item["sheet"], item["row"], item.get("message")) for item in result.unknown_names}
        file_errors = [issue for issue in result.errors if (issue.sheet, issue.row, issue.message) not in asked]
        context["errors"] = file_errors[:SHOWN_ISSUES]
        context["file_error_count"] = len(file_errors)
        context["warnings"] = result.warnings[:SHOWN_ISSUES]
        context["questions"] = _questions(job, result) if job.status == ImportJob.Status.CHECKED else []
        context["answered"] = [item for item in result.mapped_names if not item["remembered"]]
        context["answered_new"] = [(names.KIND_LABELS[kind], written) for kind, given in (job.answers or {}).items()
                                   for written, answer in given.items() if answer == names.NEW]
        context["remembered"] = [item for item in result.mapped_names if item["remembered"]]
        context["rows_page"] = Paginator(result.rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return context


@login_required
@require_GET
def job_detail(request, pk):
    job = _job_or_404(request, pk)
    return render(request, "ledger/job.html", _job_context(request, job))


@login_required
@require_GET
def job_progress(request, pk):
    """The progress bar, polled by htmx; once the job has finished, the page reloads."""
    job = _job_or_404(request, pk)
    if not job.running:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "ledger/_progress.html", _job_context(request, job))


@login_required
@require_POST
def job_names(request, pk):
    """The mapping step's answers (or, with `reset`, none again): kept on the job, which is
    then checked again with them."""
    job = _job_or_404(request, pk)
    back = HttpResponseRedirect(reverse("ledger:job", args=[job.pk]))
    result = jobs.result_of(job)
    if job.status != ImportJob.Status.CHECKED or result is None:
        messages.error(request, _("这个台账当前不能修改名称对应，请刷新页面"))
        return back
    reset = bool(request.POST.get("reset"))
    answers = {}
    if request.POST.get("digest", "") != jobs.answers_digest(job):  # checked again under the row's lock
        messages.error(request, str(jobs.Stale.changed()))
        return back
    if not reset:
        form = MappingForm(request.POST, zone=job.zone, unknown=result.unknown_names)
        if not form.is_valid():
            messages.error(request, "；".join(form.non_field_errors()))
            return back
        answers = form.answers
    try:
        jobs.answer_names(job, answers, request.POST.get("digest", ""), reset=reset)
    except jobs.Stale as error:
        messages.error(request, str(error))
        return back
    job.refresh_from_db()
    if job.status == ImportJob.Status.CHECKED:
        messages.success(request, _("已按您的对应重新检查，下面是将要写入的内容") if not reset else _("已清除本次的对应并重新检查"))
    return back


@login_required
@require_POST
def job_confirm(request, pk):
    job = _job_or_404(request, pk)
    result = jobs.result_of(job)
    if job.status != ImportJob.Status.CHECKED or result is None or result.errors:
        if result is not None and result.unknown_names:
            messages.error(request, _("还有 %(count)s 个名称没有对应：请先逐个选择对应到已有的，或新建") % {"count": len(result.unknown_names)})
        else:
            messages.error(request, _("这个台账不能导入：请先修改错误并重新上传"))
        return HttpResponseRedirect(reverse("ledger:job", args=[job.pk]))
    try:
        job = jobs.claim_import(job, request.POST.get("digest", ""))
    except jobs.Stale as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(reverse("ledger:job", args=[job.pk]))
    jobs.start(job, dry_run=False, claimed=True)
    job.refresh_from_db()
    if job.status == ImportJob.Status.DONE:
        done = jobs.result_of(job)
        messages.success(request, _("导入完成：新建项目%(created)s个，更新%(updated)s个，资金到位%(arrivals)s笔")
                         % {"created": done.projects_created, "updated": done.projects_updated, "arrivals": done.fund_arrivals_created})
    return HttpResponseRedirect(reverse("ledger:job", args=[job.pk]))


@login_required
@require_POST
def job_cancel(request, pk):
    job = _job_or_404(request, pk)
    if job.status == ImportJob.Status.CHECKED:
        jobs.discard_file(job)
        job.status = ImportJob.Status.CANCELLED
        job.save(update_fields=["status", "updated_at"])
        messages.info(request, _("已取消，未导入任何数据"))
    return HttpResponseRedirect(reverse("ledger:index"))


@login_required
@require_GET
def template(request):
    stream = io.BytesIO()
    write_template(stream)
    return _attachment(stream.getvalue(), _("招商项目台账模板.xlsx"))


@login_required
@require_GET
def export(request):
    """The zone's ledger as the viewer may see it: projects signed in the period (all when
    no period is given), with the period's arrivals and figures."""
    zone = _zone(request)
    form = ExportForm(request.GET or None)
    if request.GET and not form.is_valid():
        messages.error(request, _("导出条件有误：") + "；".join(str(error) for errors in form.errors.values() for error in errors))
        return HttpResponseRedirect(reverse("ledger:index"))
    projects = Project.objects.visible_to(request.user).filter(zone=zone)
    period = None
    if request.GET and form.cleaned_data.get("start"):
        period = kpi.Period(form.cleaned_data["start"], form.cleaned_data["end"])
        projects = kpi.projects_behind("signed_count", projects, period)
    stream = io.BytesIO()
    filters = dict(request.GET.items())
    export_projects(projects, stream, actor=request.user, zone=zone, period=period, filters=filters,
                    description=_("导出项目台账"),
                    filters_text=_("签约于 %(start)s 至 %(end)s") % {"start": period.start, "end": period.end} if period else "")
    suffix = f"{period.start}_{period.end}" if period else dt.date.today().isoformat()
    return _attachment(stream.getvalue(), f"{zone.name}招商项目台账_{suffix}.xlsx")
