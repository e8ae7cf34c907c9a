"""产业基金 pages: the funds with the figures a bureau reports, a fund's calls, investments
and the projects it brought into the zone."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhaoshang.core import permissions
from zhaoshang.core.formstyle import apply_action_error
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.funds import actions, figures
from zhaoshang.funds.filters import FundFilter, InvestmentFilter
from zhaoshang.funds.forms import CallForm, FundForm, InvestmentForm
from zhaoshang.funds.models import CapitalCall, Fund, Investment
from zhaoshang.projects.models import Project
from zhaoshang.stats.permissions import can_manage, require_manager, zone_or_404


def _fund_or_404(request, pk) -> Fund:
    zone = zone_or_404(request)
    permissions.require(request.user, "funds.view", zone)
    return get_object_or_404(Fund.objects.visible_to(request.user).filter(zone=zone).select_related("parent"), pk=pk)


@login_required
def fund_list(request):
    zone = zone_or_404(request)
    permissions.require(request.user, "funds.view", zone)
    funds = Fund.objects.visible_to(request.user).filter(zone=zone)
    filterset = FundFilter(request.GET, queryset=funds)
    rows = []
    shown = list(filterset.qs.select_related("parent").prefetch_related("focus_chains"))
    mothers = [f for f in shown if f.parent_id is None]
    orphans = [f for f in shown if f.parent_id is not None and f.parent_id not in {m.pk for m in mothers}]
    computed = figures.compute_many(shown)
    for mother in mothers:
        rows.append((mother, computed[mother.pk], 0))
        for child in [f for f in shown if f.parent_id == mother.pk]:
            rows.append((child, computed[child.pk], 1))
    for child in orphans:
        rows.append((child, computed[child.pk], 1))
    context = {
        "rows": rows,
        "totals": figures.zone_totals(funds),
        "filter": filterset,
        "can_manage": can_manage(request.user, zone),
    }
    return render(request, "funds/fund_list.html", context)


@login_required
def fund_detail(request, pk):
    fund = _fund_or_404(request, pk)
    manager = can_manage(request.user, fund.zone)
    projects = Project.objects.visible_to(request.user).filter(zone=fund.zone)
    enterprises = Enterprise.objects.visible_to(request.user).filter(zone=fund.zone)
    call_form = CallForm()
    investment_form = InvestmentForm(projects=projects, enterprises=enterprises, initial={"is_local": True})
    status = 200
    if request.method == "POST":
        require_manager(request.user, fund.zone)
        if request.POST.get("form") == "call":
            call_form = CallForm(request.POST)
            form, write = call_form, lambda data: actions.add_call(fund, actor=request.user, **data)
        else:
            investment_form = InvestmentForm(request.POST, projects=projects, enterprises=enterprises)
            form, write = investment_form, lambda data: actions.add_investment(fund, actor=request.user, **data)
        if form.is_valid():
            try:
                write(form.cleaned_data)
            except ValidationError as error:
                apply_action_error(form, error)
            else:
                messages.success(request, _("已保存"))
                return redirect("funds:detail", pk=fund.pk)
        status = 400
    children = list(fund.children.all())
    computed = figures.compute_many(children)
    investments = Investment.objects.filter(fund_id__in=figures.tree(fund)).select_related("fund", "project", "enterprise")
    filterset = InvestmentFilter(request.GET, queryset=investments)
    context = {
        "fund": fund,
        "figures": figures.compute(fund),
        "labels": figures.LABELS,
        "children": [(child, computed[child.pk]) for child in children],
        "calls": fund.calls.all(),
        "investments": filterset.qs,
        "brought": figures.brought_projects(fund),
        "call_form": call_form,
        "investment_form": investment_form,
        "can_manage": manager,
    }
    return render(request, "funds/fund_detail.html", context, status=status)


def _fund_form_page(request, fund=None):
    zone = zone_or_404(request)
    require_manager(request.user, zone)
    initial = {}
    if fund is not None:
        initial = {field: getattr(fund, field) for field in actions.FUND_FIELDS}
        initial["focus_chains"] = list(fund.focus_chains.all())
    elif request.GET.get("parent"):
        initial["parent"] = request.GET["parent"]
    form = FundForm(initial=initial, zone=zone, fund=fund)
    status = 200
    if request.method == "POST":
        form = FundForm(request.POST, zone=zone, fund=fund)
        if form.is_valid():
            data = dict(form.cleaned_data)
            chains = data.pop("focus_chains")
            try:
                if fund is None:
                    fund = actions.create_fund(zone=zone, focus_chains=chains, actor=request.user, **data)
                else:
                    actions.update_fund(fund, focus_chains=chains, actor=request.user, **data)
            except ValidationError as error:
                apply_action_error(form, error)
            else:
                messages.success(request, _("已保存基金“%(name)s”") % {"name": fund.name})
                return redirect("funds:detail", pk=fund.pk)
        status = 400
    return render(request, "funds/fund_form.html", {"form": form, "fund": fund}, status=status)


@login_required
def fund_create(request):
    return _fund_form_page(request)


@login_required
def fund_edit(request, pk):
    return _fund_form_page(request, _fund_or_404(request, pk))


@login_required
@require_POST
def fund_delete(request, pk):
    fund = _fund_or_404(request, pk)
    require_manager(request.user, fund.zone)
    try:
        actions.delete_fund(fund, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("funds:detail", pk=fund.pk)
    messages.success(request, _("已删除基金“%(name)s”") % {"name": fund.name})
    return redirect("funds:list")


@login_required
@require_POST
def call_delete(request, pk):
    zone = zone_or_404(request)
    call = get_object_or_404(CapitalCall.objects.filter(fund__in=Fund.objects.visible_to(request.user).filter(zone=zone)), pk=pk)
    require_manager(request.user, zone)
    actions.delete_call(call, actor=request.user)
    messages.success(request, _("已删除实缴记录"))
    return redirect("funds:detail", pk=call.fund_id)


@login_required
@require_POST
def investment_delete(request, pk):
    zone = zone_or_404(request)
    investment = get_object_or_404(Investment.objects.filter(fund__in=Fund.objects.visible_to(request.user).filter(zone=zone)), pk=pk)
    require_manager(request.user, zone)
    actions.delete_investment(investment, actor=request.user)
    messages.success(request, _("已删除投资记录"))
    return redirect("funds:detail", pk=investment.fund_id)
