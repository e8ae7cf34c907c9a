from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.models import TimeStampedModel, Zone, ZoneScopedQuerySet
from zhaoshang.core.validators import AMOUNT_FIELD, amount_validators
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.industry.models import IndustryChain
from zhaoshang.projects.models import Project

AMOUNT = AMOUNT_FIELD


class FundQuerySet(ZoneScopedQuerySet):
    def visible_to(self, user):
        """Funds are read by the zone's leadership, bureau and administrators."""
        from zhaoshang.core import access

        if access.is_superuser(user):
            return self
        return self.filter(zone_id__in=access.zone_wide_ids(user))

    def mothers(self):
        return self.filter(parent__isnull=True)


class Fund(TimeStampedModel):
    """An industry fund: a 母基金 (no parent) or a 子基金 of one, with its committed size."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="funds", verbose_name=_("园区"))
    name = models.CharField(_("基金名称"), max_length=200)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("母基金")
    )
    manager = models.CharField(_("基金管理人"), max_length=200, blank=True)
    size = models.DecimalField(_("认缴规模（万元）"), **AMOUNT, validators=amount_validators())
    parent_commitment = models.DecimalField(
        _("母基金认缴出资（万元）"), **AMOUNT, null=True, blank=True, validators=amount_validators()
    )
    reinvest_target = models.DecimalField(
        _("返投倍数要求"), max_digits=6, decimal_places=2, null=True, blank=True,
        help_text=_("本地投资额不低于母基金出资的倍数，如 1.5"),
    )
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    focus_chains = models.ManyToManyField(IndustryChain, blank=True, related_name="funds", verbose_name=_("投资方向（产业链）"))
    notes = models.TextField(_("备注"), blank=True)

    objects = FundQuerySet.as_manager()

    class Meta:
        ordering = ["zone", "name"]
        verbose_name = _("基金")
        verbose_name_plural = _("基金")
        constraints = [
            models.UniqueConstraint(fields=["zone", "name"], name="fund_unique_name_in_zone"),
            models.CheckConstraint(condition=models.Q(size__gte=0), name="fund_size_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_mother(self) -> bool:
        return self.parent_id is None


class CapitalCall(TimeStampedModel):
    """实缴: capital paid into a fund on a date."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="calls", verbose_name=_("基金"))
    date = models.DateField(_("实缴日期"))
    amount = models.DecimalField(_("实缴金额（万元）"), **AMOUNT, validators=amount_validators(positive=True))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["fund", "-date", "-id"]
        verbose_name = _("实缴出资")
        verbose_name_plural = _("实缴出资")
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="capitalcall_amount_positive")]

    def __str__(self) -> str:
        return f"{self.fund} {self.date} 实缴 {self.amount}万元"


class Investment(TimeStampedModel):
    """A fund's investment into an enterprise or a project (or a company recorded by name)."""

    class Round(models.TextChoices):
        ANGEL = "angel", _("天使轮")
        SERIES_A = "a", _("A轮")
        SERIES_B = "b", _("B轮")
        LATER = "later", _("C轮及以后")
        PRE_IPO = "pre_ipo", _("Pre-IPO")
        PRIVATE_PLACEMENT = "placement", _("定向增发")
        MERGER = "merger", _("并购")
        PROJECT = "project", _("项目直投")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="investments", verbose_name=_("基金"))
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, null=True, blank=True, related_name="fund_investments", verbose_name=_("被投企业")
    )
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, null=True, blank=True, related_name="fund_investments", verbose_name=_("招引项目")
    )
    investee_name = models.CharField(_("被投企业（未登记）"), max_length=200, blank=True)
    date = models.DateField(_("投资日期"))
    amount = models.DecimalField(_("投资金额（万元）"), **AMOUNT, validators=amount_validators(positive=True))
    round = models.CharField(_("投资阶段"), max_length=10, choices=Round.choices, default=Round.PROJECT)
    is_local = models.BooleanField(_("投资于本区（计入返投）"), default=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("记录人")
    )

    class Meta:
        ordering = ["fund", "-date", "-id"]
        verbose_name = _("基金投资")
        verbose_name_plural = _("基金投资")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="investment_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(enterprise__isnull=False) | models.Q(project__isnull=False) | ~models.Q(investee_name=""),
                name="investment_has_investee",
            ),
        ]
        indexes = [models.Index(fields=["fund", "date"], name="investment_fund_date")]

    def __str__(self) -> str:
        return f"{self.fund} → {self.investee}（{self.amount}万元）"

    @property
    def investee(self) -> str:
        if self.project_id:
            return str(self.project)
        if self.enterprise_id:
            return str(self.enterprise)
        return self.investee_name
