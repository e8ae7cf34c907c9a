from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from zhaoshang.core import access
from zhaoshang.dashboard import selectors
from zhaoshang.dashboard.exports import cockpit_workbook
from zhaoshang.dashboard.forms import period_from


def _zone_or_404(request):
    zone = access.current_zone(request)
    if zone is None:
        raise Http404(_("您还没有任何园区的权限"))
    return zone


def _context(request):
    zone = _zone_or_404(request)
    form, period = period_from(request.GET, today=timezone.localdate())
    data = selectors.cockpit(request.user, zone, period)
    data["form"] = form
    data["query"] = request.GET.urlencode()
    return data


@login_required
@require_GET
def cockpit(request):
    return render(request, "dashboard/cockpit.html", _context(request))


@login_required
@require_GET
def screen(request):
    """The big-screen mode: 1920×1080, dark, refreshing itself."""
    return render(request, "dashboard/screen.html", _context(request))


@login_required
@require_GET
def export(request):
    data = _context(request)
    content = cockpit_workbook(data)
    from zhaoshang.core.changelog import record_data_transfer

    record_data_transfer(request.user, "export", _("导出驾驶舱数据"), filters=request.GET, row_count=len(data["headline"]),
                         zone=data["zone"])
    period = data["period"]
    name = f"cockpit-{data['zone'].code}-{period.start}-{period.end}.xlsx"
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
