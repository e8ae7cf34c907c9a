from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhaoshang.core import passwords
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


# --- accounts --------------------------------------------------------------------------


def _check_password(password: str, user) -> None:
    from django.contrib.auth import password_validation

    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": list(error.messages)}) from None


@transaction.atomic
def create_user(*, username: str, password: str, zone: Zone, role: str, unit: OrgUnit | None = None,
                park: Park | None = None, full_name: str = "", email: str = "", actor=None,
                must_change: bool | None = None):
    """A new login with its role in a zone; the password must pass the password validators.
    A password given by someone else (an administrator: `actor`; a command: must_change)
    is an initial password, to be changed at first login."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    username = (username or "").strip()
    if not username:
        raise ValidationError({"username": _("用户名不能为空")})
    try:
        User._meta.get_field("username").run_validators(username)
    except ValidationError:
        raise ValidationError({"username": _("用户名“%(name)s”只能包含字母、数字和 @/./+/-/_") % {"name": username}}) from None
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("用户名“%(name)s”已存在") % {"name": username}})
    user = User(username=username, first_name=(full_name or "").strip()[:150], email=(email or "").strip())
    _check_password(password, user)
    user.set_password(password)
    user.save()
    passwords.set_must_change(user, actor is not None if must_change is None else must_change)
    grant_role(user=user, zone=zone, role=role, unit=unit, park=park, actor=actor)
    return user


@transaction.atomic
def update_user(user, *, full_name: str | None = None, email: str | None = None, actor=None):
    if full_name is not None:
        user.first_name = full_name.strip()[:150]
    if email is not None:
        user.email = email.strip()
    user.save(update_fields=["first_name", "email"])
    return user


@transaction.atomic
def set_password(user, password: str, actor=None):
    """A password reset by someone else is an initial password again; one set by the user
    themselves ends that state."""
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    passwords.set_must_change(user, actor is not None and actor.pk != user.pk)
    return user


@transaction.atomic
def set_active(user, active: bool, actor=None):
    """Deactivate (or reactivate) a login. Users are never deleted: their records keep
    naming them. A deactivated user's sessions end at their next request."""
    if actor is not None and actor.pk == user.pk and not active:
        raise ValidationError({"is_active": _("不能停用自己的账号")})
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def revoke_role(*, user, zone: Zone, actor=None) -> None:
    from zhaoshang.core.models import Membership

    for membership in Membership.objects.filter(user=user, zone=zone):
        membership.delete()


@transaction.atomic
def update_zone(zone: Zone, *, actor=None, **changes) -> Zone:
    allowed = {"name", "province", "city", "major_project_threshold", "units_see_other_units", "certification_required"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"zone fields not editable: {sorted(unknown)}")
    if "name" in changes and not (changes["name"] or "").strip():
        raise ValidationError({"name": _("园区名称不能为空")})
    if "major_project_threshold" in changes and changes["major_project_threshold"] is not None:
        if Decimal(changes["major_project_threshold"]) <= 0:
            raise ValidationError({"major_project_threshold": _("亿元以上项目门槛须大于0")})
    for name, value in changes.items():
        setattr(zone, name, value.strip() if isinstance(value, str) else value)
    zone.save()
    return zone
