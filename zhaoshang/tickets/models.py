"""入企服务 tickets: a problem a project or enterprise raises, sent to the department that
can solve it, timed in working days and followed until the enterprise says it is solved.

The ticket row holds the current state (for lists and the overdue query); every step is a
`TicketEvent` row carrying the state after it, so the history — and any figure as of a
past date — is a query over events. All writes go through `tickets/actions.py`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.models import OrgUnit, TimeStampedModel, Zone, ZoneMemberQuerySet
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.projects.models import FollowUp, Project

DEFAULT_CATEGORIES = ["用地", "水电热气", "税务", "行政审批", "金融", "用工", "政策", "其他"]


class Status(models.TextChoices):
    REGISTERED = "registered", _("待分派")
    ASSIGNED = "assigned", _("待受理")
    IN_PROGRESS = "in_progress", _("办理中")
    RETURNED = "returned", _("已退回")
    RESOLVED = "resolved", _("已办结")
    RATED = "rated", _("已评价")


OPEN_STATUSES = (Status.REGISTERED, Status.ASSIGNED, Status.IN_PROGRESS, Status.RETURNED)
CLOSED_STATUSES = (Status.RESOLVED, Status.RATED)


class Severity(models.TextChoices):
    ORDINARY = "ordinary", _("一般")
    MAJOR = "major", _("重大")


class Channel(models.TextChoices):
    VISIT = "visit", _("走访")
    PHONE = "phone", _("电话")
    HOTLINE = "hotline", _("12345")
    ONLINE = "online", _("线上")
    DISPATCH = "dispatch", _("调度会")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


SATISFIED_RATINGS = (Rating.SATISFIED, Rating.BASICALLY)


class Step(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", _("受理")
    SOLVE = "solve", _("办结")


# Working days allowed per step and severity unless the zone sets its own (TimeLimit).
DEFAULT_TIME_LIMITS = {
    (Step.ACKNOWLEDGE, Severity.ORDINARY): 1,
    (Step.ACKNOWLEDGE, Severity.MAJOR): 1,
    (Step.SOLVE, Severity.ORDINARY): 7,
    (Step.SOLVE, Severity.MAJOR): 30,
}


class TicketCategory(TimeStampedModel):
    """诉求类别, configurable per zone (seeded with DEFAULT_CATEGORIES)."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="ticket_categories", verbose_name=_("园区"))
    name = models.CharField(_("名称"), max_length=30)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = ZoneMemberQuerySet.as_manager()

    class Meta:
        ordering = ["zone", "sort_order", "name"]
        verbose_name = _("诉求类别")
        verbose_name_plural = _("诉求类别")
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="ticketcategory_unique_name_in_zone")]

    def __str__(self) -> str:
        return self.name


class TimeLimit(TimeStampedModel):
    """办理时限: working days allowed for a step of a ticket of a severity, in one zone."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="ticket_time_limits", verbose_name=_("园区"))
    step = models.CharField(_("环节"), max_length=12, choices=Step.choices)
    severity = models.CharField(_("紧急程度"), max_length=10, choices=Severity.choices)
    working_days = models.PositiveSmallIntegerField(_("时限（工作日）"))

    class Meta:
        ordering = ["zone", "step", "severity"]
        verbose_name = _("办理时限")
        verbose_name_plural = _("办理时限")
        constraints = [
            models.UniqueConstraint(fields=["zone", "step", "severity"], name="timelimit_unique_step_severity"),
            models.CheckConstraint(condition=Q(working_days__gte=1), name="timelimit_at_least_one_day"),
        ]

    def __str__(self) -> str:
        return f"{self.zone} {self.get_step_display()}·{self.get_severity_display()} {self.working_days}"


class WorkCalendarDay(TimeStampedModel):
    """A zone's override of the official calendar: a holiday, or a makeup working day (调休),
    for years the holiday library does not cover or local arrangements."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="work_calendar_days", verbose_name=_("园区"))
    date = models.DateField(_("日期"))
    is_working_day = models.BooleanField(_("工作日"))
    note = models.CharField(_("说明"), max_length=50, blank=True)

    class Meta:
        ordering = ["zone", "date"]
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")
        constraints = [models.UniqueConstraint(fields=["zone", "date"], name="workcalendarday_unique_date")]

    def __str__(self) -> str:
        kind = _("工作日") if self.is_working_day else _("休息日")
        return f"{self.date} {kind} {self.note}".strip()


class TicketQuerySet(models.QuerySet):
    def in_zone(self, zone):
        return self.filter(zone=zone)

    def visible_to(self, user):
        """Zone-wide roles see their zone's tickets; a department sees tickets it leads or
        co-handles; a unit member those of its projects; a park user those of projects
        landing in its park; anyone the tickets they raised. Observers read figures only."""
        from zhaoshang.core import access
        from zhaoshang.core.models import Role

        if access.is_superuser(user):
            return self
        if not getattr(user, "is_authenticated", False):
            return self.none()
        condition = Q(raised_by=user)
        zone_wide = access.zone_wide_ids(user)
        if zone_wide:
            condition |= Q(zone_id__in=zone_wide)
        departments = access.unit_ids(user, role=Role.DEPARTMENT)
        if departments:
            co_handled = Ticket.co_departments.through.objects.filter(orgunit_id__in=departments).values("ticket_id")
            condition |= Q(lead_department_id__in=departments) | Q(pk__in=co_handled)
        units = access.unit_ids(user)
        if units:
            condition |= Q(project__responsible_unit_id__in=units)
        parks = access.park_ids(user)
        if parks:
            condition |= Q(project__park_id__in=parks)
        return self.filter(condition)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


def department_projects(user, prefix):
    """The project rule the tickets app adds (projects.models.add_project_rule): a
    department user reads the projects of the tickets it leads or co-handles."""
    from zhaoshang.core import access
    from zhaoshang.core.models import Role

    departments = access.unit_ids(user, role=Role.DEPARTMENT)
    if not departments:
        return None
    co_handled = Ticket.co_departments.through.objects.filter(orgunit_id__in=departments).values("ticket_id")
    tickets = Ticket.objects.filter(Q(lead_department_id__in=departments) | Q(pk__in=co_handled))
    return Q(**{prefix + "pk__in": tickets.filter(project__isnull=False).values("project_id")})


class Ticket(TimeStampedModel):
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("园区"))
    code = models.CharField(_("诉求编号"), max_length=40)
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, null=True, blank=True, related_name="tickets", verbose_name=_("项目")
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, null=True, blank=True, related_name="tickets", verbose_name=_("企业")
    )
    follow_up = models.ForeignKey(
        FollowUp, on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets", verbose_name=_("来源跟进记录")
    )
    category = models.ForeignKey(TicketCategory, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("类别"))
    title = models.CharField(_("诉求标题"), max_length=200)
    description = models.TextField(_("诉求内容"), blank=True)
    channel = models.CharField(_("来源渠道"), max_length=10, choices=Channel.choices, default=Channel.VISIT)
    severity = models.CharField(_("紧急程度"), max_length=10, choices=Severity.choices, default=Severity.ORDINARY)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("登记人")
    )
    raised_on = models.DateField(_("提出日期"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.REGISTERED)
    lead_department = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="led_tickets",
        verbose_name=_("牵头部门"), limit_choices_to={"kind": OrgUnit.Kind.DEPARTMENT},
    )
    co_departments = models.ManyToManyField(
        OrgUnit, blank=True, related_name="co_handled_tickets", verbose_name=_("协办部门"),
        limit_choices_to={"kind": OrgUnit.Kind.DEPARTMENT},
    )
    assigned_on = models.DateField(_("分派日期"), null=True, blank=True)
    ack_due = models.DateField(_("受理时限"), null=True, blank=True)
    acknowledged_on = models.DateField(_("受理日期"), null=True, blank=True)
    solve_due = models.DateField(_("办结时限"), null=True, blank=True)
    resolved_on = models.DateField(_("办结日期"), null=True, blank=True)
    resolution = models.TextField(_("办理结果"), blank=True)
    rating = models.CharField(_("评价"), max_length=12, choices=Rating.choices, blank=True)
    rated_on = models.DateField(_("评价日期"), null=True, blank=True)
    # Set when the overdue notice of the current deadline went out; cleared by a new deadline.
    ack_overdue_notified = models.BooleanField(default=False, editable=False)
    solve_overdue_notified = models.BooleanField(default=False, editable=False)

    objects = TicketQuerySet.as_manager()

    class Meta:
        ordering = ["zone", "-raised_on", "-id"]
        verbose_name = _("服务诉求")
        verbose_name_plural = _("服务诉求")
        constraints = [models.UniqueConstraint(fields=["zone", "code"], name="ticket_unique_code_in_zone")]
        indexes = [
            models.Index(fields=["zone", "status"], name="ticket_zone_status"),
            models.Index(fields=["lead_department", "status"], name="ticket_lead_status"),
            models.Index(fields=["status", "solve_due"], name="ticket_status_solve_due"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("tickets:detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    def current_due(self):
        """(step, deadline) the ticket is being timed against now, or None."""
        if self.status == Status.ASSIGNED:
            return (Step.ACKNOWLEDGE, self.ack_due)
        if self.status == Status.IN_PROGRESS:
            return (Step.SOLVE, self.solve_due)
        return None

    def overdue_steps(self, today) -> list[str]:
        """The steps whose deadline has passed without them being done (the rule of
        selectors.overdue_condition, on this ticket)."""
        steps = []
        if self.status == Status.ASSIGNED and self.ack_due and self.ack_due < today:
            steps.append(Step.ACKNOWLEDGE)
        if self.status in (Status.ASSIGNED, Status.IN_PROGRESS) and self.solve_due and self.solve_due < today:
            steps.append(Step.SOLVE)
        return steps


class EventKind(models.TextChoices):
    REGISTER = "register", _("登记")
    ASSIGN = "assign", _("分派")
    ACKNOWLEDGE = "acknowledge", _("受理")
    RETURN = "return", _("退回")
    REASSIGN = "reassign", _("重新分派")
    NOTE = "note", _("办理意见")
    RESOLVE = "resolve", _("办结")
    RATE = "rate", _("评价")
    VISIT = "visit", _("回访")
    REOPEN = "reopen", _("重新打开")
    OVERDUE = "overdue", _("逾期提醒")
    ATTACH = "attach", _("上传附件")


ASSIGNING_KINDS = (EventKind.ASSIGN, EventKind.REASSIGN)


class TicketEvent(TimeStampedModel):
    """One step in a ticket's life, with the state it left the ticket in."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events", verbose_name=_("诉求"))
    kind = models.CharField(_("环节"), max_length=12, choices=EventKind.choices)
    at = models.DateTimeField(_("时间"))
    date = models.DateField(_("日期"), help_text=_("园区当地日期，用于时限与统计"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("办理人")
    )
    department = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("牵头部门")
    )
    status_after = models.CharField(_("办理后状态"), max_length=12, choices=Status.choices)
    note = models.TextField(_("说明"), blank=True)
    rating = models.CharField(_("评价"), max_length=12, choices=Rating.choices, blank=True)
    ack_due = models.DateField(_("受理时限"), null=True, blank=True)
    solve_due = models.DateField(_("办结时限"), null=True, blank=True)
    on_time = models.BooleanField(_("按期"), null=True, blank=True)
    working_days = models.PositiveIntegerField(_("用时（工作日）"), null=True, blank=True)

    class Meta:
        ordering = ["ticket", "at", "id"]
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        indexes = [
            models.Index(fields=["ticket", "at"], name="ticketevent_ticket_at"),
            models.Index(fields=["kind", "department", "date"], name="ticketevent_kind_dept_date"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket.code} {self.get_kind_display()} {self.date}"


class TicketAttachment(TimeStampedModel):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("诉求"))
    file = models.FileField(_("文件"), upload_to="tickets/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("上传人")
    )

    class Meta:
        ordering = ["ticket", "created_at", "id"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.name


class Notification(TimeStampedModel):
    """A message for the bell in the page header (and, when the user has an address, e-mail)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("用户")
    )
    text = models.CharField(_("内容"), max_length=300)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications", verbose_name=_("诉求")
    )
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_read")]

    def __str__(self) -> str:
        return self.text
