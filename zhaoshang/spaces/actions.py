"""Every write of the carrier-space area."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhaoshang.core import validators
from zhaoshang.spaces.models import Building, SpaceUnit

UNIT_FIELDS = {"name", "kind", "area_m2", "status", "tenant_enterprise", "tenant_project", "rent",
               "lease_start", "lease_end", "floor_load", "notes"}
OCCUPIED = {SpaceUnit.Status.LEASED, SpaceUnit.Status.SELF_USED}


def _decimal(value, field: str, label: str, positive: bool = False, optional: bool = False, **limits):
    return validators.area(value, field, label, positive=positive, optional=optional, **limits)


@transaction.atomic
def create_building(*, park, name: str, floors=None, notes: str = "", sort_order: int = 0, actor=None) -> Building:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("楼栋名称不能为空")})
    if Building.objects.filter(park=park, name=name).exists():
        raise ValidationError({"name": _("%(park)s已有楼栋“%(name)s”") % {"park": park, "name": name}})
    return Building.objects.create(park=park, name=name, floors=floors, notes=notes, sort_order=sort_order)


@transaction.atomic
def update_building(building: Building, *, actor=None, **changes) -> Building:
    name = (changes.get("name", building.name) or "").strip()
    if not name:
        raise ValidationError({"name": _("楼栋名称不能为空")})
    if Building.objects.filter(park=building.park, name=name).exclude(pk=building.pk).exists():
        raise ValidationError({"name": _("%(park)s已有楼栋“%(name)s”") % {"park": building.park, "name": name}})
    changes["name"] = name
    for field, value in changes.items():
        setattr(building, field, value)
    building.save()
    return building


@transaction.atomic
def delete_building(building: Building, *, actor=None) -> None:
    if building.units.exists():
        raise ValidationError(_("楼栋“%(name)s”下还有载体单元，不能删除") % {"name": building})
    building.delete()


def _check_unit(building: Building, fields: dict, unit: SpaceUnit | None = None) -> None:
    name = (fields.get("name") or "").strip()
    if not name:
        raise ValidationError({"name": _("单元名称不能为空")})
    fields["name"] = name
    if SpaceUnit.objects.filter(building=building, name=name).exclude(pk=getattr(unit, "pk", None)).exists():
        raise ValidationError({"name": _("%(building)s已有单元“%(name)s”") % {"building": building, "name": name}})
    fields["area_m2"] = _decimal(fields.get("area_m2"), "area_m2", _("面积"), positive=True)
    fields["rent"] = _decimal(fields.get("rent"), "rent", _("租金"), optional=True,
                              maximum=Decimal("999999.99"), unit=_("元/㎡·月"))
    if fields.get("kind") not in SpaceUnit.Kind.values:
        raise ValidationError({"kind": _("载体类型“%(kind)s”无效") % {"kind": fields.get("kind")}})
    status = fields.get("status")
    if status not in SpaceUnit.Status.values:
        raise ValidationError({"status": _("状态“%(status)s”无效") % {"status": status}})
    zone_id = building.park.zone_id
    for key, label in (("tenant_enterprise", _("承租企业")), ("tenant_project", _("入驻项目"))):
        tenant = fields.get(key)
        if tenant is not None and tenant.zone_id != zone_id:
            raise ValidationError({key: _("%(label)s“%(name)s”不属于本园区") % {"label": label, "name": tenant}})
    if fields.get("tenant_project") is not None and fields.get("tenant_enterprise") is None:
        fields["tenant_enterprise"] = fields["tenant_project"].investor
    has_tenant = fields.get("tenant_project") is not None or fields.get("tenant_enterprise") is not None
    if status in (SpaceUnit.Status.LEASED, SpaceUnit.Status.INTENDED) and not has_tenant:
        raise ValidationError({"tenant_project": _("状态为“%(status)s”时请填写承租企业或入驻项目") % {
            "status": SpaceUnit.Status(status).label}})
    if status == SpaceUnit.Status.VACANT and has_tenant:
        raise ValidationError({"status": _("有租户的单元不能是“空置”；请先清空租户")})
    start, end = fields.get("lease_start"), fields.get("lease_end")
    if start and end and end < start:
        raise ValidationError({"lease_end": _("租期止（%(end)s）不能早于租期起（%(start)s）") % {"start": start, "end": end}})


@transaction.atomic
def create_unit(*, building: Building, name: str, area_m2, kind: str = SpaceUnit.Kind.FACTORY,
                status: str = SpaceUnit.Status.VACANT, actor=None, **fields) -> SpaceUnit:
    unknown = set(fields) - UNIT_FIELDS
    if unknown:
        raise TypeError(f"unknown unit fields: {sorted(unknown)}")
    fields.update(name=name, area_m2=area_m2, kind=kind, status=status)
    _check_unit(building, fields)
    return SpaceUnit.objects.create(building=building, **fields)


@transaction.atomic
def update_unit(unit: SpaceUnit, *, actor=None, **changes) -> SpaceUnit:
    unknown = set(changes) - UNIT_FIELDS
    if unknown:
        raise TypeError(f"unknown unit fields: {sorted(unknown)}")
    merged = {field: changes.get(field, getattr(unit, field)) for field in UNIT_FIELDS}
    _check_unit(unit.building, merged, unit)
    for field, value in merged.items():
        setattr(unit, field, value)
    unit.save()
    return unit


@transaction.atomic
def assign_to_project(unit: SpaceUnit, project, *, status: str | None = None, rent=None, actor=None) -> SpaceUnit:
    """A project's landing picks its space: the unit goes to the project (意向 before the
    project starts, 已租 once it has), unless it is already someone else's."""
    from zhaoshang.projects.stages import Stage

    unit = SpaceUnit.objects.select_for_update().get(pk=unit.pk)
    if unit.status != SpaceUnit.Status.VACANT and unit.tenant_project_id not in (None, project.pk):
        raise ValidationError(_("单元“%(unit)s”已由“%(tenant)s”%(status)s") % {
            "unit": unit, "tenant": unit.tenant, "status": unit.get_status_display()})
    if status is None:
        status = SpaceUnit.Status.LEASED if project.stage in (Stage.STARTED, Stage.PRODUCING) else SpaceUnit.Status.INTENDED
    return update_unit(unit, tenant_project=project, tenant_enterprise=project.investor, status=status,
                       rent=rent if rent is not None else unit.rent, actor=actor)


@transaction.atomic
def release_unit(unit: SpaceUnit, *, actor=None) -> SpaceUnit:
    """The tenant leaves: the unit is vacant again."""
    return update_unit(unit, tenant_project=None, tenant_enterprise=None, status=SpaceUnit.Status.VACANT,
                       lease_start=None, lease_end=None, actor=actor)


@transaction.atomic
def delete_unit(unit: SpaceUnit, *, actor=None) -> None:
    unit.delete()
