"""认定 pages: the monthly review (联合会审), certifying and returning claims, evidence
uploads and downloads, and 增资 on a project. Reads go through visible_to: nobody reaches a
claim or a file of a project they may not see (404)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhaoshang.core import permissions
from zhaoshang.core.access import current_zone
from zhaoshang.core.changelog import record_data_transfer
from zhaoshang.projects.models import Project
from zhaoshang.projects.permissions import can_write_project
from zhaoshang.review import actions, selectors
from zhaoshang.review.forms import CapitalIncreaseForm, CertifyForm, EvidenceForm, ReturnForm
from zhaoshang.review.models import Claim, Evidence


def _messages_of(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [message for messages_ in error.message_dict.values() for message in messages_]
    return list(error.messages)


def _back(request, default: str):
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(default)


def _claim_or_404(request, pk) -> Claim:
    return get_object_or_404(Claim.objects.visible_to(request.user).select_related("project__zone"), pk=pk)


def _review_url(claim: Claim) -> str:
    return reverse("review:month") + f"?month={claim.date:%Y-%m}"


@login_required
@require_GET
def month(request):
    """联合会审: the month's claims with their evidence and the project's facts; the bureau
    certifies the selected ones in one pass or returns one with a reason."""
    zone = current_zone(request)
    if zone is None:
        raise Http404(_("没有可访问的园区"))
    permissions.require(request.user, "review.view", zone)
    today = timezone.localdate()
    month_start = selectors.parse_month(request.GET.get("month"), today)
    errors = []
    if month_start is None:
        errors.append(_("月份“%(value)s”无效，应写作 2026-11") % {"value": request.GET.get("month")})
        month_start = today.replace(day=1)
    status = request.GET.get("status", "")
    claims = list(selectors.month_claims(request.user, zone, month_start, status))
    previous = (month_start.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    following = (month_start + dt.timedelta(days=32)).replace(day=1)
    context = {
        "zone": zone,
        "month": month_start,
        "previous_month": previous,
        "next_month": following if following <= today else None,
        "claims": claims,
        "status": status,
        "statuses": Claim.Status.choices,
        "counts": {value: sum(1 for claim in claims if claim.status == value) for value in Claim.Status.values},
        "earlier_pending": selectors.earlier_pending(request.user, zone, month_start),
        "can_certify": actions.can_certify(request.user, zone),
        "certification_required": zone.certification_required,
        "certify_form": CertifyForm(),
        "errors": errors,
        "today": today,
    }
    return render(request, "review/month.html", context)


@login_required
@require_POST
def certify(request):
    zone = current_zone(request)
    default = reverse("review:month") + (f"?month={request.POST.get('month')}" if request.POST.get("month") else "")
    ids = [value for value in request.POST.getlist("claim") if value.isdigit()]
    claims = Claim.objects.visible_to(request.user).filter(pk__in=ids, project__zone=zone)
    form = CertifyForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(request, default)
    try:
        count = actions.certify(list(claims), actor=request.user, on=form.cleaned_data["on"])
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
    else:
        messages.success(request, _("已认定%(count)s项") % {"count": count})
    return _back(request, default)


@login_required
@require_POST
def return_claim(request, pk):
    claim = _claim_or_404(request, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("退回需填写原因"))
        return _back(request, _review_url(claim))
    try:
        actions.return_claim(claim, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
    else:
        messages.success(request, _("已退回“%(project)s”的%(kind)s申报") % {"project": claim.project.name, "kind": claim.get_kind_display()})
    return _back(request, _review_url(claim))


@login_required
@require_POST
def resubmit(request, pk):
    claim = _claim_or_404(request, pk)
    try:
        actions.resubmit(claim, actor=request.user)
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
    else:
        messages.success(request, _("已重新提交认定"))
    return _back(request, reverse("projects:detail", args=[claim.project_id]))


@login_required
@require_POST
def evidence_add(request, pk):
    claim = _claim_or_404(request, pk)
    form = EvidenceForm(request.POST, request.FILES)
    back = reverse("projects:detail", args=[claim.project_id])
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(request, back)
    try:
        actions.add_evidence(claim, upload=form.cleaned_data["file"], kind=form.cleaned_data["kind"], actor=request.user)
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
    else:
        messages.success(request, _("材料已上传"))
    return _back(request, back)


def _evidence_or_404(request, pk) -> Evidence:
    return get_object_or_404(
        Evidence.objects.filter(project__in=Project.objects.visible_to(request.user)).select_related("claim", "project"), pk=pk
    )


@login_required
@require_GET
def evidence_download(request, pk):
    evidence = _evidence_or_404(request, pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("材料文件已不存在")) from None
    record_data_transfer(
        request.user, "export", _("下载证明材料“%(name)s”（%(project)s）") % {"name": evidence.name, "project": evidence.project.name},
        filters={"evidence": evidence.pk, "project": evidence.project_id}, row_count=1, zone=evidence.project.zone_id, model=Evidence,
    )
    inline = evidence.name.lower().endswith((".pdf", ".jpg", ".jpeg", ".png"))
    return FileResponse(handle, as_attachment=not inline, filename=evidence.name)


@login_required
@require_POST
def evidence_delete(request, pk):
    evidence = _evidence_or_404(request, pk)
    back = reverse("projects:detail", args=[evidence.project_id])
    try:
        actions.delete_evidence(evidence, actor=request.user)
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
    else:
        messages.success(request, _("材料已删除"))
    return _back(request, back)


@login_required
@require_POST
def increase_add(request, project_pk):
    project = get_object_or_404(Project.objects.visible_to(request.user).select_related("zone"), pk=project_pk)
    if not can_write_project(request.user, project):
        raise PermissionDenied(_("您没有修改该项目的权限"))
    form = CapitalIncreaseForm(request.POST, request.FILES)
    back = reverse("projects:detail", args=[project.pk])
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}：{error}" if label else error)
        return _back(request, back)
    data = form.cleaned_data
    try:
        actions.add_capital_increase(project, date=data["date"], amount=data["amount"], note=data["note"],
                                     uploads=[data["evidence"]] if data.get("evidence") else [], actor=request.user)
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
    else:
        messages.success(request, _("增资已登记") if not project.zone.certification_required else _("增资已登记，待认定后计入签约总投资"))
    return _back(request, back)
