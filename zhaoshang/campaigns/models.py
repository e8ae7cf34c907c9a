"""招商活动: trips (外出招商), events (推介会, 展会, 签约仪式, 客商接待), introducers
(引荐人/信息员) with their rewards, where each project came from, and the group robots
(企业微信, 钉钉) the platform's notifications can be sent to."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.fields import EncryptedCharField
from zhaoshang.core.models import OrgUnit, Person, TimeStampedModel, Zone, ZoneScopedQuerySet
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.projects.models import FollowUp, Project
from zhaoshang.projects.regions import SourceRegion

AMOUNT = {"max_digits": 16, "decimal_places": 2}


class ZoneWorkQuerySet(ZoneScopedQuerySet):
    def visible_to(self, user):
        """Trips, events and introducers are the zone's shared work: every member of the
        zone except an observer (who reads figures only) may read them."""
        from zhaoshang.core import access
        from zhaoshang.core.models import Role

        if access.is_superuser(user):
            return self
        return self.filter(zone_id__in=access.zone_ids(user, [role for role in Role if role != Role.OBSERVER]))


class TripQuerySet(ZoneScopedQuerySet):
    def visible_to(self, user):
        """Every trip of the zone for administrators, leadership and the bureau; a unit
        member their own unit's trips (a trip names the companies and leads of its unit)."""
        from django.db.models import Q

        from zhaoshang.core import access

        if access.is_superuser(user):
            return self
        return self.filter(Q(zone_id__in=access.zone_wide_ids(user)) | Q(unit_id__in=access.unit_ids(user)))


class Trip(TimeStampedModel):
    """外出招商: a team's journey to meet companies elsewhere."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划")
        APPROVED = "approved", _("已批准")
        DONE = "done", _("已完成")
        REPORTED = "reported", _("已上报")

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="trips", verbose_name=_("园区"))
    title = models.CharField(_("出访名称"), max_length=120)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="trips", verbose_name=_("组织单位"))
    start_on = models.DateField(_("出发日期"))
    end_on = models.DateField(_("返回日期"))
    region = models.CharField(_("目的地区域"), max_length=5, choices=SourceRegion.choices)
    province = models.CharField(_("目的地省份"), max_length=20, blank=True)
    city = models.CharField(_("目的地城市"), max_length=30)
    purpose = models.TextField(_("出访目的"))
    team = models.ManyToManyField(Person, blank=True, related_name="trips", verbose_name=_("出访人员"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("批准人")
    )
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    summary = models.TextField(_("出访总结"), blank=True)
    reported_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("填报人")
    )

    objects = TripQuerySet.as_manager()

    class Meta:
        ordering = ["zone", "-start_on", "-id"]
        verbose_name = _("外出招商")
        verbose_name_plural = _("外出招商")
        constraints = [models.CheckConstraint(condition=models.Q(end_on__gte=models.F("start_on")), name="trip_ends_after_start")]

    def __str__(self) -> str:
        return self.title


class TripVisit(TimeStampedModel):
    """One company visited on a trip, whom they met and what came of it."""

    class Outcome(models.TextChoices):
        NONE = "none", _("暂无")
        TARGET = "target", _("跟进目标企业")
        FOLLOW_UP = "follow_up", _("跟进已有项目")
        LEAD = "lead", _("形成新线索")

    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="visits", verbose_name=_("外出招商"))
    date = models.DateField(_("拜访日期"))
    company_name = models.CharField(_("拜访企业"), max_length=200)
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.SET_NULL, null=True, blank=True, related_name="trip_visits", verbose_name=_("企业")
    )
    met_with = models.CharField(_("会见人员"), max_length=200, blank=True)
    discussion = models.TextField(_("洽谈内容"))
    outcome = models.CharField(_("成果"), max_length=10, choices=Outcome.choices, default=Outcome.NONE)
    project = models.ForeignKey(
        Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="trip_visits", verbose_name=_("项目")
    )
    follow_up = models.OneToOneField(
        FollowUp, on_delete=models.SET_NULL, null=True, blank=True, related_name="trip_visit", verbose_name=_("跟进记录")
    )
    target = models.ForeignKey(
        "industry.TargetCompany", on_delete=models.SET_NULL, null=True, blank=True, related_name="trip_visits",
        verbose_name=_("目标企业"),
    )

    class Meta:
        ordering = ["trip", "date", "id"]
        verbose_name = _("拜访企业")
        verbose_name_plural = _("拜访企业")

    def __str__(self) -> str:
        return f"{self.trip} · {self.company_name}"


class Event(TimeStampedModel):
    """招商活动: a promotion, a fair, a signing ceremony or a delegation received."""

    class Kind(models.TextChoices):
        PROMOTION = "promotion", _("推介会")
        EXPO = "expo", _("展会")
        CEREMONY = "ceremony", _("签约仪式")
        RECEPTION = "reception", _("客商接待")

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="events", verbose_name=_("园区"))
    kind = models.CharField(_("活动类型"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("活动名称"), max_length=120)
    date = models.DateField(_("活动日期"))
    place = models.CharField(_("地点"), max_length=120)
    organiser = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="events", verbose_name=_("主办单位")
    )
    attendees = models.TextField(_("出席人员"), blank=True)
    guests = models.TextField(_("来访客商"), blank=True, help_text=_("客商接待：来访企业与人员"))
    notes = models.TextField(_("备注"), blank=True)
    projects = models.ManyToManyField(
        Project, through="EventProject", blank=True, related_name="events", verbose_name=_("签约项目")
    )

    objects = ZoneWorkQuerySet.as_manager()

    class Meta:
        ordering = ["zone", "-date", "-id"]
        verbose_name = _("招商活动")
        verbose_name_plural = _("招商活动")

    def __str__(self) -> str:
        return self.title


class EventProject(TimeStampedModel):
    """A project signed at an event (the list a signing ceremony's press release prints)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="signings", verbose_name=_("活动"))
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="event_signings", verbose_name=_("项目"))
    order = models.PositiveIntegerField(_("序号"), default=0)

    class Meta:
        ordering = ["event", "order", "id"]
        verbose_name = _("活动签约项目")
        verbose_name_plural = _("活动签约项目")
        constraints = [models.UniqueConstraint(fields=["event", "project"], name="eventproject_unique")]

    def __str__(self) -> str:
        return f"{self.event} · {self.project}"


class Introducer(TimeStampedModel):
    """引荐人/信息员: someone who brought a project to the zone and may be owed a reward."""

    class Kind(models.TextChoices):
        INFORMANT = "informant", _("信息员")
        INTRODUCER = "introducer", _("引荐人")

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="introducers", verbose_name=_("园区"))
    name = models.CharField(_("姓名/名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices, default=Kind.INTRODUCER)
    organisation = models.CharField(_("所在单位"), max_length=200, blank=True)
    phone = EncryptedCharField(_("联系电话"), max_length=30, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    is_active = models.BooleanField(_("有效"), default=True)

    objects = ZoneWorkQuerySet.as_manager()

    class Meta:
        ordering = ["zone", "name"]
        verbose_name = _("引荐人")
        verbose_name_plural = _("引荐人")
        constraints = [models.UniqueConstraint(fields=["zone", "name", "organisation"], name="introducer_unique_in_zone")]

    def __str__(self) -> str:
        return self.name


class RewardRule(TimeStampedModel):
    """A zone's introducer reward policy, kept as data: marginal tiers (‰) over the
    project's fixed-asset investment in place, a cap, and conditions."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="reward_rules", verbose_name=_("园区"))
    name = models.CharField(_("政策名称"), max_length=120)
    cap = models.DecimalField(_("单个项目奖励上限（万元）"), **AMOUNT, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))])
    start_within_days = models.PositiveIntegerField(
        _("签约后须开工的天数"), null=True, blank=True, help_text=_("如“签约后一年内开工”填 365；留空为不要求")
    )
    fixed_asset_only = models.BooleanField(_("仅限固定资产投资类项目"), default=True)
    is_active = models.BooleanField(_("有效"), default=True)

    objects = ZoneWorkQuerySet.as_manager()

    class Meta:
        ordering = ["zone", "name"]
        verbose_name = _("引荐奖励政策")
        verbose_name_plural = _("引荐奖励政策")

    def __str__(self) -> str:
        return self.name


class RewardTier(models.Model):
    """One band of a rule: the part of the investment in place up to `upto` 万元 (no upper
    bound when empty) earns `permille` ‰."""

    rule = models.ForeignKey(RewardRule, on_delete=models.CASCADE, related_name="tiers", verbose_name=_("政策"))
    upto = models.DecimalField(_("档位上限（万元）"), **AMOUNT, null=True, blank=True)
    permille = models.DecimalField(_("奖励比例（‰）"), max_digits=6, decimal_places=3, validators=[MinValueValidator(Decimal("0"))])

    class Meta:
        ordering = ["rule", models.F("upto").asc(nulls_last=True)]
        verbose_name = _("奖励档位")
        verbose_name_plural = _("奖励档位")

    def __str__(self) -> str:
        return f"{self.rule} ≤{self.upto or '∞'}: {self.permille}‰"


class RewardPayment(TimeStampedModel):
    """A reward paid to an introducer for a project."""

    introducer = models.ForeignKey(Introducer, on_delete=models.PROTECT, related_name="payments", verbose_name=_("引荐人"))
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="reward_payments", verbose_name=_("项目"))
    rule = models.ForeignKey(RewardRule, on_delete=models.PROTECT, null=True, blank=True, related_name="payments", verbose_name=_("政策"))
    amount = models.DecimalField(_("金额（万元）"), **AMOUNT, validators=[MinValueValidator(Decimal("0.01"))])
    paid_on = models.DateField(_("支付日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("记录人")
    )

    class Meta:
        ordering = ["introducer", "-paid_on", "-id"]
        verbose_name = _("奖励支付")
        verbose_name_plural = _("奖励支付")
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="rewardpayment_amount_positive")]

    def __str__(self) -> str:
        return f"{self.introducer} {self.project} {self.amount}万元"


class Source(models.TextChoices):
    """Where a lead or project came from."""

    TRIP = "trip", _("外出招商")
    EVENT = "event", _("招商活动")
    INTRODUCER = "introducer", _("引荐人")
    RECOMMENDATION = "recommendation", _("目标库推荐")
    ENTERPRISE = "enterprise", _("以商招商")
    WALK_IN = "walk_in", _("自主上门")
    OTHER = "other", _("其他")


# The reference each kind of source needs.
SOURCE_REFERENCE = {
    Source.TRIP: "trip",
    Source.EVENT: "event",
    Source.INTRODUCER: "introducer",
    Source.RECOMMENDATION: "target",
    Source.ENTERPRISE: "referrer",
}


class ProjectSource(TimeStampedModel):
    """Where one project came from; at most one source a project."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="source", verbose_name=_("项目"))
    kind = models.CharField(_("来源"), max_length=15, choices=Source.choices)
    trip = models.ForeignKey(Trip, on_delete=models.PROTECT, null=True, blank=True, related_name="sourced", verbose_name=_("外出招商"))
    event = models.ForeignKey(Event, on_delete=models.PROTECT, null=True, blank=True, related_name="sourced", verbose_name=_("招商活动"))
    introducer = models.ForeignKey(
        Introducer, on_delete=models.PROTECT, null=True, blank=True, related_name="sourced", verbose_name=_("引荐人")
    )
    target = models.ForeignKey(
        "industry.TargetCompany", on_delete=models.SET_NULL, null=True, blank=True, related_name="sourced", verbose_name=_("目标企业")
    )
    referrer = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, null=True, blank=True, related_name="referred", verbose_name=_("推荐企业")
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["project"]
        verbose_name = _("项目来源")
        verbose_name_plural = _("项目来源")
        indexes = [models.Index(fields=["kind"], name="projectsource_kind")]

    def __str__(self) -> str:
        return f"{self.project}: {self.get_kind_display()}"


class WebhookChannel(TimeStampedModel):
    """A group robot (企业微信 or 钉钉) that receives the zone's notifications."""

    class Service(models.TextChoices):
        WECOM = "wecom", _("企业微信群机器人")
        DINGTALK = "dingtalk", _("钉钉群机器人")

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="webhooks", verbose_name=_("园区"))
    name = models.CharField(_("名称"), max_length=60)
    service = models.CharField(_("服务"), max_length=10, choices=Service.choices)
    url = models.URLField(_("Webhook 地址"), max_length=500)
    secret = models.CharField(_("加签密钥"), max_length=200, blank=True, help_text=_("钉钉“加签”安全设置的密钥（SEC 开头）"))
    events = models.JSONField(_("推送的消息"), default=list, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["zone", "name"]
        verbose_name = _("消息推送机器人")
        verbose_name_plural = _("消息推送机器人")

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    """One notification sent (or being retried) to one channel: the delivery log."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已送达")
        FAILED = "failed", _("失败")

    channel = models.ForeignKey(WebhookChannel, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("机器人"))
    event = models.CharField(_("消息类型"), max_length=30)
    text = models.TextField(_("内容"))
    key = models.CharField(_("去重键"), max_length=120, blank=True, help_text=_("同一键的消息每个机器人只发一次"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(_("下次重试"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("送达时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("推送记录")
        verbose_name_plural = _("推送记录")
        constraints = [
            models.UniqueConstraint(fields=["channel", "key"], condition=~models.Q(key=""), name="webhookdelivery_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.event} {self.get_status_display()}"
