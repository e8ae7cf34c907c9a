from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhaoshang.core.models import OrgUnit, Park, Person, Zone


@transaction.atomic
def create_zone(*, code: str, name: str, province: str = "", city: str = "",
                major_project_threshold: Decimal = Decimal("10000"), actor=None) -> Zone:
    """A zone with the default industry taxonomy."""
    from zhaoshang.industry.actions import install_default_taxonomy

    code = (code or "").strip().lower()
    if not code or not code.replace("-", "").replace("_", "").isalnum() or not code.isascii():
        raise ValidationError({"code": _("园区代码只能包含英文字母、数字、连字符和下划线")})
    if Zone.objects.filter(code=code).exists():
        raise ValidationError({"code": _("园区代码“%(code)s”已存在") % {"code": code}})
    if not (name or "").strip():
        raise ValidationError({"name": _("园区名称不能为空")})
    zone = Zone.objects.create(
        code=code, name=name.strip(), province=province, city=city, major_project_threshold=major_project_threshold
    )
    install_default_taxonomy(zone)
    return zone


def create_unit(*, zone: Zone, name: str, kind: str, sort_order: int = 0, actor=None) -> OrgUnit:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("单位名称不能为空")})
    if OrgUnit.objects.filter(zone=zone, name=name).exists():
        raise ValidationError({"name": _("单位“%(name)s”已存在") % {"name": name}})
    return OrgUnit.objects.create(zone=zone, name=name, kind=kind, sort_order=sort_order)


def create_park(*, zone: Zone, name: str, operator: OrgUnit | None = None, floor_area_m2=None, address: str = "", actor=None) -> Park:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("园区名称不能为空")})
    if Park.objects.filter(zone=zone, name=name).exists():
        raise ValidationError({"name": _("载体园区“%(name)s”已存在") % {"name": name}})
    return Park.objects.create(zone=zone, name=name, operator=operator, floor_area_m2=floor_area_m2, address=address)


def create_person(*, zone: Zone, name: str, title: str = "", unit: OrgUnit | None = None, phone: str = "",
                  is_leader: bool = False, user=None, actor=None) -> Person:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("姓名不能为空")})
    return Person.objects.create(zone=zone, name=name, title=title, unit=unit, phone=phone, is_leader=is_leader, user=user)


def grant_role(*, user, zone: Zone, role: str, unit: OrgUnit | None = None, park: Park | None = None, actor=None):
    """Give a user a role in a zone (replacing the role they had there)."""
    from zhaoshang.core.models import Membership, Role

    if role in (Role.UNIT, Role.DEPARTMENT) and unit is None:
        raise ValidationError({"unit": _("该角色需指定所属单位")})
    if role == Role.PARK and park is None:
        raise ValidationError({"park": _("园区角色需指定所属园区")})
    for related, field in ((unit, "unit"), (park, "park")):
        if related is not None and related.zone_id != zone.pk:
            raise ValidationError({field: _("“%(name)s”不属于本园区") % {"name": related}})
    membership, _created = Membership.objects.update_or_create(
        user=user, zone=zone, defaults={"role": role, "unit": unit, "park": park}
    )
    return membership
