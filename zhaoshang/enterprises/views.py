from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from zhaoshang.enterprises import selectors
from zhaoshang.enterprises.filters import EnterpriseFilter
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.projects.selectors import zone_of

PAGE_SIZE = 50


def _sees_contacts(user, enterprise) -> bool:
    from zhaoshang.core.masking import can_see_contacts

    return can_see_contacts(user, enterprise)


@login_required
@require_GET
def enterprise_list(request):
    zone = zone_of(request)
    base = Enterprise.objects.visible_to(request.user).filter(zone=zone)
    filterset = EnterpriseFilter(request.GET, queryset=selectors.with_project_counts(base, request.user), request=request)
    queryset = filterset.qs
    if not request.GET.get("sort"):
        queryset = queryset.order_by("name_pinyin", "pk")
    paginator = Paginator(queryset.prefetch_related("tags"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "enterprises/list.html", {"filter": filterset, "page": page})


@login_required
@require_GET
def enterprise_detail(request, pk):
    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user).select_related("zone").prefetch_related("tags"), pk=pk)
    projects = list(selectors.enterprise_projects(enterprise, request.user))
    total = sum((p.total_investment for p in projects), Decimal(0))
    context = {
        "enterprise": enterprise,
        "projects": projects,
        "total_investment": total,
        "follow_ups": selectors.enterprise_follow_ups(enterprise, request.user),
        "sees_contacts": _sees_contacts(request.user, enterprise),
    }
    return render(request, "enterprises/detail.html", context)

