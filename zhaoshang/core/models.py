from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class ZoneQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The zones the user belongs to (every zone for a superuser)."""
        from zhaoshang.core import access

        if access.is_superuser(user):
            return self
        return self.filter(pk__in=access.zone_ids(user))


class Zone(TimeStampedModel):
    """A development zone (园区/开发区): the tenant every record belongs to."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    province = models.CharField(
        _("所在省份"), max_length=20, blank=True, help_text=_("用于判定项目来源地是否“省内”")
    )
    city = models.CharField(_("所在城市"), max_length=20, blank=True)
    major_project_threshold = models.DecimalField(
        _("亿元以上项目门槛（万元）"), max_digits=16, decimal_places=2, default=Decimal("10000")
    )
    units_see_other_units = models.BooleanField(
        _("专班可见其他单位项目（仅名称、阶段、单位）"), default=False
    )

    objects = ZoneQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("园区")
        verbose_name_plural = _("园区")

    def __str__(self) -> str:
        return self.name


class ZoneScopedQuerySet(models.QuerySet):
    def in_zone(self, zone):
        return self.filter(zone=zone)


class ZoneMemberQuerySet(ZoneScopedQuerySet):
    def visible_to(self, user):
        """Rows any member of the zone may read (units, parks, people)."""
        from zhaoshang.core import access

        if access.is_superuser(user):
            return self
        return self.filter(zone_id__in=access.zone_ids(user))


class OrgUnit(TimeStampedModel):
    class Kind(models.TextChoices):
        TASK_FORCE = "task_force", _("招商专班")
        SOE = "soe", _("区属国企")
        DEPARTMENT = "department", _("职能部门")
        PARK_OPERATOR = "park_operator", _("园区运营单位")
        SERVICE_COMPANY = "service_company", _("专业公司")
        BUREAU = "bureau", _("投资促进局")

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="units", verbose_name=_("园区"))
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = ZoneMemberQuerySet.as_manager()

    class Meta:
        ordering = ["zone", "kind", "sort_order", "name"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="orgunit_unique_name_in_zone")]

    def __str__(self) -> str:
        return self.name


class Person(TimeStampedModel):
    """Someone the zone works with: a 包联领导, a unit's staff member; optionally a login."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="people", verbose_name=_("园区"))
    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职务"), max_length=100, blank=True)
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.SET_NULL, null=True, blank=True, related_name="people", verbose_name=_("单位")
    )
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    is_leader = models.BooleanField(_("可任包联领导"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("登录账号"),
    )

    objects = ZoneMemberQuerySet.as_manager()

    class Meta:
        ordering = ["zone", "name"]
        verbose_name = _("人员")
        verbose_name_plural = _("人员")

    def __str__(self) -> str:
        return f"{self.name}（{self.title}）" if self.title else self.name


class Park(TimeStampedModel):
    """载体园区: where a project lands."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="parks", verbose_name=_("园区"))
    name = models.CharField(_("名称"), max_length=100)
    operator = models.ForeignKey(
        OrgUnit, on_delete=models.SET_NULL, null=True, blank=True, related_name="parks", verbose_name=_("运营单位")
    )
    floor_area_m2 = models.DecimalField(_("载体面积（㎡）"), max_digits=12, decimal_places=2, null=True, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)

    objects = ZoneMemberQuerySet.as_manager()

    class Meta:
        ordering = ["zone", "name"]
        verbose_name = _("载体园区")
        verbose_name_plural = _("载体园区")
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="park_unique_name_in_zone")]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("系统管理员")
    LEADERSHIP = "leadership", _("管委会领导")
    BUREAU = "bureau", _("投资促进局")
    UNIT = "unit", _("专班/国企成员")
    DEPARTMENT = "department", _("职能部门")
    PARK = "park", _("园区")
    OBSERVER = "observer", _("上级观察员")


# Roles that see every project of their zone in full.
ZONE_WIDE_ROLES = {Role.ADMIN, Role.LEADERSHIP, Role.BUREAU}


class Membership(TimeStampedModel):
    """A user's role in one zone; unit, department and park roles name their unit or park."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("用户")
    )
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("园区"))
    role = models.CharField(_("角色"), max_length=12, choices=Role.choices)
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships", verbose_name=_("所属单位")
    )
    park = models.ForeignKey(
        Park, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships", verbose_name=_("所属园区")
    )

    class Meta:
        ordering = ["user", "zone"]
        verbose_name = _("园区角色")
        verbose_name_plural = _("园区角色")
        constraints = [models.UniqueConstraint(fields=["user", "zone"], name="membership_one_role_per_zone")]

    def __str__(self) -> str:
        return f"{self.user} · {self.zone} · {self.get_role_display()}"


class ChangeRecordQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The audit trail a user may read: everything for a superuser, their zones' records
        for administrators and the bureau (records without a zone, such as account changes,
        only for superusers)."""
        from zhaoshang.core import access

        if access.is_superuser(user):
            return self
        zones = access.zone_ids(user, {Role.ADMIN, Role.BUREAU})
        return self.filter(zone_id__in=zones) if zones else self.none()

    def for_object(self, obj):
        from django.contrib.contenttypes.models import ContentType

        kind = ContentType.objects.get_for_model(obj)
        key = str(obj.pk)
        return self.filter(
            models.Q(content_type=kind, object_id=key) | models.Q(parent_type=kind, parent_id=key)
        )


class ChangeRecord(models.Model):
    """One entry of the change log: a create, update or delete of a tracked model (with the
    values before and after), or an export or import of data (with its filter and row count).
    Written by zhaoshang.core.changelog, never edited."""

    class Action(models.TextChoices):
        CREATE = "create", _("新建")
        UPDATE = "update", _("修改")
        DELETE = "delete", _("删除")
        EXPORT = "export", _("导出")
        IMPORT = "import", _("导入")

    timestamp = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("操作人")
    )
    username = models.CharField(_("操作人账号"), max_length=150, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=32, blank=True, db_index=True)
    zone = models.ForeignKey(
        Zone, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("园区")
    )
    action = models.CharField(_("操作"), max_length=8, choices=Action.choices)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("数据类型")
    )
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    parent_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("所属数据类型")
    )
    parent_id = models.CharField(_("所属对象编号"), max_length=64, blank=True)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    filters = models.JSONField(_("筛选条件"), null=True, blank=True)
    row_count = models.PositiveIntegerField(_("行数"), null=True, blank=True)

    objects = ChangeRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-timestamp", "-id"]
        verbose_name = _("变更记录")
        verbose_name_plural = _("变更记录")
        indexes = [
            models.Index(fields=["content_type", "object_id", "timestamp"], name="changerecord_object"),
            models.Index(fields=["parent_type", "parent_id", "timestamp"], name="changerecord_parent"),
            models.Index(fields=["zone", "timestamp"], name="changerecord_zone_time"),
            models.Index(fields=["user", "timestamp"], name="changerecord_user_time"),
        ]

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.username or '系统'} {self.get_action_display()} {self.object_repr}"


class WorkerBeat(models.Model):
    """A task worker's heartbeat: a worker that stops beating has died, and the jobs it had
    claimed are retried or failed by zhaoshang.core.queue.recover_lost_jobs."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.worker_id}@{self.host}:{self.pid}"


class PeriodicRun(models.Model):
    """One row per periodic job per period: the unique pair is the claim that lets only one
    of several schedulers enqueue the job for that period."""

    name = models.CharField(max_length=100)
    period = models.CharField(max_length=32)
    task_id = models.CharField(max_length=64, blank=True)
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-enqueued_at"]
        constraints = [models.UniqueConstraint(fields=["name", "period"], name="periodic_run_once_per_period")]

    def __str__(self) -> str:
        return f"{self.name} {self.period}"


class Sequence(models.Model):
    """The last number handed out for one kind of code in one zone and year
    (zhaoshang.core.numbering)."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["zone", "kind", "year"]
        constraints = [models.UniqueConstraint(fields=["zone", "kind", "year"], name="sequence_one_per_zone_kind_year")]

    def __str__(self) -> str:
        return f"{self.zone_id}/{self.kind}/{self.year}: {self.last}"
