from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.models import Park, TimeStampedModel
from zhaoshang.core.validators import area_validators
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.projects.models import Project

AREA = {"max_digits": 12, "decimal_places": 2}


class InZoneQuerySet(models.QuerySet):
    zone_path = "park__zone_id"

    def visible_to(self, user):
        """Carrier space is open to everyone with a role in the zone: recruiters hand the
        vacancy list to investors."""
        from zhaoshang.core import access

        if access.is_superuser(user):
            return self
        return self.filter(**{f"{self.zone_path}__in": access.zone_ids(user)})


class UnitQuerySet(InZoneQuerySet):
    zone_path = "building__park__zone_id"


class Building(TimeStampedModel):
    """A building (楼栋/厂房) of a park."""

    park = models.ForeignKey(Park, on_delete=models.PROTECT, related_name="buildings", verbose_name=_("载体园区"))
    name = models.CharField(_("楼栋"), max_length=100)
    floors = models.PositiveSmallIntegerField(_("层数"), null=True, blank=True)
    notes = models.CharField(_("备注"), max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    objects = InZoneQuerySet.as_manager()

    class Meta:
        ordering = ["park", "sort_order", "name"]
        verbose_name = _("楼栋")
        verbose_name_plural = _("楼栋")
        constraints = [models.UniqueConstraint(fields=["park", "name"], name="building_unique_name_in_park")]

    def __str__(self) -> str:
        return f"{self.park.name}·{self.name}"


class SpaceUnit(TimeStampedModel):
    """A lettable unit of a building: a floor, a suite or a whole workshop."""

    class Kind(models.TextChoices):
        FACTORY = "factory", _("厂房")
        OFFICE = "office", _("写字楼")
        RESEARCH = "research", _("研发楼")
        WAREHOUSE = "warehouse", _("仓储")

    class Status(models.TextChoices):
        VACANT = "vacant", _("空置")
        INTENDED = "intended", _("意向")
        LEASED = "leased", _("已租")
        SELF_USED = "self_used", _("自用")

    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="units", verbose_name=_("楼栋"))
    name = models.CharField(_("单元"), max_length=100, help_text=_("如：3层、A区、整栋"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.FACTORY)
    area_m2 = models.DecimalField(_("面积（㎡）"), **AREA, validators=area_validators(positive=True))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.VACANT)
    tenant_enterprise = models.ForeignKey(
        Enterprise, on_delete=models.SET_NULL, null=True, blank=True, related_name="space_units", verbose_name=_("承租企业")
    )
    tenant_project = models.ForeignKey(
        Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="space_units", verbose_name=_("入驻项目")
    )
    rent = models.DecimalField(
        _("租金（元/㎡·月）"), max_digits=8, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    lease_start = models.DateField(_("租期起"), null=True, blank=True)
    lease_end = models.DateField(_("租期止"), null=True, blank=True)
    floor_load = models.CharField(_("承重/层高等条件"), max_length=100, blank=True)
    notes = models.CharField(_("备注"), max_length=200, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["building", "name"]
        verbose_name = _("载体单元")
        verbose_name_plural = _("载体单元")
        constraints = [
            models.UniqueConstraint(fields=["building", "name"], name="spaceunit_unique_name_in_building"),
            models.CheckConstraint(condition=models.Q(area_m2__gt=0), name="spaceunit_area_positive"),
        ]
        indexes = [models.Index(fields=["status", "kind"], name="spaceunit_status_kind")]

    def __str__(self) -> str:
        return f"{self.building}·{self.name}"

    @property
    def tenant(self):
        return self.tenant_project or self.tenant_enterprise
