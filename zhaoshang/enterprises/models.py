from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhaoshang.core import pinyin
from zhaoshang.core.fields import EncryptedCharField
from zhaoshang.core.models import TimeStampedModel, Zone, ZoneScopedQuerySet
from zhaoshang.enterprises import uscc as uscc_rules


def validate_uscc(value: str) -> None:
    try:
        uscc_rules.validate(value)
    except uscc_rules.InvalidUSCC as error:
        raise ValidationError(str(error), code="invalid_uscc") from error


class Tag(TimeStampedModel):
    """企业标签: 行业龙头, 瞪羚企业, 专精特新 …"""

    name = models.CharField(_("名称"), max_length=30, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("企业标签")
        verbose_name_plural = _("企业标签")

    def __str__(self) -> str:
        return self.name


DEFAULT_TAGS = ["行业龙头", "瞪羚企业", "专精特新", "小巨人", "链主", "上市公司", "500强", "央企", "外资", "高新技术企业"]


class EnterpriseQuerySet(ZoneScopedQuerySet):
    def visible_to(self, user):
        """Every enterprise of the zones where the user is administrator, leadership or
        bureau; elsewhere the investors of the projects the user may read."""
        from django.apps import apps

        from zhaoshang.core import access

        if access.is_superuser(user):
            return self
        Project = apps.get_model("projects", "Project")
        condition = models.Q(pk__in=Project.objects.visible_to(user).filter(investor__isnull=False).values("investor_id"))
        zone_wide = access.zone_wide_ids(user)
        if zone_wide:
            condition |= models.Q(zone_id__in=zone_wide)
        return self.filter(condition)

    def with_contact_access(self, user):
        """Annotate `contacts_visible`: whether `user` may read the contact person and phone
        (zone-wide roles, or a unit with a project of this enterprise), in the same query."""
        from django.apps import apps

        from zhaoshang.core import access

        if access.is_superuser(user):
            return self.annotate(contacts_visible=models.Value(True))
        Project = apps.get_model("projects", "Project")
        condition = models.Q(zone_id__in=access.zone_ids(user, access.CONTACT_ROLES))
        units = access.unit_ids(user)
        if units:
            condition |= models.Exists(
                Project.objects.filter(investor=models.OuterRef("pk"), responsible_unit_id__in=units)
            )
        return self.annotate(contacts_visible=models.ExpressionWrapper(condition, output_field=models.BooleanField()))


class Enterprise(TimeStampedModel):
    # No index of its own: enterprise_zone_name leads with it.
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("园区"), db_index=False)
    name = models.CharField(_("企业名称"), max_length=200)
    # Lists sort by it and searches match it (core.pinyin).
    name_pinyin = pinyin.name_pinyin_field()
    uscc = models.CharField(
        _("统一社会信用代码"), max_length=18, blank=True, validators=[validate_uscc]
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="enterprises", verbose_name=_("标签"))
    province = models.CharField(_("所在省份"), max_length=20, blank=True)
    city = models.CharField(_("所在城市"), max_length=20, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = EncryptedCharField(_("联系电话"), max_length=30, blank=True)
    notes = models.TextField(_("备注"), blank=True)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        ordering = ["zone", "name_pinyin", "name"]
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "uscc"],
                condition=~models.Q(uscc=""),
                name="enterprise_unique_uscc_in_zone",
            )
        ]
        indexes = [
            models.Index(fields=["zone", "name"], name="enterprise_zone_name"),
            models.Index(fields=["zone", "name_pinyin"], name="enterprise_zone_pinyin"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, update_fields=None, **kwargs):
        super().save(*args, update_fields=pinyin.keep_key(self, update_fields), **kwargs)
