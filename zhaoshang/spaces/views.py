"""载体 pages: occupancy per park and building, the vacancy list, a building's units, and
picking a project's space when it lands."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from zhaoshang.core.formstyle import apply_action_error
from zhaoshang.core.models import Park
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.projects.models import Project
from zhaoshang.spaces import actions, selectors
from zhaoshang.spaces.filters import SpaceUnitFilter
from zhaoshang.spaces.forms import BuildingForm, UnitForm
from zhaoshang.spaces.models import Building, SpaceUnit
from zhaoshang.stats.permissions import can_edit_park_space, zone_or_404

UNIT_FIELDS = list(UnitForm.base_fields)


def _parks(request):
    zone = zone_or_404(request)
    return Park.objects.visible_to(request.user).filter(zone=zone)


def _require_park_editor(user, park):
    if not can_edit_park_space(user, park):
        raise PermissionDenied(_("只有投资促进局、系统管理员或本园区人员可以修改载体"))


def _tenant_names(request, units) -> dict[int, str]:
    """Unit id → the tenant's name when the user may see the tenant, else a plain 有租户."""
    projects = set(Project.objects.visible_to(request.user).filter(
        pk__in=[u.tenant_project_id for u in units if u.tenant_project_id]).values_list("pk", flat=True))
    enterprises = set(Enterprise.objects.visible_to(request.user).filter(
        pk__in=[u.tenant_enterprise_id for u in units if u.tenant_enterprise_id]).values_list("pk", flat=True))
    names = {}
    for unit in units:
        if unit.tenant_project_id in projects:
            names[unit.pk] = unit.tenant_project.name
        elif unit.tenant_enterprise_id in enterprises:
            names[unit.pk] = unit.tenant_enterprise.name
        elif unit.tenant_project_id or unit.tenant_enterprise_id:
            names[unit.pk] = _("（有租户）")
    return names


@login_required
def occupancy(request):
    parks = _parks(request)
    units = SpaceUnit.objects.visible_to(request.user).filter(building__park__in=parks)
    context = {
        "rows": selectors.occupancy_by_park(parks),
        "total": selectors.occupancy_total(units),
    }
    by_kind = []
    for value, label in SpaceUnit.Kind.choices:
        row = selectors.occupancy_total(units.filter(kind=value))
        if row["unit_count"]:
            by_kind.append({"kind": value, "label": label, **row})
    context["by_kind"] = by_kind
    return render(request, "spaces/occupancy.html", context)


@login_required
def park_detail(request, pk):
    park = get_object_or_404(_parks(request), pk=pk)
    editable = can_edit_park_space(request.user, park)
    form = BuildingForm()
    status = 200
    if request.method == "POST":
        _require_park_editor(request.user, park)
        form = BuildingForm(request.POST)
        if form.is_valid():
            try:
                building = actions.create_building(park=park, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_action_error(form, error)
            else:
                messages.success(request, _("已添加楼栋“%(name)s”") % {"name": building.name})
                return redirect("spaces:building", pk=building.pk)
        status = 400
    buildings = Building.objects.filter(park=park)
    context = {
        "park": park,
        "rows": selectors.occupancy_by_building(buildings),
        "total": selectors.occupancy_total(SpaceUnit.objects.filter(building__park=park)),
        "form": form,
        "editable": editable,
    }
    return render(request, "spaces/park.html", context, status=status)


def _unit_form(request, zone, data=None, initial=None):
    return UnitForm(
        data, initial=initial,
        projects=Project.objects.visible_to(request.user).filter(zone=zone),
        enterprises=Enterprise.objects.visible_to(request.user).filter(zone=zone),
    )


@login_required
def building_detail(request, pk):
    building = get_object_or_404(Building.objects.visible_to(request.user).filter(park__in=_parks(request)).select_related("park"), pk=pk)
    editable = can_edit_park_space(request.user, building.park)
    zone = building.park.zone
    form = _unit_form(request, zone, initial={"status": SpaceUnit.Status.VACANT})
    status = 200
    if request.method == "POST":
        _require_park_editor(request.user, building.park)
        form = _unit_form(request, zone, data=request.POST)
        if form.is_valid():
            try:
                unit = actions.create_unit(building=building, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_action_error(form, error)
            else:
                messages.success(request, _("已添加单元“%(name)s”") % {"name": unit.name})
                return redirect("spaces:building", pk=building.pk)
        status = 400
    units = list(building.units.select_related("tenant_project", "tenant_enterprise"))
    context = {
        "building": building,
        "units": units,
        "tenants": _tenant_names(request, units),
        "total": selectors.occupancy_total(building.units.all()),
        "form": form,
        "editable": editable,
    }
    return render(request, "spaces/building.html", context, status=status)


@login_required
def unit_edit(request, pk):
    unit = get_object_or_404(
        SpaceUnit.objects.visible_to(request.user).filter(building__park__in=_parks(request)).select_related("building__park"), pk=pk
    )
    _require_park_editor(request.user, unit.building.park)
    zone = unit.building.park.zone
    form = _unit_form(request, zone, initial={field: getattr(unit, field) for field in UNIT_FIELDS})
    status = 200
    if request.method == "POST":
        if "release" in request.POST:
            actions.release_unit(unit, actor=request.user)
            messages.success(request, _("单元“%(name)s”已腾退为空置") % {"name": unit})
            return redirect("spaces:building", pk=unit.building_id)
        if "delete" in request.POST:
            actions.delete_unit(unit, actor=request.user)
            messages.success(request, _("已删除单元“%(name)s”") % {"name": unit})
            return redirect("spaces:building", pk=unit.building_id)
        form = _unit_form(request, zone, data=request.POST)
        if form.is_valid():
            try:
                actions.update_unit(unit, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_action_error(form, error)
            else:
                messages.success(request, _("已保存单元“%(name)s”") % {"name": unit})
                return redirect("spaces:building", pk=unit.building_id)
        status = 400
    return render(request, "spaces/unit_form.html", {"unit": unit, "form": form}, status=status)


@login_required
def vacancies(request):
    parks = _parks(request)
    units = SpaceUnit.objects.visible_to(request.user).filter(building__park__in=parks)
    filterset = SpaceUnitFilter(request.GET, queryset=units)
    rows = selectors.vacancies(filterset.qs)
    context = {
        "rows": rows,
        "total": selectors.occupancy_total(filterset.qs.filter(status=SpaceUnit.Status.VACANT)),
        "parks": parks,
        "kinds": SpaceUnit.Kind.choices,
        "filter": filterset,
    }
    return render(request, "spaces/vacancies.html", context)


def _can_place(user, project) -> bool:
    from zhaoshang.projects.permissions import can_write_project

    return can_write_project(user, project) or (project.park is not None and can_edit_park_space(user, project.park))


@login_required
def project_space(request, pk):
    """A project's landing picks its space: its units now, and the vacant units to choose
    from (in its park first)."""
    zone = zone_or_404(request)
    project = get_object_or_404(Project.objects.visible_to(request.user).filter(zone=zone).select_related("park", "investor"), pk=pk)
    allowed = _can_place(request.user, project)
    units = SpaceUnit.objects.visible_to(request.user).filter(building__park__zone=zone)
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied(_("您没有为该项目安排载体的权限"))
        unit_id = request.POST.get("unit", "")
        unit = get_object_or_404(units, pk=int(unit_id) if unit_id.isdigit() else None)
        try:
            if request.POST.get("release"):
                if unit.tenant_project_id != project.pk:
                    raise ValidationError(_("该单元不属于本项目"))
                actions.release_unit(unit, actor=request.user)
                messages.success(request, _("已释放单元“%(unit)s”") % {"unit": unit})
            else:
                actions.assign_to_project(unit, project, actor=request.user)
                messages.success(request, _("已为项目安排载体“%(unit)s”") % {"unit": unit})
        except ValidationError as error:
            messages.error(request, error.messages[0])
        return redirect("spaces:project", pk=project.pk)
    filterset = SpaceUnitFilter(request.GET, queryset=units)
    vacant = selectors.vacancies(filterset.qs)
    if project.park_id and not request.GET.get("park"):
        vacant = vacant.filter(building__park=project.park)
    context = {
        "project": project,
        "mine": units.filter(tenant_project=project).select_related("building__park"),
        "vacant": vacant[:200],
        "allowed": allowed,
        "parks": _parks(request),
        "kinds": SpaceUnit.Kind.choices,
    }
    return render(request, "spaces/project.html", context)
