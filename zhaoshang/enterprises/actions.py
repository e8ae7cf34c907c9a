from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhaoshang.core.models import Zone
from zhaoshang.enterprises import uscc as uscc_rules
from zhaoshang.enterprises.models import Enterprise, Tag


def _clean_uscc(value: str) -> str:
    if not value:
        return ""
    try:
        return uscc_rules.validate(value)
    except uscc_rules.InvalidUSCC as error:
        raise ValidationError({"uscc": str(error)}) from error


@transaction.atomic
def create_enterprise(*, zone: Zone, name: str, uscc: str = "", tags=(), actor=None, **fields) -> Enterprise:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("企业名称不能为空")})
    code = _clean_uscc(uscc)
    if code and Enterprise.objects.filter(zone=zone, uscc=code).exists():
        raise ValidationError({"uscc": _("统一社会信用代码“%(code)s”已登记") % {"code": code}})
    enterprise = Enterprise.objects.create(zone=zone, name=name, uscc=code, **fields)
    if tags:
        enterprise.tags.set(Tag.objects.get_or_create(name=tag)[0] if isinstance(tag, str) else tag for tag in tags)
    return enterprise


@transaction.atomic
def update_enterprise(enterprise: Enterprise, *, actor=None, tags=None, **changes) -> Enterprise:
    if "uscc" in changes:
        changes["uscc"] = _clean_uscc(changes["uscc"])
        if changes["uscc"] and Enterprise.objects.filter(zone=enterprise.zone, uscc=changes["uscc"]).exclude(pk=enterprise.pk).exists():
            raise ValidationError({"uscc": _("统一社会信用代码“%(code)s”已登记") % {"code": changes["uscc"]}})
    for field, value in changes.items():
        setattr(enterprise, field, value)
    enterprise.save()
    if tags is not None:
        enterprise.tags.set(Tag.objects.get_or_create(name=tag)[0] if isinstance(tag, str) else tag for tag in tags)
    return enterprise


def find_or_create_enterprise(*, zone: Zone, name: str, uscc: str = "", actor=None) -> tuple[Enterprise, bool]:
    """By 统一社会信用代码 when given, else by name within the zone; created when new."""
    code = _clean_uscc(uscc)
    found = None
    if code:
        found = Enterprise.objects.filter(zone=zone, uscc=code).first()
    if found is None:
        found = Enterprise.objects.filter(zone=zone, name=name.strip()).first()
        if found is not None and code and not found.uscc:
            found = update_enterprise(found, uscc=code, actor=actor)
    if found is not None:
        return found, False
    return create_enterprise(zone=zone, name=name, uscc=code, actor=actor), True
