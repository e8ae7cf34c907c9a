import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.models import TimeStampedModel, Zone, ZoneScopedQuerySet
from zhaoshang.core.validators import AMOUNT_FIELD, amount_validators
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.projects.models import Project

AMOUNT = AMOUNT_FIELD


class PolicyQuerySet(ZoneScopedQuerySet):
    def visible_to(self, user):
        """The policy library is open to everyone with a role in the zone."""
        from zhaoshang.core import access

        if access.is_superuser(user):
            return self
        return self.filter(zone_id__in=access.zone_ids(user))

    def in_force(self, on: dt.date):
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=on),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=on),
            is_active=True,
        )


class Policy(TimeStampedModel):
    """惠企政策: a document with a benefit, and the conditions an enterprise or project must meet."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("国家")
        PROVINCE = "province", _("省")
        CITY = "city", _("市")
        DISTRICT = "district", _("区")

    class BenefitKind(models.TextChoices):
        SUBSIDY = "subsidy", _("资金补贴")
        REWARD = "reward", _("奖励")
        RENT_RELIEF = "rent_relief", _("租金减免")
        TAX = "tax", _("税费优惠")
        INTEREST = "interest", _("贷款贴息")
        TALENT = "talent", _("人才支持")
        OTHER = "other", _("其他")

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="policies", verbose_name=_("园区"))
    title = models.CharField(_("政策名称"), max_length=200)
    level = models.CharField(_("发文层级"), max_length=10, choices=Level.choices, default=Level.DISTRICT)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    valid_from = models.DateField(_("有效期起"), null=True, blank=True)
    valid_to = models.DateField(_("有效期止"), null=True, blank=True)
    summary = models.TextField(_("政策摘要"), blank=True)
    benefit_kind = models.CharField(_("支持方式"), max_length=12, choices=BenefitKind.choices, default=BenefitKind.SUBSIDY)
    benefit = models.CharField(_("支持内容"), max_length=300, blank=True, help_text=_("如：按设备投资额的10%给予补助，最高500万元"))
    max_amount = models.DecimalField(
        _("最高金额（万元）"), **AMOUNT, null=True, blank=True, validators=amount_validators()
    )
    is_active = models.BooleanField(_("启用"), default=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["zone", "-valid_from", "title"]
        verbose_name = _("惠企政策")
        verbose_name_plural = _("惠企政策")
        constraints = [
            models.UniqueConstraint(fields=["zone", "title"], name="policy_unique_title_in_zone"),
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True) | models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="policy_valid_to_after_from",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def in_force_on(self, day: dt.date) -> bool:
        return self.is_active and (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class Condition(TimeStampedModel):
    """One rule of a policy: a fact of the enterprise or project (`field`, see rules.FIELDS),
    an operator and a value, all edited as data."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="conditions", verbose_name=_("政策"))
    field = models.CharField(_("条件项"), max_length=30)
    operator = models.CharField(_("比较"), max_length=10)
    value = models.CharField(_("取值"), max_length=300, help_text=_("多个取值用顿号或逗号分隔，满足其一即可"))
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["policy", "sort_order", "id"]
        verbose_name = _("申报条件")
        verbose_name_plural = _("申报条件")

    def __str__(self) -> str:
        from zhaoshang.policies import rules

        return rules.describe(self.field, self.operator, self.value)


class ClaimQuerySet(models.QuerySet):
    def visible_to(self, user):
        from zhaoshang.enterprises.models import Enterprise

        return self.filter(enterprise__in=Enterprise.objects.visible_to(user))


class Claim(TimeStampedModel):
    """申报: an enterprise (optionally for one of its projects) applies for a policy."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("已申报")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("未通过")
        PAID = "paid", _("已兑现")

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="claims", verbose_name=_("政策"))
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="policy_claims", verbose_name=_("企业"))
    project = models.ForeignKey(
        Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="policy_claims", verbose_name=_("项目")
    )
    applied_on = models.DateField(_("申报日期"))
    amount_claimed = models.DecimalField(
        _("申报金额（万元）"), **AMOUNT, default=Decimal("0"), validators=amount_validators()
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.APPLIED)
    amount_approved = models.DecimalField(
        _("核定金额（万元）"), **AMOUNT, null=True, blank=True, validators=amount_validators()
    )
    decided_on = models.DateField(_("审核日期"), null=True, blank=True)
    notes = models.CharField(_("备注"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("记录人")
    )

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-applied_on", "-id"]
        verbose_name = _("政策申报")
        verbose_name_plural = _("政策申报")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_claimed__gte=0), name="claim_amount_not_negative"),
        ]
        indexes = [models.Index(fields=["policy", "enterprise"], name="claim_policy_enterprise")]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.policy}（{self.applied_on}）"


class Payment(TimeStampedModel):
    """兑现: money paid out on a claim."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="payments", verbose_name=_("申报"))
    paid_on = models.DateField(_("兑现日期"))
    amount = models.DecimalField(_("兑现金额（万元）"), **AMOUNT, validators=amount_validators(positive=True))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("记录人")
    )

    class Meta:
        ordering = ["-paid_on", "-id"]
        verbose_name = _("政策兑现")
        verbose_name_plural = _("政策兑现")
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_amount_positive")]

    def __str__(self) -> str:
        return f"{self.claim} 兑现 {self.amount}万元（{self.paid_on}）"
