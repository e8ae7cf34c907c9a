from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.fields import EncryptedCharField
from zhaoshang.core.models import TimeStampedModel, Zone, ZoneMemberQuerySet
from zhaoshang.projects.regions import SourceRegion

DEFAULT_PRIORITY_REGIONS = [SourceRegion.JING_JIN_JI.value, SourceRegion.YANGTZE_DELTA.value, SourceRegion.GREATER_BAY.value]


class FollowUpKind(models.TextChoices):
    """The same ways of approaching a company as a project's follow-ups."""

    VISIT = "visit", _("走访")
    CALL = "call", _("电话")
    NEGOTIATION = "negotiation", _("洽谈")
    INSPECTION = "inspection", _("考察")
    EVENT = "event", _("活动")


class IndustryCluster(TimeStampedModel):
    """产业集群, e.g. 数字经济."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="clusters", verbose_name=_("园区"))
    name = models.CharField(_("名称"), max_length=50)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    objects = ZoneMemberQuerySet.as_manager()

    class Meta:
        ordering = ["zone", "sort_order", "name"]
        verbose_name = _("产业集群")
        verbose_name_plural = _("产业集群")
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="cluster_unique_name_in_zone")]

    def __str__(self) -> str:
        return self.name


class IndustryChain(TimeStampedModel):
    """细分行业 / 产业链, e.g. 新能源电池及材料."""

    class Tier(models.TextChoices):
        LEADING = "leading", _("主导产业")
        EMERGING = "emerging", _("战略性新兴产业")
        FUTURE = "future", _("未来产业")

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="chains", verbose_name=_("园区"))
    cluster = models.ForeignKey(
        IndustryCluster, on_delete=models.PROTECT, related_name="chains", verbose_name=_("产业集群")
    )
    name = models.CharField(_("名称"), max_length=50)
    tier = models.CharField(_("产业层级"), max_length=10, choices=Tier.choices, default=Tier.LEADING)
    aliases = models.JSONField(_("别名"), default=list, blank=True, help_text=_("台账中出现的其他写法"))
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    objects = ZoneMemberQuerySet.as_manager()

    class Meta:
        ordering = ["zone", "sort_order", "name"]
        verbose_name = _("产业链")
        verbose_name_plural = _("产业链")
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="chain_unique_name_in_zone")]

    def __str__(self) -> str:
        return self.name


class ChainNode(TimeStampedModel):
    """产业链节点 (上/中/下游)."""

    class Position(models.TextChoices):
        UP = "up", _("上游")
        MID = "mid", _("中游")
        DOWN = "down", _("下游")

    chain = models.ForeignKey(IndustryChain, on_delete=models.CASCADE, related_name="nodes", verbose_name=_("产业链"))
    name = models.CharField(_("名称"), max_length=50)
    position = models.CharField(_("环节"), max_length=4, choices=Position.choices)
    is_key = models.BooleanField(_("关键节点"), default=False)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["chain", "sort_order", "name"]
        verbose_name = _("产业链节点")
        verbose_name_plural = _("产业链节点")
        constraints = [models.UniqueConstraint(fields=["chain", "name"], name="node_unique_name_in_chain")]

    def __str__(self) -> str:
        return f"{self.chain.name}·{self.name}"


class ChainPlacement(TimeStampedModel):
    """A local enterprise placed on a chain node; 链主 marks the chain's leaders."""

    node = models.ForeignKey(ChainNode, on_delete=models.CASCADE, related_name="placements", verbose_name=_("产业链节点"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="chain_placements", verbose_name=_("企业")
    )
    is_chain_leader = models.BooleanField(_("链主企业"), default=False)
    notes = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["node", "-is_chain_leader", "enterprise__name"]
        verbose_name = _("链上企业")
        verbose_name_plural = _("链上企业")
        constraints = [models.UniqueConstraint(fields=["node", "enterprise"], name="placement_unique_enterprise_on_node")]

    def __str__(self) -> str:
        return f"{self.node} · {self.enterprise}"


class RelationKind(models.TextChoices):
    """How the first party relates to the second: A 是 B 的供应商 / 客户 / 合作伙伴."""

    SUPPLIER = "supplier", _("供应商")
    CUSTOMER = "customer", _("客户")
    PARTNER = "partner", _("合作伙伴")


class EnterpriseRelation(TimeStampedModel):
    """Between two local enterprises: `from_enterprise` is the `kind` of `to_enterprise`."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="enterprise_relations", verbose_name=_("园区"))
    from_enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="relations_out", verbose_name=_("企业")
    )
    kind = models.CharField(_("关系"), max_length=10, choices=RelationKind.choices)
    to_enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="relations_in", verbose_name=_("对方企业")
    )
    notes = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["zone", "from_enterprise__name", "kind"]
        verbose_name = _("企业关系")
        verbose_name_plural = _("企业关系")
        constraints = [
            models.UniqueConstraint(fields=["from_enterprise", "kind", "to_enterprise"], name="relation_unique"),
            models.CheckConstraint(condition=~models.Q(from_enterprise=models.F("to_enterprise")), name="relation_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.from_enterprise} 是 {self.to_enterprise} 的{self.get_kind_display()}"


class ApproachStatus(models.TextChoices):
    UNTOUCHED = "untouched", _("未接触")
    CONTACTED = "contacted", _("已接触")
    NEGOTIATING = "negotiating", _("洽谈中")
    CONVERTED = "converted", _("已转为项目线索")
    MERGED = "merged", _("已合并")


# The approach ladder a user moves a target along by hand (the last two are set by actions).
APPROACH_STEPS = [ApproachStatus.UNTOUCHED, ApproachStatus.CONTACTED, ApproachStatus.NEGOTIATING]
OPEN_STATUSES = APPROACH_STEPS


class RevenueBand(models.TextChoices):
    UNDER_1 = "lt1", _("1亿元以下")
    FROM_1 = "1-10", _("1–10亿元")
    FROM_10 = "10-100", _("10–100亿元")
    FROM_100 = "100-1000", _("100–1000亿元")
    OVER_1000 = "gt1000", _("1000亿元以上")


class TargetQuerySet(models.QuerySet):
    def in_zone(self, zone):
        return self.filter(zone=zone)

    def visible_to(self, user):
        """Targets are read by the zone's admin, leadership, bureau and unit members;
        departments, parks and observers do not see the pool."""
        from zhaoshang.industry.permissions import target_zone_ids

        return self.filter(zone_id__in=target_zone_ids(user))

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class TargetCompany(TimeStampedModel):
    """目标企业库: a company outside the zone the zone wants to attract."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="targets", verbose_name=_("园区"))
    name = models.CharField(_("企业名称"), max_length=200)
    name_key = models.CharField(_("名称归一"), max_length=200, editable=False, db_index=True)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    tags = models.ManyToManyField("enterprises.Tag", blank=True, related_name="targets", verbose_name=_("标签"))
    province = models.CharField(_("所在省份"), max_length=20, blank=True)
    city = models.CharField(_("所在城市"), max_length=30, blank=True)
    region = models.CharField(_("所在地区"), max_length=5, choices=SourceRegion.choices, blank=True, editable=False)
    nodes = models.ManyToManyField(ChainNode, blank=True, related_name="targets", verbose_name=_("对应产业链节点"))
    revenue_band = models.CharField(_("营收规模"), max_length=10, choices=RevenueBand.choices, blank=True)
    main_products = models.CharField(_("主营产品"), max_length=200, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = EncryptedCharField(_("联系电话"), max_length=30, blank=True)
    status = models.CharField(_("对接状态"), max_length=12, choices=ApproachStatus.choices, default=ApproachStatus.UNTOUCHED)
    last_contacted_on = models.DateField(_("最近接触日期"), null=True, blank=True, editable=False)
    notes = models.TextField(_("备注"), blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.SET_NULL, null=True, blank=True, related_name="source_targets",
        verbose_name=_("转化后的企业"),
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.SET_NULL, null=True, blank=True, related_name="source_targets",
        verbose_name=_("转化后的项目"),
    )
    converted_on = models.DateField(_("转化日期"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_from", verbose_name=_("合并至")
    )
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["zone", "name"]
        verbose_name = _("目标企业")
        verbose_name_plural = _("目标企业")
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "uscc"],
                condition=~models.Q(uscc="") & models.Q(merged_into__isnull=True),
                name="target_unique_uscc_in_zone",
            )
        ]
        indexes = [
            models.Index(fields=["zone", "status"], name="target_zone_status"),
            models.Index(fields=["zone", "name_key"], name="target_zone_name_key"),
        ]

    def __str__(self) -> str:
        return self.name


class TargetFollowUp(TimeStampedModel):
    """A dated approach to a target: call, visit, negotiation …"""

    target = models.ForeignKey(TargetCompany, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("目标企业"))
    date = models.DateField(_("日期"))
    kind = models.CharField(_("方式"), max_length=12, choices=FollowUpKind.choices, default=FollowUpKind.VISIT)
    summary = models.TextField(_("情况摘要"))
    next_step = models.CharField(_("下步计划"), max_length=200, blank=True)
    next_date = models.DateField(_("下步日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("记录人")
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("目标企业跟进记录")
        verbose_name_plural = _("目标企业跟进记录")
        indexes = [models.Index(fields=["target", "date"], name="targetfollowup_target_date")]

    def __str__(self) -> str:
        return f"{self.target} {self.date} {self.get_kind_display()}"


class TargetEvent(TimeStampedModel):
    """The target's history as rows: status moves, conversion into a project lead, merges."""

    class Kind(models.TextChoices):
        CREATED = "created", _("录入")
        STATUS = "status", _("状态变更")
        CONVERTED = "converted", _("转为项目线索")
        MERGED = "merged", _("合并")

    target = models.ForeignKey(TargetCompany, on_delete=models.CASCADE, related_name="events", verbose_name=_("目标企业"))
    kind = models.CharField(_("事件"), max_length=10, choices=Kind.choices)
    date = models.DateField(_("日期"))
    from_status = models.CharField(_("原状态"), max_length=12, choices=ApproachStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12, choices=ApproachStatus.choices, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("记录人")
    )

    class Meta:
        ordering = ["target", "date", "id"]
        verbose_name = _("目标企业事件")
        verbose_name_plural = _("目标企业事件")

    def __str__(self) -> str:
        return f"{self.target} {self.date} {self.get_kind_display()}"


class TargetRelation(TimeStampedModel):
    """A target and a local enterprise: the target is the `kind` of `enterprise`
    (为多氟多供货 = the target is a supplier of 多氟多)."""

    target = models.ForeignKey(TargetCompany, on_delete=models.CASCADE, related_name="relations", verbose_name=_("目标企业"))
    kind = models.CharField(_("关系"), max_length=10, choices=RelationKind.choices)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="target_relations", verbose_name=_("本地企业")
    )
    notes = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["target", "kind", "enterprise__name"]
        verbose_name = _("目标企业关系")
        verbose_name_plural = _("目标企业关系")
        constraints = [models.UniqueConstraint(fields=["target", "kind", "enterprise"], name="target_relation_unique")]
        indexes = [models.Index(fields=["enterprise", "kind"], name="target_relation_enterprise")]

    def __str__(self) -> str:
        return f"{self.target} 是 {self.enterprise} 的{self.get_kind_display()}"


class TargetingSettings(TimeStampedModel):
    """A zone's targeting settings: the regions it prioritises (京津冀, 长三角, 粤港澳 by default)."""

    zone = models.OneToOneField(Zone, on_delete=models.CASCADE, related_name="targeting_settings", verbose_name=_("园区"))
    priority_regions = models.JSONField(_("重点招商地区"), default=list, blank=True)

    class Meta:
        verbose_name = _("精准招商设置")
        verbose_name_plural = _("精准招商设置")

    def __str__(self) -> str:
        return f"{self.zone} · {self._meta.verbose_name}"
