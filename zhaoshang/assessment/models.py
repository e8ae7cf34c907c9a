"""Targets (目标任务), schemes (分类考核), manual adjustments, published bulletins (通报)
and dispatch rounds (定期调度).

Published bulletins and closed rounds are snapshots: they keep the data they were made
from (JSON) and the files people downloaded, so opening one later shows exactly what was
published, whatever changed since.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhaoshang.assessment import indicators
from zhaoshang.core.models import OrgUnit, TimeStampedModel, Zone
from zhaoshang.projects.models import Project

VALUE = {"max_digits": 18, "decimal_places": 4}
POINTS = {"max_digits": 8, "decimal_places": 2}


class Target(TimeStampedModel):
    """The task set for a unit (or, without a unit, for the whole zone) for one year and
    one indicator, with an optional breakdown by quarter (each quarter's own share for
    counts and amounts; the rate to reach by that quarter for rates)."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="assessment_targets", verbose_name=_("园区"))
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, null=True, blank=True, related_name="assessment_targets", verbose_name=_("单位"),
        help_text=_("为空表示全区目标"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    indicator = models.CharField(_("指标"), max_length=30, choices=indicators.CHOICES)
    annual = models.DecimalField(_("年度目标"), **VALUE, validators=[MinValueValidator(Decimal("0"))])
    q1 = models.DecimalField(_("一季度"), **VALUE, null=True, blank=True)
    q2 = models.DecimalField(_("二季度"), **VALUE, null=True, blank=True)
    q3 = models.DecimalField(_("三季度"), **VALUE, null=True, blank=True)
    q4 = models.DecimalField(_("四季度"), **VALUE, null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("修改人")
    )

    class Meta:
        ordering = ["zone", "-year", "unit", "indicator"]
        verbose_name = _("目标任务")
        verbose_name_plural = _("目标任务")
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "unit", "year", "indicator"], condition=models.Q(unit__isnull=False),
                name="target_unique_per_unit",
            ),
            models.UniqueConstraint(
                fields=["zone", "year", "indicator"], condition=models.Q(unit__isnull=True), name="target_unique_zone_wide"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.unit or _('全区')} {indicators.LABELS.get(self.indicator, self.indicator)}"

    @property
    def quarters(self) -> list:
        return [self.q1, self.q2, self.q3, self.q4]


class Scheme(TimeStampedModel):
    """How one kind of unit is scored (分类考核): indicators with weights, bonus and
    deduction items. One scheme per kind of unit in a zone; its units form one ranking group."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="schemes", verbose_name=_("园区"))
    kind = models.CharField(_("考核对象"), max_length=20, choices=OrgUnit.Kind.choices)
    name = models.CharField(_("方案名称"), max_length=100)
    board_size = models.PositiveSmallIntegerField(
        _("红黑榜名额"), default=1, help_text=_("每组排名前几名上红榜、后几名上黑榜")
    )
    notes = models.TextField(_("说明"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("修改人")
    )

    class Meta:
        ordering = ["zone", "kind"]
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        constraints = [models.UniqueConstraint(fields=["zone", "kind"], name="scheme_one_per_kind")]

    def __str__(self) -> str:
        return self.name


class SchemeIndicator(TimeStampedModel):
    """An indicator of a scheme. Points = weight × completion, with completion capped at
    `ceiling` (1.2 = at most 120% of the weight), and no points when completion is below
    `floor` (0.6 = 完成率低于60%不得分)."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("方案"))
    indicator = models.CharField(_("指标"), max_length=30, choices=indicators.CHOICES)
    weight = models.DecimalField(_("权重（分值）"), **POINTS, validators=[MinValueValidator(Decimal("0"))])
    ceiling = models.DecimalField(
        _("完成率封顶"), max_digits=6, decimal_places=4, default=Decimal("1.2"),
        validators=[MinValueValidator(Decimal("0"))], help_text=_("1.2 表示最多得权重的120%"),
    )
    floor = models.DecimalField(
        _("完成率保底线"), max_digits=6, decimal_places=4, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))], help_text=_("完成率低于此值不得分；0 表示不设"),
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["scheme", "sort_order", "id"]
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        constraints = [models.UniqueConstraint(fields=["scheme", "indicator"], name="scheme_indicator_once")]

    def __str__(self) -> str:
        return f"{self.scheme} · {self.get_indicator_display()}"


class SchemeItem(TimeStampedModel):
    """A bonus (加分) or deduction (扣分) item computed from the platform's data."""

    class Rule(models.TextChoices):
        MAJOR_PROJECT = "major_project", _("每签约一个总投资达到门槛的项目加分")
        STARTED_PROJECT = "started_project", _("每新开工一个项目加分")
        UNSTARTED_OVERDUE = "unstarted_overdue", _("每个已签约但超过计划开工日期仍未开工的项目扣分")
        OVERDUE_TICKET = "overdue_ticket", _("每件超期未办结的诉求扣分")

    BONUS_RULES = {Rule.MAJOR_PROJECT, Rule.STARTED_PROJECT}

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="items", verbose_name=_("方案"))
    rule = models.CharField(_("规则"), max_length=30, choices=Rule.choices)
    points = models.DecimalField(_("每项分值"), **POINTS, validators=[MinValueValidator(Decimal("0"))])
    cap = models.DecimalField(
        _("最多累计"), **POINTS, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))],
        help_text=_("为空表示不封顶"),
    )
    threshold = models.DecimalField(
        _("投资门槛（万元）"), max_digits=16, decimal_places=2, null=True, blank=True,
        help_text=_("仅用于“总投资达到门槛”加分；为空时取园区亿元以上项目门槛"),
    )

    class Meta:
        ordering = ["scheme", "rule", "id"]
        verbose_name = _("加减分项")
        verbose_name_plural = _("加减分项")

    def __str__(self) -> str:
        return f"{self.scheme} · {self.get_rule_display()}"

    @property
    def is_bonus(self) -> bool:
        return self.rule in self.BONUS_RULES


class ManualAdjustment(TimeStampedModel):
    """A bonus or deduction decided by the bureau, with its reason (e.g. 虚报数据被核减):
    it counts in every ranking whose period contains its date."""

    class Kind(models.TextChoices):
        BONUS = "bonus", _("加分")
        DEDUCTION = "deduction", _("扣分")

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="manual_adjustments", verbose_name=_("园区"))
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="manual_adjustments", verbose_name=_("单位"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.DEDUCTION)
    date = models.DateField(_("日期"))
    points = models.DecimalField(_("分值"), **POINTS, validators=[MinValueValidator(Decimal("0.01"))])
    note = models.CharField(_("事由"), max_length=300)
    project = models.ForeignKey(
        Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("涉及项目")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("录入人")
    )

    class Meta:
        ordering = ["zone", "-date", "-id"]
        verbose_name = _("人工加减分")
        verbose_name_plural = _("人工加减分")

    def __str__(self) -> str:
        return f"{self.unit} {self.get_kind_display()}{self.points} {self.note}"


class Bulletin(TimeStampedModel):
    """A published 通报: the data it was made from and the files, frozen."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="bulletins", verbose_name=_("园区"))
    title = models.CharField(_("标题"), max_length=200)
    number = models.CharField(_("文号"), max_length=60, blank=True)
    start = models.DateField(_("起始日期"))
    end = models.DateField(_("截止日期"))
    as_of = models.DateField(_("数据截至"))
    data = models.JSONField(_("数据快照"))
    docx = models.BinaryField(_("通报（Word）"))
    xlsx = models.BinaryField(_("通报附表（Excel）"))
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("发布人")
    )

    class Meta:
        ordering = ["zone", "-published_at", "-id"]
        verbose_name = _("通报")
        verbose_name_plural = _("通报")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        """A published bulletin is written once and never changed."""
        if not self._state.adding:
            raise ValueError("a published bulletin cannot be changed")
        super().save(*args, **kwargs)


def _own_report_units(user) -> set[int]:
    """The units whose dispatch reports a unit or department member reads as their own."""
    from zhaoshang.core import access
    from zhaoshang.core.models import Role

    return {m.unit_id for m in access.memberships(user) if m.unit_id and m.role in (Role.UNIT, Role.DEPARTMENT)}


class DispatchRoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Every round of the zones where the user is administrator, leadership or bureau;
        elsewhere the rounds that ask one of the user's units to report."""
        from zhaoshang.core import access

        if access.is_superuser(user):
            return self
        own = DispatchUnitReport.objects.filter(unit_id__in=_own_report_units(user)).values("round_id")
        return self.filter(models.Q(zone_id__in=access.zone_wide_ids(user)) | models.Q(pk__in=own))


class DispatchUnitReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Every unit's report in the zones where the user is administrator, leadership or
        bureau; elsewhere the reports of the user's own units (with their entries, photos)."""
        from zhaoshang.core import access

        if access.is_superuser(user):
            return self
        return self.filter(models.Q(round__zone_id__in=access.zone_wide_ids(user)) | models.Q(unit_id__in=_own_report_units(user)))


class DispatchRound(TimeStampedModel):
    """A round of progress reports (定期调度), e.g. 2025年3月第2期; frozen once closed."""

    class Cadence(models.TextChoices):
        WEEKLY = "weekly", _("每周")
        BIWEEKLY = "biweekly", _("每两周")
        MONTHLY = "monthly", _("每月")

    class Status(models.TextChoices):
        OPEN = "open", _("填报中")
        CLOSED = "closed", _("已关闭")

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="dispatch_rounds", verbose_name=_("园区"))
    title = models.CharField(_("名称"), max_length=100)
    cadence = models.CharField(_("周期"), max_length=10, choices=Cadence.choices, default=Cadence.MONTHLY)
    start = models.DateField(_("本期开始"))
    end = models.DateField(_("本期结束"))
    deadline = models.DateField(_("填报截止"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("发起人")
    )
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("关闭人")
    )
    snapshot = models.JSONField(_("关闭时快照"), null=True, blank=True)
    report_docx = models.BinaryField(_("调度报告（Word）"), null=True, blank=True)
    report_xlsx = models.BinaryField(_("调度报告（Excel）"), null=True, blank=True)

    objects = DispatchRoundQuerySet.as_manager()

    class Meta:
        ordering = ["zone", "-end", "-id"]
        verbose_name = _("调度轮次")
        verbose_name_plural = _("调度轮次")
        constraints = [
            models.UniqueConstraint(fields=["zone", "title"], name="dispatch_round_unique_title"),
            models.CheckConstraint(condition=models.Q(start__lte=models.F("end")), name="dispatch_round_start_before_end"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class DispatchUnitReport(TimeStampedModel):
    """A unit's part of a round: whether and when it submitted."""

    round = models.ForeignKey(DispatchRound, on_delete=models.CASCADE, related_name="unit_reports", verbose_name=_("调度轮次"))
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="dispatch_reports", verbose_name=_("单位"))
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("提交人")
    )

    objects = DispatchUnitReportQuerySet.as_manager()

    class Meta:
        ordering = ["round", "unit__kind", "unit__sort_order", "unit__name"]
        verbose_name = _("单位填报")
        verbose_name_plural = _("单位填报")
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="dispatch_report_once_per_unit")]

    def __str__(self) -> str:
        return f"{self.round} · {self.unit}"


class DispatchEntry(TimeStampedModel):
    """One project's report in a round."""

    class Source(models.TextChoices):
        PLATFORM = "platform", _("平台带入（未填报）")
        UNIT = "unit", _("单位填报")

    report = models.ForeignKey(DispatchUnitReport, on_delete=models.CASCADE, related_name="entries", verbose_name=_("单位填报"))
    project = models.ForeignKey(Project, on_delete=models.SET_NULL, null=True, related_name="dispatch_entries", verbose_name=_("项目"))
    project_name = models.CharField(_("项目名称"), max_length=200)
    project_code = models.CharField(_("项目编号"), max_length=40, blank=True)
    progress = models.TextField(_("本期进展"), blank=True)
    period_investment = models.DecimalField(_("本期完成投资（万元）"), max_digits=16, decimal_places=2, default=Decimal("0"))
    cumulative_investment = models.DecimalField(_("累计完成投资（万元）"), max_digits=16, decimal_places=2, default=Decimal("0"))
    problems = models.TextField(_("存在问题"), blank=True)
    next_steps = models.TextField(_("下步计划"), blank=True)
    has_progress = models.BooleanField(_("本期有进展"), default=False)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, blank=True)
    saved_at = models.DateTimeField(_("保存时间"), null=True, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("填报人")
    )
    ticket_ref = models.CharField(_("已转诉求"), max_length=60, blank=True)

    class Meta:
        ordering = ["report", "project_code", "id"]
        verbose_name = _("调度项目填报")
        verbose_name_plural = _("调度项目填报")
        constraints = [
            models.CheckConstraint(condition=models.Q(period_investment__gte=0), name="dispatch_entry_period_not_negative"),
            models.CheckConstraint(condition=models.Q(cumulative_investment__gte=0), name="dispatch_entry_cumulative_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.project_name}"


def _photo_path(instance, filename):
    return f"assessment/dispatch/{instance.entry.report.round_id}/{instance.entry_id}/{filename}"


class DispatchPhoto(TimeStampedModel):
    entry = models.ForeignKey(DispatchEntry, on_delete=models.CASCADE, related_name="photos", verbose_name=_("项目填报"))
    file = models.FileField(_("照片"), upload_to=_photo_path, max_length=300)
    name = models.CharField(_("文件名"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("上传人")
    )

    class Meta:
        ordering = ["entry", "id"]
        verbose_name = _("现场照片")
        verbose_name_plural = _("现场照片")

    def __str__(self) -> str:
        return self.name
