"""惠企政策 pages: the library, a policy's rules and who qualifies, an enterprise's or a
project's matching policies, and claims with their payments."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.utils import timezone

from zhaoshang.core.formstyle import apply_action_error
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.policies import actions, rules, selectors
from zhaoshang.policies.filters import ClaimFilter, PolicyFilter
from zhaoshang.policies.forms import (
    ClaimForm, ConditionFormSet, DecisionForm, PaymentForm, PolicyForm, conditions_from,
)
from zhaoshang.policies.models import Claim, Policy
from zhaoshang.projects.models import Project
from zhaoshang.stats.permissions import (
    can_manage, can_work_on_enterprise, require_manager, zone_or_404,
)


def _policy_or_404(request, pk) -> Policy:
    zone = zone_or_404(request)
    return get_object_or_404(Policy.objects.visible_to(request.user).filter(zone=zone), pk=pk)


def _enterprise_or_404(request, pk):
    zone = zone_or_404(request)
    return get_object_or_404(Enterprise.objects.visible_to(request.user).filter(zone=zone).select_related("zone"), pk=pk)


@login_required
def policy_list(request):
    zone = zone_or_404(request)
    policies = Policy.objects.visible_to(request.user).filter(zone=zone)
    filterset = PolicyFilter(request.GET, queryset=policies)
    visible_claims = Claim.objects.visible_to(request.user)
    rows = filterset.qs.annotate(
        claim_count=Count("claims", filter=Q(claims__in=visible_claims), distinct=True),
        condition_count=Count("conditions", distinct=True),
    ).order_by("-valid_from", "title")
    context = {
        "filter": filterset,
        "page": Paginator(rows, 50).get_page(request.GET.get("page")),
        "today": timezone.localdate(),
        "can_manage": can_manage(request.user, zone),
        "levels": Policy.Level.choices,
        "kinds": Policy.BenefitKind.choices,
    }
    return render(request, "policies/policy_list.html", context)


@login_required
def policy_detail(request, pk):
    policy = _policy_or_404(request, pk)
    today = timezone.localdate()
    enterprises = Enterprise.objects.visible_to(request.user)
    found = selectors.enterprises_for_policy(policy, enterprises, today)
    claims = Claim.objects.visible_to(request.user).filter(policy=policy).select_related("enterprise", "project")
    context = {
        "policy": policy,
        "conditions": policy.conditions.all(),
        "in_force": policy.in_force_on(today),
        "qualifies": found[rules.QUALIFIES],
        "nearly": found[rules.NEARLY],
        "claims": selectors.with_paid(claims),
        "totals": selectors.claim_totals(claims),
        "can_manage": can_manage(request.user, policy.zone),
    }
    return render(request, "policies/policy_detail.html", context)


def _policy_form_page(request, policy=None):
    zone = zone_or_404(request)
    require_manager(request.user, zone)
    if policy is not None:
        initial = {field: getattr(policy, field) for field in PolicyForm.base_fields}
        rows = [{"field": c.field, "operator": c.operator, "value": c.value} for c in policy.conditions.all()]
    else:
        initial, rows = {"is_active": True, "level": Policy.Level.DISTRICT}, []
    form = PolicyForm(initial=initial)
    formset = ConditionFormSet(initial=rows, prefix="conditions")
    status = 200
    if request.method == "POST":
        form = PolicyForm(request.POST)
        formset = ConditionFormSet(request.POST, prefix="conditions")
        if form.is_valid() and formset.is_valid():
            conditions = conditions_from(formset)
            try:
                if policy is None:
                    policy = actions.create_policy(zone=zone, conditions=conditions, actor=request.user, **form.cleaned_data)
                else:
                    actions.update_policy(policy, conditions=conditions, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_action_error(form, error)
            else:
                messages.success(request, _("已保存政策“%(title)s”") % {"title": policy.title})
                return redirect("policies:detail", pk=policy.pk)
        status = 400
    context = {
        "form": form, "formset": formset, "policy": policy,
        "fields": rules.FIELDS.values(), "operators": rules.OPERATORS, "kinds": {"set": _("名称"), "number": _("数值"), "bool": _("是/否")},
    }
    return render(request, "policies/policy_form.html", context, status=status)


@login_required
def policy_create(request):
    return _policy_form_page(request)


@login_required
def policy_edit(request, pk):
    return _policy_form_page(request, _policy_or_404(request, pk))


@login_required
@require_POST
def policy_delete(request, pk):
    policy = _policy_or_404(request, pk)
    require_manager(request.user, policy.zone)
    try:
        actions.delete_policy(policy, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("policies:detail", pk=policy.pk)
    messages.success(request, _("已删除政策“%(title)s”") % {"title": policy.title})
    return redirect("policies:list")


def _enterprise_context(request, enterprise, claim_form=None):
    today = timezone.localdate()
    matches = selectors.matches_for_enterprise(enterprise, today)
    claims = Claim.objects.filter(enterprise=enterprise).select_related("policy", "project")
    writable = can_work_on_enterprise(request.user, enterprise)
    if claim_form is None and writable:
        claim_form = _claim_form(request, enterprise, initial={"applied_on": today})
    claimed = set(claims.exclude(status=Claim.Status.REJECTED).values_list("policy_id", flat=True))
    return {
        "enterprise": enterprise,
        "qualifies": matches[rules.QUALIFIES],
        "nearly": matches[rules.NEARLY],
        "claimed": claimed,
        "claims": selectors.with_paid(claims),
        "totals": selectors.claim_totals(claims),
        "claim_form": claim_form,
        "writable": writable,
        "today": today,
    }


def _claim_form(request, enterprise, data=None, initial=None):
    projects = Project.objects.visible_to(request.user).filter(investor=enterprise)
    policies = Policy.objects.filter(zone=enterprise.zone, is_active=True)
    return ClaimForm(data, initial=initial, policies=policies, projects=projects)


@login_required
def enterprise_matches(request, pk):
    """An enterprise's policy list for a 政策宣讲 visit, its claims, and recording a claim."""
    enterprise = _enterprise_or_404(request, pk)
    claim_form = None
    status = 200
    if request.method == "POST":
        if not can_work_on_enterprise(request.user, enterprise):
            raise PermissionDenied(_("您的角色只能查看，不能登记申报"))
        claim_form = _claim_form(request, enterprise, data=request.POST)
        if claim_form.is_valid():
            data = claim_form.cleaned_data
            try:
                claim = actions.record_claim(
                    policy=data["policy"], enterprise=enterprise, project=data["project"], applied_on=data["applied_on"],
                    amount_claimed=data["amount_claimed"] or 0, notes=data["notes"], actor=request.user,
                )
            except ValidationError as error:
                apply_action_error(claim_form, error)
            else:
                messages.success(request, _("已登记“%(policy)s”的申报") % {"policy": claim.policy.title})
                return redirect("policies:enterprise", pk=enterprise.pk)
        status = 400
    elif request.GET.get("policy"):
        claim_form = _claim_form(request, enterprise, initial={"applied_on": timezone.localdate(), "policy": request.GET["policy"]})
    return render(request, "policies/enterprise.html", _enterprise_context(request, enterprise, claim_form), status=status)


@login_required
def enterprise_panel(request, pk):
    """The matching summary an enterprise page embeds (htmx)."""
    enterprise = _enterprise_or_404(request, pk)
    matches = selectors.matches_for_enterprise(enterprise)
    context = {"enterprise": enterprise, "qualifies": matches[rules.QUALIFIES], "nearly": matches[rules.NEARLY]}
    return render(request, "policies/_panel.html", context)


@login_required
def project_matches(request, pk):
    zone = zone_or_404(request)
    project = get_object_or_404(Project.objects.visible_to(request.user).filter(zone=zone).select_related("investor"), pk=pk)
    matches = selectors.matches_for_project(project)
    context = {"project": project, "qualifies": matches[rules.QUALIFIES], "nearly": matches[rules.NEARLY]}
    return render(request, "policies/project.html", context)


@login_required
def claim_list(request):
    zone = zone_or_404(request)
    claims = Claim.objects.visible_to(request.user).filter(policy__zone=zone).select_related("policy", "enterprise", "project")
    filterset = ClaimFilter(request.GET, queryset=claims)
    rows = selectors.with_paid(filterset.qs)
    by_policy = (
        filterset.qs.values("policy_id", "policy__title")
        .annotate(count=Count("pk"), claimed=Sum("amount_claimed"))
        .order_by("-claimed")
    )
    context = {
        "filter": filterset,
        "page": Paginator(rows, 50).get_page(request.GET.get("page")),
        "totals": selectors.claim_totals(filterset.qs),
        "by_policy": by_policy,
        "statuses": Claim.Status.choices,
    }
    return render(request, "policies/claim_list.html", context)


@login_required
def claim_detail(request, pk):
    zone = zone_or_404(request)
    claim = get_object_or_404(
        Claim.objects.visible_to(request.user).filter(policy__zone=zone).select_related("policy", "enterprise", "project"), pk=pk
    )
    manager = can_manage(request.user, zone)
    decision_form = DecisionForm(initial={
        "status": Claim.Status.APPROVED, "decided_on": timezone.localdate(), "amount_approved": claim.amount_claimed})
    payment_form = PaymentForm(initial={"paid_on": timezone.localdate()})
    status = 200
    if request.method == "POST":
        require_manager(request.user, zone)
        if request.POST.get("form") == "decision":
            decision_form = DecisionForm(request.POST)
            form, write = decision_form, lambda data: actions.decide_claim(claim, actor=request.user, **data)
        elif request.POST.get("form") == "delete":
            actions.delete_claim(claim, actor=request.user)
            messages.success(request, _("已删除申报记录"))
            return redirect("policies:enterprise", pk=claim.enterprise_id)
        else:
            payment_form = PaymentForm(request.POST)
            form, write = payment_form, lambda data: actions.add_payment(claim, actor=request.user, **data)
        if form.is_valid():
            try:
                write(form.cleaned_data)
            except ValidationError as error:
                apply_action_error(form, error)
            else:
                messages.success(request, _("已保存"))
                return redirect("policies:claim", pk=claim.pk)
        status = 400
    context = {
        "claim": claim,
        "payments": claim.payments.all(),
        "paid": claim.payments.aggregate(total=Sum("amount"))["total"],
        "decision_form": decision_form,
        "payment_form": payment_form,
        "can_manage": manager,
    }
    return render(request, "policies/claim_detail.html", context, status=status)
