from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhaoshang.core import pinyin
from zhaoshang.core.fields import EncryptedCharField
from zhaoshang.core.models import OrgUnit, Park, Person, Role, TimeStampedModel, Zone
from zhaoshang.core.validators import AMOUNT_FIELD, amount_validators, validate_date_window
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.industry.models import IndustryChain, IndustryCluster
from zhaoshang.projects.regions import SourceRegion
from zhaoshang.projects.stages import Stage

AMOUNT = AMOUNT_FIELD


# Other apps widen who reads a project with a rule: rule(user, prefix) returns a Q over
# Project (its lookups prefixed with `prefix`, e.g. "project__") or None. The tickets app
# adds "a department user sees the projects of the tickets assigned to it" this way:
#     add_project_rule(lambda user, prefix: Q(**{prefix + "tickets__department_id__in": ...}))
# A rule that joins a to-many relation should return pk__in=<subquery> to avoid duplicates.
_project_rules: list = []


def add_project_rule(rule) -> None:
    if rule not in _project_rules:
        _project_rules.append(rule)


def project_q(user, prefix: str = "") -> models.Q:
    """The condition a project must meet to be read in full by `user` (the rule behind
    every visible_to of projects and of the rows read with their project): every project
    of the zones where they are administrator, leadership or bureau; their unit's
    projects; the projects landing in their park; plus what other apps' rules add."""
    from zhaoshang.core import access

    if access.is_superuser(user):
        return models.Q()
    condition = models.Q(**{prefix + "pk__in": []})
    zone_wide = access.zone_wide_ids(user)
    if zone_wide:
        condition |= models.Q(**{prefix + "zone_id__in": zone_wide})
    units = access.unit_ids(user)
    if units:
        condition |= models.Q(**{prefix + "responsible_unit_id__in": units})
    parks = access.park_ids(user)
    if parks:
        condition |= models.Q(**{prefix + "park_id__in": parks})
    for rule in _project_rules:
        extra = rule(user, prefix)
        if extra is not None:
            condition |= extra
    return condition


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
        return self.filter(project_q(user))

    def figures_visible_to(self, user):
        """The projects whose figures a user may read: those they read in full, plus every
        project of the zones where they are an observer (上级 read figures, not rows)."""
        from zhaoshang.core import access

        if access.is_superuser(user):
            return self
        condition = project_q(user)
        observed = access.observer_zone_ids(user)
        if observed:
            condition |= models.Q(zone_id__in=observed)
        return self.filter(condition)

    def listed_for(self, user):
        """Other units' projects a unit member may see in a list as name, stage and unit
        only, in zones whose setting `units_see_other_units` is on: dicts with pk, code,
        name, stage, zone_id, responsible_unit_id and responsible_unit__name (no model
        instances, so no other field can leak into a page). Empty for everyone else."""
        from zhaoshang.core import access

        # Zones where the user, as a unit member, may list other units' projects.
        zones = {m.zone_id for m in access.memberships(user) if m.role == Role.UNIT and m.zone.units_see_other_units}
        if not zones:
            return self.none().values("pk")
        return (
            self.filter(zone_id__in=zones)
            .exclude(project_q(user))
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
    # Lists sort by it and searches match it (core.pinyin).
    name_pinyin = pinyin.name_pinyin_field()
    investor = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, null=True, blank=True, related_name="projects", verbose_name=_("投资主体")
    )
    contact_person = models.CharField(_("投资方联系人"), max_length=50, blank=True)
    contact_phone = EncryptedCharField(_("投资方联系电话"), max_length=30, blank=True)
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
        _("计划总投资（万元）"), **AMOUNT, default=Decimal("0"), validators=amount_validators()
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
    signed_on = models.DateField(_("签约日期"), null=True, blank=True, validators=[validate_date_window])
    planned_start_on = models.DateField(_("计划开工日期"), null=True, blank=True, validators=[validate_date_window])
    started_on = models.DateField(_("开工日期"), null=True, blank=True, validators=[validate_date_window])
    producing_on = models.DateField(_("投产日期"), null=True, blank=True, validators=[validate_date_window])
    dropped_on = models.DateField(_("终止日期"), null=True, blank=True, validators=[validate_date_window])
    drop_reason = models.CharField(_("终止原因"), max_length=200, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    # 认定 (certification), kept in step by zhaoshang.review.actions so that every figure
    # stays one aggregate query: the day each dated fact was certified (null: not
    # certified, so it does not count), and the sum of the certified capital increases
    # already added to total_investment (the amount at signing is the difference).
    signed_certified_on = models.DateField(_("签约认定日期"), null=True, blank=True, editable=False)
    started_certified_on = models.DateField(_("开工认定日期"), null=True, blank=True, editable=False)
    producing_certified_on = models.DateField(_("投产认定日期"), null=True, blank=True, editable=False)
    increase_total = models.DecimalField(
        _("已认定增资（万元）"), **AMOUNT, default=Decimal("0"), db_default=Decimal("0"), editable=False
    )
    # What a ledger says that the platform does not model (ledger import): the zone's
    # 项目类别, and every other column kept under its header, shown and exported again.
    category = models.ForeignKey(
        "projects.ProjectCategory", on_delete=models.PROTECT, null=True, blank=True, related_name="projects", verbose_name=_("项目类别")
    )
    extra = models.JSONField(_("附加字段"), default=dict, blank=True, help_text=_("台账中平台未建模的列：列名 → 内容"))

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
            models.Index(fields=["zone", "name_pinyin"], name="project_zone_pinyin"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, update_fields=None, **kwargs):
        super().save(*args, update_fields=pinyin.keep_key(self, update_fields), **kwargs)


class ProjectPartQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Stage changes, follow-ups and fund arrivals: readable with their project."""
        from zhaoshang.core import access

        if access.is_superuser(user):
            return self
        return self.filter(project_q(user, "project__"))


class FollowUpQuerySet(ProjectPartQuerySet):
    def with_open_next_step(self):
        """Follow-ups whose next step is still open: one was recorded (a step or a date) and
        no stage change has closed it since (actions.close_next_steps). The one rule for
        "open next step": the workbench's due check and the dispatch round use it."""
        return self.filter(next_step_closed_on__isnull=True).exclude(next_step="", next_date=None)


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

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("跟进记录")
        verbose_name_plural = _("跟进记录")
        indexes = [models.Index(fields=["project", "date"], name="followup_project_date")]

    def __str__(self) -> str:
        return f"{self.project} {self.date} {self.get_kind_display()}"


class FundArrival(TimeStampedModel):
    """资金到位: money that arrived for a project on a date, in 万元."""

    # No index of its own: fundarrival_project_date_amt leads with it.
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="fund_arrivals", verbose_name=_("项目"), db_index=False)
    date = models.DateField(_("到位日期"), validators=[validate_date_window])
    amount = models.DecimalField(_("到位金额（万元）"), **AMOUNT, validators=amount_validators(positive=True))
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
        # The amount in the index too: the figures sum a scope's arrivals from the index
        # alone (index-only scan), not from rows scattered over the table — at province
        # scale the month chart of one zone went from 300 to 33 ms of database time and
        # its funds figures from 373 to 37 ms (migration 0016_fundarrival_index_amount).
        indexes = [models.Index(fields=["project", "date", "amount"], name="fundarrival_project_date_amt")]

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


# --- 项目预警: warning lights -----------------------------------------------------------


class WarningColour(models.TextChoices):
    RED = "red", _("红灯")
    YELLOW = "yellow", _("黄灯")
    GREEN = "green", _("绿灯")


class WarningRules(TimeStampedModel):
    """A zone's thresholds for the warning lights (项目预警); the defaults stand until the
    bureau changes them. What each threshold means is in docs/figures.md (项目预警)."""

    zone = models.OneToOneField(Zone, on_delete=models.CASCADE, related_name="warning_rules", verbose_name=_("园区"))
    late_start_red_days = models.PositiveIntegerField(
        _("计划开工逾期转红灯（天）"), default=30,
        help_text=_("过了计划开工日期仍未开工即为黄灯，逾期满这些天为红灯"),
    )
    unstarted_yellow_months = models.PositiveIntegerField(_("签约未开工黄灯（月）"), default=6)
    unstarted_red_months = models.PositiveIntegerField(_("签约未开工红灯（月）"), default=12)
    idle_yellow_days = models.PositiveIntegerField(_("未跟进黄灯（天）"), default=60)
    idle_red_days = models.PositiveIntegerField(_("未跟进红灯（天）"), default=120)
    build_months = models.PositiveIntegerField(
        _("计划建设周期（月）"), default=24,
        help_text=_("序时进度：自签约起按每月30天计，经过的天数占建设周期的比例"),
    )
    funds_yellow_points = models.PositiveIntegerField(
        _("资金到位落后序时进度黄灯（百分点）"), default=20, help_text=_("落后超过这些百分点为黄灯")
    )
    funds_red_points = models.PositiveIntegerField(
        _("资金到位落后序时进度红灯（百分点）"), default=40, help_text=_("落后超过这些百分点为红灯")
    )

    class Meta:
        ordering = ["zone"]
        verbose_name = _("预警规则")
        verbose_name_plural = _("预警规则")
        constraints = [
            models.CheckConstraint(condition=models.Q(late_start_red_days__gte=1), name="warningrules_late_start_positive"),
            models.CheckConstraint(condition=models.Q(unstarted_red_months__gt=models.F("unstarted_yellow_months")),
                                   name="warningrules_unstarted_order"),
            models.CheckConstraint(condition=models.Q(idle_red_days__gt=models.F("idle_yellow_days")),
                                   name="warningrules_idle_order"),
            models.CheckConstraint(condition=models.Q(build_months__gte=1), name="warningrules_build_positive"),
            models.CheckConstraint(condition=models.Q(funds_red_points__gt=models.F("funds_yellow_points")),
                                   name="warningrules_funds_order"),
        ]

    def __str__(self) -> str:
        return f"{self.zone} · {self._meta.verbose_name}"


class ProjectWarningState(TimeStampedModel):
    """The colour the daily check last found for a project, so that the responsible unit
    hears of a change of colour once and only once."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="warning_state", verbose_name=_("项目"))
    colour = models.CharField(_("预警"), max_length=6, choices=WarningColour.choices, blank=True)
    since = models.DateField(_("变为该颜色的日期"))
    checked_on = models.DateField(_("最近检查日期"))
    reasons = models.JSONField(_("原因"), default=list, blank=True)

    class Meta:
        ordering = ["project"]
        verbose_name = _("项目预警状态")
        verbose_name_plural = _("项目预警状态")

    def __str__(self) -> str:
        return f"{self.project} · {self.get_colour_display() or '—'}"


# --- 增资: a capital increase, its own dated fact --------------------------------------


class CapitalIncrease(TimeStampedModel):
    """增资: more investment promised for a project already signed. It adds only its amount
    to 签约总投资, in the period of its date, once certified; the project counts once."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="capital_increases", verbose_name=_("项目"))
    date = models.DateField(_("增资日期"), validators=[validate_date_window])
    amount = models.DecimalField(_("增资金额（万元）"), **AMOUNT, validators=amount_validators(positive=True))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    # Null until certified (see zhaoshang.review): only certified increases count.
    certified_on = models.DateField(_("认定日期"), null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("记录人")
    )

    objects = ProjectPartQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("增资")
        verbose_name_plural = _("增资")
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="capitalincrease_amount_positive")]
        indexes = [models.Index(fields=["project", "date"], name="capitalincrease_project_date")]

    def __str__(self) -> str:
        return f"{self.project} {self.date} 增资{self.amount}万元"

class ProjectCategory(models.Model):
    """A zone's list of 项目类别 (工业, 服务业, 社会事业, 基础设施 …), as its ledgers name them."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="project_categories", verbose_name=_("园区"))
    name = models.CharField(_("名称"), max_length=30)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["zone", "sort_order", "name"]
        verbose_name = _("项目类别")
        verbose_name_plural = _("项目类别")
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="projectcategory_unique_name")]

    def __str__(self) -> str:
        return self.name
