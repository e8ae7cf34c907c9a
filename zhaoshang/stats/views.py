"""入统入规 pages: the candidates (入规 pipeline), the thresholds, an enterprise's figures."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.utils import timezone

from zhaoshang.core.formstyle import apply_action_error
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.stats import actions, sectors, selectors
from zhaoshang.stats.filters import EnterpriseProfileFilter
from zhaoshang.stats.forms import FiguresForm, ProfileForm, ThresholdForm
from zhaoshang.stats.models import AnnualFigures, EnterpriseProfile, Threshold
from zhaoshang.stats.permissions import (
    can_edit_thresholds,
    can_work_on_enterprise,
    require_threshold_editor,
    zone_or_404,
)


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year - 1
    return year if 1949 <= year <= 2100 else timezone.localdate().year - 1


@login_required
def candidates(request):
    zone = zone_or_404(request)
    year = _year(request)
    group = request.GET.get("group", "")
    visible = Enterprise.objects.visible_to(request.user)
    found = selectors.candidates(zone, year, visible)
    if group:
        found = [c for c in found if sectors.GROUPS.get(c.profile.industry_code) == group]
    over = [c for c in found if c.status == selectors.OVER]
    near = [c for c in found if c.status == selectors.NEAR]
    context = {
        "year": year,
        "years": range(timezone.localdate().year, timezone.localdate().year - 6, -1),
        "group": group,
        "groups": sectors.Group.choices,
        "over": over,
        "near": near,
        "in_statistics_count": selectors.in_statistics(zone, visible).count(),
        "near_share": int(selectors.NEAR_SHARE * 100),
    }
    return render(request, "stats/candidates.html", context)


@login_required
def enterprise_list(request):
    zone = zone_or_404(request)
    visible = Enterprise.objects.visible_to(request.user).filter(zone=zone)
    profiles = EnterpriseProfile.objects.filter(enterprise__in=visible).select_related("enterprise")
    filterset = EnterpriseProfileFilter(request.GET, queryset=profiles)
    rows = filterset.qs.order_by("enterprise__name")
    unprofiled = visible.filter(profile__isnull=True)
    q = request.GET.get("q", "").strip()
    if q:
        unprofiled = unprofiled.filter(Q(name__icontains=q) | Q(uscc__iexact=q))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "unprofiled": unprofiled.order_by("name")[:50] if not request.GET.get("industry_code") else [],
        "choices": sectors.CHOICES,
    }
    return render(request, "stats/enterprise_list.html", context)


def _enterprise_or_404(request, pk):
    zone = zone_or_404(request)
    return get_object_or_404(Enterprise.objects.visible_to(request.user).filter(zone=zone), pk=pk)


@login_required
def enterprise(request, pk):
    enterprise = _enterprise_or_404(request, pk)
    profile = EnterpriseProfile.objects.filter(enterprise=enterprise).first()
    initial = {}
    if profile:
        initial = {field: getattr(profile, field) for field in actions.PROFILE_FIELDS}
    profile_form = ProfileForm(initial=initial, prefix="profile")
    figures_form = FiguresForm(initial={"year": timezone.localdate().year - 1}, prefix="figures")
    writable = can_work_on_enterprise(request.user, enterprise)
    if request.method == "POST":
        if not writable:
            raise PermissionDenied(_("您的角色只能查看，不能修改"))
        if "profile-industry_code" in request.POST:
            profile_form = ProfileForm(request.POST, prefix="profile")
            if profile_form.is_valid():
                try:
                    actions.update_profile(enterprise, actor=request.user, **profile_form.cleaned_data)
                except ValidationError as error:
                    apply_action_error(profile_form, error)
                else:
                    messages.success(request, _("已保存企业统计信息"))
                    return redirect("stats:enterprise", pk=enterprise.pk)
        else:
            figures_form = FiguresForm(request.POST, prefix="figures")
            if figures_form.is_valid():
                try:
                    actions.record_annual_figures(enterprise, actor=request.user, **figures_form.cleaned_data)
                except ValidationError as error:
                    apply_action_error(figures_form, error)
                else:
                    messages.success(request, _("已保存%(year)s年经营数据") % {"year": figures_form.cleaned_data["year"]})
                    return redirect("stats:enterprise", pk=enterprise.pk)
    figures = AnnualFigures.objects.filter(enterprise=enterprise).order_by("-year")
    thresholds = {}
    if profile and profile.industry_code:
        for row in figures:
            threshold = selectors.thresholds_in_force(row.year).get(profile.industry_code)
            thresholds[row.year] = threshold
    rows = [(row, thresholds.get(row.year)) for row in figures]
    context = {
        "enterprise": enterprise,
        "profile": profile,
        "profile_form": profile_form,
        "figures_form": figures_form,
        "rows": rows,
        "writable": writable,
        "status_code": 200 if request.method == "GET" else 400,
    }
    return render(request, "stats/enterprise.html", context, status=context["status_code"])


@login_required
@require_POST
def delete_figures(request, pk, year):
    enterprise = _enterprise_or_404(request, pk)
    if not can_work_on_enterprise(request.user, enterprise):
        raise PermissionDenied(_("您的角色只能查看，不能修改"))
    figures = get_object_or_404(AnnualFigures, enterprise=enterprise, year=year)
    actions.delete_annual_figures(figures, actor=request.user)
    messages.success(request, _("已删除%(year)s年经营数据") % {"year": year})
    return redirect("stats:enterprise", pk=enterprise.pk)


@login_required
def thresholds(request):
    zone = zone_or_404(request)
    year = _year(request) if request.GET.get("year") else timezone.localdate().year
    form = ThresholdForm(initial={"from_year": timezone.localdate().year, "basis": Threshold.Basis.REVENUE})
    status = 200
    if request.method == "POST":
        require_threshold_editor(request.user, zone)
        form = ThresholdForm(request.POST)
        if form.is_valid():
            try:
                actions.create_threshold(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_action_error(form, error)
            else:
                messages.success(request, _("已添加入统门槛"))
                return redirect("stats:thresholds")
        status = 400
    in_force = selectors.thresholds_in_force(year)
    context = {
        "year": year,
        "in_force": [(code, name, group, in_force.get(code)) for code, name, group in sectors.CLASSES],
        "history": Threshold.objects.all().order_by("industry_code", "-from_year"),
        "form": form,
        "can_manage": can_edit_thresholds(request.user, zone),
        "group_labels": dict(sectors.Group.choices),
    }
    return render(request, "stats/thresholds.html", context, status=status)


@login_required
def threshold_edit(request, pk):
    zone = zone_or_404(request)
    require_threshold_editor(request.user, zone)
    threshold = get_object_or_404(Threshold, pk=pk)
    form = ThresholdForm(initial={field: getattr(threshold, field) for field in ThresholdForm.base_fields})
    status = 200
    if request.method == "POST":
        if "delete" in request.POST:
            actions.delete_threshold(threshold, actor=request.user)
            messages.success(request, _("已删除门槛 %(name)s") % {"name": threshold})
            return redirect("stats:thresholds")
        form = ThresholdForm(request.POST)
        if form.is_valid():
            try:
                actions.update_threshold(threshold, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_action_error(form, error)
            else:
                messages.success(request, _("已保存门槛 %(name)s") % {"name": threshold})
                return redirect("stats:thresholds")
        status = 400
    return render(request, "stats/threshold_form.html", {"form": form, "threshold": threshold}, status=status)
