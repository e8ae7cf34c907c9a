from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.models import OrgUnit, Park, Person, TimeStampedModel, Zone
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.industry.models import IndustryChain, IndustryCluster
from zhaoshang.projects.regions import SourceRegion
from zhaoshang.projects.stages import Stage

AMOUNT = {"max_digits": 16, "decimal_places": 2}


class ProjectQuerySet(models.QuerySet):
    def in_zone(self, zone):
        return self.filter(zone=zone)

    def visible_to(self, user):
        """The projects a user may read in full: all of their zone for leadership and the
        bureau, their unit's for a unit member, those landing in their park for a park user,
        those with tickets assigned to their department for a department user; none for an
        observer, who reads figures only."""
        from zhaoshang.core import access

        if access.is_superuser(user):
            return self
        return self.filter(access.project_q(user))

    def listed_for(self, user):
        """Other units' projects a unit member may see in a list as name, stage and unit
        only, in zones whose setting `units_see_other_units` is on: dicts with pk, code,
        name, stage, zone_id, responsible_unit_id and responsible_unit__name (no model
        instances, so no other field can leak into a page). Empty for everyone else."""
        from zhaoshang.core import access

        zones = access.listing_zone_ids(user)
        if not zones:
            return self.none().values("pk")
        return (
            self.filter(zone_id__in=zones)
            .exclude(access.project_q(user))
            .values("pk", "code", "name", "stage", "zone_id", "responsible_unit_id", "responsible_unit__name")
        )

    def signed(self):
        return self.filter(signed_on__isnull=False)


class Project(TimeStampedModel):
    class Kind(models.TextChoices):
        ENDOGENOUS = "endogenous", _("内生型")
        CHAIN = "chain", _("产业链")
        FOUNDATIONAL = "foundational", _("基础类")

    # No index of its own: the unique (zone, code) and the (zone, …) indexes below lead with it.
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="projects", verbose_name=_("园区"), db_index=False)
    code = models.CharField(_("项目编号"), max_length=40)
    name = models.CharField(_("项目名称"), max_length=200)
    investor = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, null=True, blank=True, related_name="projects", verbose_name=_("投资主体")
    )
    contact_person = models.CharField(_("投资方联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("投资方联系电话"), max_length=30, blank=True)
    cluster = models.ForeignKey(
        IndustryCluster, on_delete=models.PROTECT, null=True, blank=True, related_name="projects", verbose_name=_("产业集群")
    )
    chain = models.ForeignKey(
        IndustryChain, on_delete=models.PROTECT, null=True, blank=True, related_name="projects", verbose_name=_("产业链")
    )
    industry_label = models.CharField(
        _("所属产业（原文）"), max_length=100, blank=True, help_text=_("台账里写的、尚未对应到产业链的产业名称")
    )
    kind = models.CharField(_("项目类型"), max_length=15, choices=Kind.choices, default=Kind.CHAIN)
    total_investment = models.DecimalField(
        _("计划总投资（万元）"), **AMOUNT, default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))]
    )
    is_fixed_asset = models.BooleanField(_("固定资产投资类项目"), default=True)
    source_province = models.CharField(_("来源省份"), max_length=20, blank=True)
    source_city = models.CharField(_("来源城市"), max_length=30, blank=True)
    source_region = models.CharField(_("来源地区"), max_length=5, choices=SourceRegion.choices, blank=True, editable=False)
    responsible_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="projects", verbose_name=_("责任单位")
    )
    leaders = models.ManyToManyField(Person, blank=True, related_name="led_projects", verbose_name=_("包联领导"))
    park = models.ForeignKey(
        Park, on_delete=models.PROTECT, null=True, blank=True, related_name="projects", verbose_name=_("落地园区")
    )
    # Counted once: phases are separate projects only when marked as phases of one parent,
    # and a project merged into another stays on record but counts no more.
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="phases", verbose_name=_("所属总项目")
    )
    # db_default: the ledger's bulk insert names its own columns and leaves this one out.
    phase = models.CharField(_("分期"), max_length=20, blank=True, default="", db_default="", help_text=_("如“一期”“二期”；仅在标明所属总项目时使用"))
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_projects", verbose_name=_("已合并至")
    )
    stage = models.CharField(_("阶段"), max_length=12, choices=Stage.choices, default=Stage.LEAD)
    signed_on = models.DateField(_("签约日期"), null=True, blank=True)
    planned_start_on = models.DateField(_("计划开工日期"), null=True, blank=True)
    started_on = models.DateField(_("开工日期"), null=True, blank=True)
    producing_on = models.DateField(_("投产日期"), null=True, blank=True)
    dropped_on = models.DateField(_("终止日期"), null=True, blank=True)
    drop_reason = models.CharField(_("终止原因"), max_length=200, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["zone", "-signed_on", "code"]
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        constraints = [
            models.UniqueConstraint(fields=["zone", "code"], name="project_unique_code_in_zone"),
            models.CheckConstraint(condition=models.Q(total_investment__gte=0), name="project_investment_not_negative"),
        ]
        indexes = [
            models.Index(fields=["zone", "signed_on"], name="project_zone_signed"),
            models.Index(fields=["zone", "started_on"], name="project_zone_started"),
            models.Index(fields=["zone", "producing_on"], name="project_zone_producing"),
            models.Index(fields=["zone", "stage"], name="project_zone_stage"),
            models.Index(fields=["zone", "name"], name="project_zone_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ProjectPartQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Stage changes, follow-ups and fund arrivals: readable with their project."""
        from zhaoshang.core import access

        if access.is_superuser(user):
            return self
        return self.filter(access.project_q(user, "project__"))


class StageChange(TimeStampedModel):
    """One move of a project along the chain; time in stage is a query over these rows."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stage_changes", verbose_name=_("项目"))
    from_stage = models.CharField(_("原阶段"), max_length=12, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("新阶段"), max_length=12, choices=Stage.choices)
    date = models.DateField(_("日期"))
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    is_backward = models.BooleanField(_("回退"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("记录人")
    )

    objects = ProjectPartQuerySet.as_manager()

    class Meta:
        ordering = ["project", "date", "id"]
        verbose_name = _("阶段变更")
        verbose_name_plural = _("阶段变更")

    def __str__(self) -> str:
        return f"{self.project}: {self.get_from_stage_display() or '—'} → {self.get_to_stage_display()}（{self.date}）"


class FollowUp(TimeStampedModel):
    """跟进记录: a dated visit, call, negotiation, inspection or event."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("走访")
        CALL = "call", _("电话")
        NEGOTIATION = "negotiation", _("洽谈")
        INSPECTION = "inspection", _("考察")
        EVENT = "event", _("活动")

    # No index of its own: followup_project_date leads with it.
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("项目"), db_index=False)
    date = models.DateField(_("日期"))
    kind = models.CharField(_("方式"), max_length=12, choices=Kind.choices, default=Kind.VISIT)
    participants = models.ManyToManyField(Person, blank=True, related_name="follow_ups", verbose_name=_("参与人员"))
    other_participants = models.CharField(_("其他参与人员"), max_length=200, blank=True)
    summary = models.TextField(_("情况摘要"))
    next_step = models.CharField(_("下步计划"), max_length=200, blank=True)
    next_date = models.DateField(_("下步日期"), null=True, blank=True)
    # Set when a later stage change made the next step obsolete (下步：安排签约 on a
    # signed project); a closed next step is never due or overdue.
    next_step_closed_on = models.DateField(_("下步计划关闭日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("记录人")
    )

    objects = ProjectPartQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("跟进记录")
        verbose_name_plural = _("跟进记录")
        indexes = [models.Index(fields=["project", "date"], name="followup_project_date")]

    def __str__(self) -> str:
        return f"{self.project} {self.date} {self.get_kind_display()}"


class FundArrival(TimeStampedModel):
    """资金到位: money that arrived for a project on a date, in 万元."""

    # No index of its own: fundarrival_project_date leads with it.
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="fund_arrivals", verbose_name=_("项目"), db_index=False)
    date = models.DateField(_("到位日期"))
    amount = models.DecimalField(_("到位金额（万元）"), **AMOUNT, validators=[MinValueValidator(Decimal("0.01"))])
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("记录人")
    )

    objects = ProjectPartQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("资金到位")
        verbose_name_plural = _("资金到位")
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="fundarrival_amount_positive")]
        indexes = [models.Index(fields=["project", "date"], name="fundarrival_project_date")]

    def __str__(self) -> str:
        return f"{self.project} {self.date} {self.amount}万元"


class SavedFilter(TimeStampedModel):
    """A user's named set of project-list filters (the list's query string), per zone."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_project_filters", verbose_name=_("用户"))
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+", verbose_name=_("园区"))
    name = models.CharField(_("名称"), max_length=60)
    query = models.CharField(_("筛选条件"), max_length=1000, blank=True)

    class Meta:
        ordering = ["user", "name"]
        verbose_name = _("保存的筛选")
        verbose_name_plural = _("保存的筛选")
        constraints = [models.UniqueConstraint(fields=["user", "zone", "name"], name="savedfilter_unique_name")]

    def __str__(self) -> str:
        return self.name


class WorkbenchVisit(models.Model):
    """When a user last opened the workbench, so it can show what changed since."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workbench_visit", verbose_name=_("用户"))
    previous_at = models.DateTimeField(_("上次访问"), null=True, blank=True)
    last_at = models.DateTimeField(_("本次访问"))
    # The highest stage-change, follow-up and fund-arrival ids at each visit: "what changed
    # since" is then a range on the primary key, whatever the size of the tables.
    previous_marks = models.JSONField(_("上次访问时的记录位置"), default=dict, blank=True)
    last_marks = models.JSONField(_("本次访问时的记录位置"), default=dict, blank=True)

    class Meta:
        verbose_name = _("工作台访问")
        verbose_name_plural = _("工作台访问")

    def __str__(self) -> str:
        return f"{self.user} {self.last_at:%Y-%m-%d %H:%M}"


class DateCorrection(TimeStampedModel):
    """A logged correction of a stage fact's date: who, when (created_at), old → new, why.
    Stage dates are corrected only this way (projects.actions.correct_stage_date)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="date_corrections", verbose_name=_("项目"))
    stage_change = models.ForeignKey(
        StageChange, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("阶段变更")
    )
    stage = models.CharField(_("阶段"), max_length=12, choices=Stage.choices)
    old_date = models.DateField(_("原日期"))
    new_date = models.DateField(_("新日期"))
    reason = models.CharField(_("更正原因"), max_length=200)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("更正人")
    )

    objects = ProjectPartQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-created_at", "-id"]
        verbose_name = _("日期更正")
        verbose_name_plural = _("日期更正")

    def __str__(self) -> str:
        return f"{self.project}: {self.get_stage_display()} {self.old_date} → {self.new_date}"
