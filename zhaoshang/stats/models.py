from django.db import models
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.models import TimeStampedModel
from zhaoshang.core.validators import AMOUNT_FIELD, amount_validators
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.stats import sectors

AMOUNT = AMOUNT_FIELD


class EnterpriseProfile(TimeStampedModel):
    """What the statistics (and the policies) need to know of an enterprise beyond the
    registry: its industry class, construction qualification, whether it is already in
    the statistics (已入统/入库), and when it landed in the zone."""

    enterprise = models.OneToOneField(
        Enterprise, on_delete=models.CASCADE, related_name="profile", verbose_name=_("企业")
    )
    industry_code = models.CharField(
        _("国民经济行业分类"), max_length=4, choices=sectors.CHOICES, blank=True
    )
    construction_qualification = models.CharField(
        _("建筑业资质"), max_length=100, blank=True, help_text=_("如：建筑工程施工总承包二级；无资质请留空")
    )
    in_statistics = models.BooleanField(_("已纳入统计（四上）"), default=False)
    in_statistics_since = models.DateField(_("入统日期"), null=True, blank=True)
    landed_on = models.DateField(_("落户日期"), null=True, blank=True)

    class Meta:
        ordering = ["enterprise"]
        verbose_name = _("企业统计信息")
        verbose_name_plural = _("企业统计信息")

    def __str__(self) -> str:
        return f"{self.enterprise}（{sectors.label(self.industry_code) if self.industry_code else '未分类'}）"

    @property
    def section(self) -> str:
        return self.industry_code[:1]


class AnnualFigures(TimeStampedModel):
    """An enterprise's figures for one year: main-business (operating) revenue and employees."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="annual_figures", verbose_name=_("企业")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    revenue = models.DecimalField(
        _("主营业务收入（万元）"), **AMOUNT, validators=amount_validators()
    )
    employees = models.PositiveIntegerField(_("从业人员（人）"), null=True, blank=True)

    class Meta:
        ordering = ["enterprise", "-year"]
        verbose_name = _("企业年度经营数据")
        verbose_name_plural = _("企业年度经营数据")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="annualfigures_one_per_year"),
            models.CheckConstraint(condition=models.Q(revenue__gte=0), name="annualfigures_revenue_not_negative"),
        ]
        indexes = [models.Index(fields=["year", "revenue"], name="annualfigures_year_revenue")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}年"


class Threshold(TimeStampedModel):
    """The entry threshold of one industry class, in force from a year until a later row
    for the same class replaces it."""

    class Basis(models.TextChoices):
        REVENUE = "revenue", _("年主营业务收入达到门槛")
        QUALIFICATION = "qualification", _("具有总承包或专业承包资质")
        ALL = "all", _("全部纳入")

    industry_code = models.CharField(_("国民经济行业分类"), max_length=4, choices=sectors.CHOICES)
    from_year = models.PositiveSmallIntegerField(_("起始年度"))
    basis = models.CharField(_("标准"), max_length=14, choices=Basis.choices, default=Basis.REVENUE)
    min_revenue = models.DecimalField(
        _("收入门槛（万元）"), **AMOUNT, null=True, blank=True, validators=amount_validators()
    )
    source = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        ordering = ["industry_code", "-from_year"]
        verbose_name = _("入统门槛")
        verbose_name_plural = _("入统门槛")
        constraints = [
            models.UniqueConstraint(fields=["industry_code", "from_year"], name="threshold_one_per_class_year"),
        ]

    def __str__(self) -> str:
        return f"{sectors.label(self.industry_code)} {self.from_year}年起"

    @property
    def group(self) -> str:
        return sectors.GROUPS.get(self.industry_code, "")

    def describe(self) -> str:
        if self.basis == self.Basis.REVENUE:
            return f"{self.min_revenue.normalize():f}万元"
        return str(self.get_basis_display())
