"""Every write to tickets goes through here, and the flow lives here and nowhere else.

登记 (registered, 待分派) → 分派 (assigned, 待受理) → 受理 (in progress, 办理中) → 办结
(resolved, 已办结) → 评价 (rated, 已评价).

Who may do what, in which state:
- 登记: the bureau and leadership; a unit member for its unit's projects; a park user for
  projects landing in its park. The bureau may name the lead department at once (分派).
- 分派 / 重新分派: the bureau and leadership — a registered ticket, or one that is returned,
  waiting or in progress (to move it to another department). Both clocks start again.
- 受理, 退回 (with a reason), 办结 (with the result): users of the lead department; 受理 a
  ticket waiting for it; 退回 a ticket waiting or in progress; 办结 one in progress.
- 评价 (the enterprise's 满意 / 基本满意 / 不满意, recorded by the bureau or leadership): a
  resolved ticket. 不满意 needs a reason and reopens it (重新打开): back in progress with
  the same department and a new time limit to solve.
- 回访 (a return visit): the bureau, leadership or the project's unit, on a closed ticket.
- 重新打开: the bureau or leadership, on a closed ticket, with a reason.
- 办理意见 (a note): the bureau, leadership, the lead or a co-handling department.
Time limits are in working days (workdays.py), per zone, step and severity.
"""

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.campaigns import notifications as robots
from zhaoshang.core import access, numbering
from zhaoshang.core.changelog import record_bulk
from zhaoshang.core.models import Membership, OrgUnit, Role, Zone
from zhaoshang.tickets import workdays
from zhaoshang.tickets.models import (
    CLOSED_STATUSES,
    DEFAULT_CATEGORIES,
    DEFAULT_TIME_LIMITS,
    Channel,
    EventKind,
    Notification,
    Rating,
    Severity,
    Status,
    Step,
    Ticket,
    TicketAttachment,
    TicketCategory,
    TicketEvent,
    TimeLimit,
    WorkCalendarDay,
)


MANAGER_ROLES = (Role.ADMIN, Role.LEADERSHIP, Role.BUREAU)
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


# ---------------------------------------------------------------- zone settings


def ensure_categories(zone: Zone) -> None:
    """Give a zone the default categories if it has none."""
    if TicketCategory.objects.filter(zone=zone).exists():
        return
    record_bulk(TicketCategory, TicketCategory.objects.bulk_create(
        [TicketCategory(zone=zone, name=name, sort_order=index) for index, name in enumerate(DEFAULT_CATEGORIES, 1)]
    ), "create", zone=zone)


def seed_zone_on_create(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        ensure_categories(instance)


def create_category(*, zone: Zone, name: str, actor=None) -> TicketCategory:
    _require_manager(actor, zone, _("设置诉求类别"))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("类别名称不能为空")})
    if TicketCategory.objects.filter(zone=zone, name=name).exists():
        raise ValidationError({"name": _("类别“%(name)s”已存在") % {"name": name}})
    last = TicketCategory.objects.filter(zone=zone).order_by("-sort_order").values_list("sort_order", flat=True).first()
    return TicketCategory.objects.create(zone=zone, name=name, sort_order=(last or 0) + 1)


def set_category_active(category: TicketCategory, *, active: bool, actor=None) -> TicketCategory:
    _require_manager(actor, category.zone, _("设置诉求类别"))
    category.is_active = active
    category.save(update_fields=["is_active", "updated_at"])
    return category


def time_limits(zone: Zone) -> dict[tuple[str, str], int]:
    limits = {(Step(step), Severity(severity)): days for (step, severity), days in DEFAULT_TIME_LIMITS.items()}
    for row in TimeLimit.objects.filter(zone=zone):
        limits[(Step(row.step), Severity(row.severity))] = row.working_days
    return limits


def time_limit(zone: Zone, step: str, severity: str) -> int:
    return time_limits(zone)[(Step(step), Severity(severity))]


def set_time_limit(*, zone: Zone, step: str, severity: str, working_days, actor=None) -> TimeLimit:
    _require_manager(actor, zone, _("设置办理时限"))
    if step not in Step.values:
        raise ValidationError({"step": _("环节“%(value)s”无效") % {"value": step}})
    if severity not in Severity.values:
        raise ValidationError({"severity": _("紧急程度“%(value)s”无效") % {"value": severity}})
    try:
        days = int(working_days)
    except (TypeError, ValueError):
        raise ValidationError({"working_days": _("时限“%(value)s”不是整数") % {"value": working_days}}) from None
    if not 1 <= days <= 365:
        raise ValidationError({"working_days": _("时限应为 1 至 365 个工作日")})
    row, _created = TimeLimit.objects.update_or_create(
        zone=zone, step=step, severity=severity, defaults={"working_days": days}
    )
    return row


def set_calendar_day(*, zone: Zone, date: dt.date, is_working_day: bool, note: str = "", actor=None) -> WorkCalendarDay:
    """Mark a date of the zone as a holiday or a (makeup) working day, overriding the
    official calendar."""
    _require_manager(actor, zone, _("调整工作日历"))
    if not isinstance(date, dt.date):
        raise ValidationError({"date": _("日期无效")})
    row, _created = WorkCalendarDay.objects.update_or_create(
        zone=zone, date=date, defaults={"is_working_day": bool(is_working_day), "note": (note or "").strip()[:50]}
    )
    return row


def delete_calendar_day(row: WorkCalendarDay, *, actor=None) -> None:
    _require_manager(actor, row.zone, _("调整工作日历"))
    row.delete()


# ---------------------------------------------------------------- who may do what


def _role(user, zone_id: int) -> Membership | None:
    for membership in access.memberships(user):
        if membership.zone_id == zone_id:
            return membership
    return None


def is_manager(user, zone) -> bool:
    """The bureau, leadership and admins of the zone (and superusers)."""
    if user is None:
        return False
    if access.is_superuser(user):
        return True
    zone_id = zone.pk if isinstance(zone, Zone) else zone
    membership = _role(user, zone_id)
    return membership is not None and membership.role in MANAGER_ROLES


def _department_of(user, zone_id: int) -> int | None:
    membership = _role(user, zone_id)
    if membership is not None and membership.role == Role.DEPARTMENT:
        return membership.unit_id
    return None


def _require_manager(user, zone, what: str) -> None:
    if not is_manager(user, zone):
        raise PermissionDenied(_("只有投资促进局或管委会领导可以%(what)s") % {"what": what})


def _require_lead_department(user, ticket: Ticket, what: str) -> None:
    department = _department_of(user, ticket.zone_id)
    if department is None or department != ticket.lead_department_id:
        raise PermissionDenied(_("只有牵头部门可以%(what)s") % {"what": what})


def _require_status(ticket: Ticket, statuses: Iterable[str], what: str) -> None:
    if ticket.status not in statuses:
        raise ValidationError(
            _("诉求当前为“%(status)s”，不能%(what)s") % {"status": ticket.get_status_display(), "what": what}
        )


def can_raise(user, zone, project=None) -> bool:
    if is_manager(user, zone):
        return True
    membership = _role(user, zone.pk)
    if membership is None:
        return False
    if membership.role == Role.UNIT:
        return project is None or project.responsible_unit_id == membership.unit_id
    if membership.role == Role.PARK:
        return project is None or project.park_id == membership.park_id
    return False


def _check_assign(user, ticket):
    _require_manager(user, ticket.zone_id, _("分派诉求"))
    _require_status(ticket, (Status.REGISTERED,), _("分派"))


def _check_reassign(user, ticket):
    _require_manager(user, ticket.zone_id, _("重新分派诉求"))
    _require_status(ticket, (Status.ASSIGNED, Status.IN_PROGRESS, Status.RETURNED), _("重新分派"))


def _check_acknowledge(user, ticket):
    _require_lead_department(user, ticket, _("受理诉求"))
    _require_status(ticket, (Status.ASSIGNED,), _("受理"))


def _check_return(user, ticket):
    _require_lead_department(user, ticket, _("退回诉求"))
    _require_status(ticket, (Status.ASSIGNED, Status.IN_PROGRESS), _("退回"))


def _check_resolve(user, ticket):
    _require_lead_department(user, ticket, _("办结诉求"))
    _require_status(ticket, (Status.IN_PROGRESS,), _("办结"))


def _check_rate(user, ticket):
    _require_manager(user, ticket.zone_id, _("录入企业评价"))
    _require_status(ticket, (Status.RESOLVED,), _("评价"))


def _check_visit(user, ticket):
    unit = _role(user, ticket.zone_id)
    project_unit = (
        unit is not None and unit.role == Role.UNIT and ticket.project_id is not None
        and ticket.project.responsible_unit_id == unit.unit_id
    )
    if not (is_manager(user, ticket.zone_id) or project_unit):
        raise PermissionDenied(_("只有投资促进局、管委会领导或项目责任单位可以回访"))
    _require_status(ticket, CLOSED_STATUSES, _("回访"))


def _check_reopen(user, ticket):
    _require_manager(user, ticket.zone_id, _("重新打开诉求"))
    _require_status(ticket, CLOSED_STATUSES, _("重新打开"))


def _check_note(user, ticket):
    department = _department_of(user, ticket.zone_id)
    handling = department is not None and (
        department == ticket.lead_department_id or ticket.co_departments.filter(pk=department).exists()
    )
    if not (is_manager(user, ticket.zone_id) or handling):
        raise PermissionDenied(_("只有投资促进局、管委会领导、牵头或协办部门可以填写办理意见"))


def _check_attach(user, ticket):
    membership = _role(user, ticket.zone_id)
    if not access.is_superuser(user) and (membership is None or membership.role == Role.OBSERVER):
        raise PermissionDenied(_("您不能为该诉求上传附件"))
    if not Ticket.objects.visible_to(user).filter(pk=ticket.pk).exists():
        raise PermissionDenied(_("您不能为该诉求上传附件"))


CHECKS = {
    "assign": _check_assign,
    "reassign": _check_reassign,
    "acknowledge": _check_acknowledge,
    "return": _check_return,
    "resolve": _check_resolve,
    "rate": _check_rate,
    "visit": _check_visit,
    "reopen": _check_reopen,
    "note": _check_note,
    "attach": _check_attach,
}


def available_actions(user, ticket: Ticket) -> set[str]:
    """The actions `user` may take on `ticket` now (the same guards the actions apply)."""
    allowed = set()
    for name, check in CHECKS.items():
        try:
            check(user, ticket)
        except (PermissionDenied, ValidationError):
            continue
        allowed.add(name)
    return allowed


# ---------------------------------------------------------------- notifications


def _users(zone_id: int, roles, units: Iterable[int] | None = None):
    users = get_user_model().objects.filter(
        is_active=True, memberships__zone_id=zone_id, memberships__role__in=list(roles)
    )
    if units is not None:
        users = users.filter(memberships__unit_id__in=list(units))
    return users.distinct()


def _department_users(ticket: Ticket, include_co: bool = True):
    units = [ticket.lead_department_id] if ticket.lead_department_id else []
    if include_co:
        units += list(ticket.co_departments.values_list("pk", flat=True))
    if not units:
        return get_user_model().objects.none()
    return _users(ticket.zone_id, [Role.DEPARTMENT], units)


def notify(users, text: str, ticket: Ticket | None = None, link: str = "", exclude=None) -> list[Notification]:
    """A bell notification for each user, and an e-mail to those with an address (sent once
    the transaction commits, so a rolled-back step mails nobody)."""
    link = link or (ticket.get_absolute_url() if ticket is not None else "")
    recipients = [user for user in users if exclude is None or user.pk != exclude.pk]
    rows = Notification.objects.bulk_create(
        [Notification(user=user, text=text[:300], link=link, ticket=ticket) for user in recipients]
    )
    mails = [
        (_("【招商服务】%(text)s") % {"text": text[:60]}, f"{text}\n\n{link}", settings.DEFAULT_FROM_EMAIL, [user.email])
        for user in recipients
        if user.email
    ]
    if mails:
        from zhaoshang.tickets.tasks import send_mails

        transaction.on_commit(lambda: send_mails.enqueue(mails))
    return rows


def mark_read(user, ids: Iterable[int] | None = None, ticket: Ticket | None = None) -> int:
    """Mark the user's unread notifications read: those with `ids`, those about `ticket`,
    or all of them."""
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    if ticket is not None:
        rows = rows.filter(ticket=ticket)
    return rows.update(read_at=timezone.now())


# ---------------------------------------------------------------- the flow


def _when(at: dt.datetime | None) -> tuple[dt.datetime, dt.date]:
    at = at or timezone.now()
    return at, timezone.localdate(at)


def _lock(ticket: Ticket) -> Ticket:
    """Lock the ticket's row and reload it, so two people acting at once cannot both pass a guard."""
    Ticket.objects.select_for_update().filter(pk=ticket.pk).values_list("pk").first()
    ticket.refresh_from_db()
    return ticket


def _event(ticket: Ticket, kind: str, at: dt.datetime, date: dt.date, actor, **fields) -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket, kind=kind, at=at, date=date, actor=actor if getattr(actor, "pk", None) else None,
        department_id=ticket.lead_department_id, status_after=ticket.status, **fields,
    )


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _category(zone: Zone, category) -> TicketCategory:
    if isinstance(category, TicketCategory):
        if category.zone_id != zone.pk:
            raise ValidationError({"category": _("类别“%(name)s”不属于本园区") % {"name": category}})
        return category
    name = (str(category) if category is not None else "").strip()
    if not name:
        raise ValidationError({"category": _("请选择诉求类别")})
    ensure_categories(zone)
    found = TicketCategory.objects.filter(zone=zone, name=name).first()
    if found is None:
        names = "、".join(TicketCategory.objects.filter(zone=zone, is_active=True).values_list("name", flat=True))
        raise ValidationError({"category": _("诉求类别“%(name)s”不存在（可选：%(names)s）") % {"name": name, "names": names}})
    return found


def _departments(zone_id: int, lead, co_departments) -> tuple[OrgUnit, list[OrgUnit]]:
    if lead is None:
        raise ValidationError({"department": _("请选择牵头部门")})
    for unit, field in [(lead, "department"), *[(unit, "co_departments") for unit in co_departments]]:
        if unit.zone_id != zone_id:
            raise ValidationError({field: _("“%(name)s”不属于本园区") % {"name": unit}})
        if unit.kind != OrgUnit.Kind.DEPARTMENT:
            raise ValidationError({field: _("“%(name)s”不是职能部门") % {"name": unit}})
        if not unit.is_active:
            raise ValidationError({field: _("“%(name)s”已停用") % {"name": unit}})
    return lead, [unit for unit in co_departments if unit.pk != lead.pk]


def next_code(zone: Zone, year: int) -> str:
    return numbering.next_code(zone, "ticket", year, f"SQ{year}-", Ticket)


def raise_ticket(
    *, zone: Zone, category, title: str, actor, project=None, enterprise=None, description: str = "",
    channel: str = Channel.VISIT, severity: str = Severity.ORDINARY, raised_on: dt.date | None = None,
    follow_up=None, department: OrgUnit | None = None, co_departments: Iterable[OrgUnit] = (),
    at: dt.datetime | None = None,
) -> Ticket:
    """登记 a ticket (and, when the bureau names the lead department, 分派 it at once).

    `category` is a TicketCategory or its name; the enterprise defaults to the project's
    investor. Raises ValidationError (bad input) or PermissionDenied (not allowed)."""
    if project is not None and project.zone_id != zone.pk:
        raise ValidationError({"project": _("项目“%(name)s”不属于本园区") % {"name": project}})
    if actor is not None and not can_raise(actor, zone, project):
        raise PermissionDenied(_("您不能为该项目登记诉求"))
    title = _required(title, "title", _("诉求标题不能为空"))[:200]
    category = _category(zone, category)
    if channel not in Channel.values:
        raise ValidationError({"channel": _("来源渠道“%(value)s”无效") % {"value": channel}})
    if severity not in Severity.values:
        raise ValidationError({"severity": _("紧急程度“%(value)s”无效") % {"value": severity}})
    if enterprise is None and project is not None:
        enterprise = project.investor
    if enterprise is not None and enterprise.zone_id != zone.pk:
        raise ValidationError({"enterprise": _("企业“%(name)s”不属于本园区") % {"name": enterprise}})
    if follow_up is not None and (project is None or follow_up.project_id != project.pk):
        raise ValidationError({"follow_up": _("跟进记录不属于该项目")})
    at, today = _when(at)
    raised_on = raised_on or today
    if raised_on > today:
        raise ValidationError({"raised_on": _("提出日期（%(date)s）不能晚于今天") % {"date": raised_on.isoformat()}})
    if department is not None:
        _require_manager(actor, zone, _("分派诉求"))
        _departments(zone.pk, department, list(co_departments))
    for attempt in range(5):
        try:
            with transaction.atomic():
                ticket = Ticket.objects.create(
                    zone=zone, code=next_code(zone, raised_on.year), project=project, enterprise=enterprise,
                    follow_up=follow_up, category=category, title=title, description=(description or "").strip(),
                    channel=channel, severity=severity, raised_by=actor if getattr(actor, "pk", None) else None,
                    raised_on=raised_on, status=Status.REGISTERED,
                )
                break
        except IntegrityError:
            if attempt == 4:
                raise
    with transaction.atomic():
        _event(ticket, EventKind.REGISTER, at, today, actor, note=ticket.description[:500])
        if department is not None:
            return assign_ticket(ticket, department=department, co_departments=co_departments, actor=actor, at=at)
        if not is_manager(actor, zone):
            notify(
                _users(zone.pk, [Role.BUREAU]),
                _("新诉求待分派：%(code)s %(title)s") % {"code": ticket.code, "title": ticket.title},
                ticket, exclude=actor,
            )
    return ticket


@transaction.atomic
def assign_ticket(ticket: Ticket, *, department: OrgUnit, co_departments: Iterable[OrgUnit] = (), actor,
                  note: str = "", at: dt.datetime | None = None) -> Ticket:
    """分派 (or 重新分派): name the lead and co-handling departments; both clocks start now."""
    ticket = _lock(ticket)
    first = ticket.status == Status.REGISTERED
    (_check_assign if first else _check_reassign)(actor, ticket)
    department, co_departments = _departments(ticket.zone_id, department, list(co_departments))
    at, today = _when(at)
    calendar = workdays.calendar_for(ticket.zone)
    limits = time_limits(ticket.zone)
    ticket.lead_department = department
    ticket.status = Status.ASSIGNED
    ticket.assigned_on = today
    ticket.ack_due = calendar.add_working_days(today, limits[(Step.ACKNOWLEDGE, ticket.severity)])
    ticket.solve_due = calendar.add_working_days(today, limits[(Step.SOLVE, ticket.severity)])
    ticket.acknowledged_on = ticket.resolved_on = None
    ticket.ack_overdue_notified = ticket.solve_overdue_notified = False
    ticket.save()
    ticket.co_departments.set(co_departments)
    kind = EventKind.ASSIGN if first else EventKind.REASSIGN
    _event(ticket, kind, at, today, actor, note=(note or "").strip(), ack_due=ticket.ack_due, solve_due=ticket.solve_due)
    text = _("%(kind)s：%(code)s %(title)s，请于 %(due)s 前受理") % {
        "kind": EventKind(kind).label, "code": ticket.code, "title": ticket.title, "due": ticket.ack_due.isoformat(),
    }
    notify(_department_users(ticket), text, ticket, exclude=actor)
    robots.broadcast(ticket.zone, robots.TICKET_ASSIGNED, f"{text}（{department}）")
    return ticket


@transaction.atomic
def acknowledge_ticket(ticket: Ticket, *, actor, note: str = "", at: dt.datetime | None = None) -> Ticket:
    """受理: the lead department takes the ticket on."""
    ticket = _lock(ticket)
    _check_acknowledge(actor, ticket)
    at, today = _when(at)
    ticket.status = Status.IN_PROGRESS
    ticket.acknowledged_on = today
    ticket.save()
    _event(ticket, EventKind.ACKNOWLEDGE, at, today, actor, note=(note or "").strip(),
           on_time=ticket.ack_due is None or today <= ticket.ack_due)
    return ticket


@transaction.atomic
def return_ticket(ticket: Ticket, *, actor, reason: str, at: dt.datetime | None = None) -> Ticket:
    """退回: the lead department sends the ticket back to the bureau, with a reason."""
    ticket = _lock(ticket)
    _check_return(actor, ticket)
    reason = _required(reason, "reason", _("退回需填写理由"))
    at, today = _when(at)
    ticket.status = Status.RETURNED
    ticket.save()
    _event(ticket, EventKind.RETURN, at, today, actor, note=reason)
    notify(
        _users(ticket.zone_id, [Role.BUREAU]),
        _("诉求被退回：%(code)s %(title)s（%(department)s：%(reason)s）") % {
            "code": ticket.code, "title": ticket.title, "department": ticket.lead_department, "reason": reason[:80],
        },
        ticket, exclude=actor,
    )
    return ticket


@transaction.atomic
def resolve_ticket(ticket: Ticket, *, actor, resolution: str, at: dt.datetime | None = None) -> Ticket:
    """办结: the lead department records the result; the working days it took are kept."""
    ticket = _lock(ticket)
    _check_resolve(actor, ticket)
    resolution = _required(resolution, "resolution", _("办结需填写办理结果"))
    at, today = _when(at)
    ticket.status = Status.RESOLVED
    ticket.resolved_on = today
    ticket.resolution = resolution
    ticket.save()
    days = workdays.working_days_between(ticket.zone, ticket.assigned_on, today) if ticket.assigned_on else None
    _event(ticket, EventKind.RESOLVE, at, today, actor, note=resolution,
           on_time=ticket.solve_due is None or today <= ticket.solve_due, working_days=days)
    if ticket.raised_by_id:
        notify(
            get_user_model().objects.filter(pk=ticket.raised_by_id, is_active=True),
            _("诉求已办结，待评价：%(code)s %(title)s") % {"code": ticket.code, "title": ticket.title},
            ticket, exclude=actor,
        )
    return ticket


def _reopen(ticket: Ticket, actor, at, today, reason: str) -> Ticket:
    limit = time_limit(ticket.zone, Step.SOLVE, ticket.severity)
    ticket.status = Status.IN_PROGRESS
    ticket.resolved_on = None
    ticket.rating = ""
    ticket.rated_on = None
    ticket.solve_due = workdays.add_working_days(ticket.zone, today, limit)
    ticket.solve_overdue_notified = False
    ticket.save()
    _event(ticket, EventKind.REOPEN, at, today, actor, note=reason, solve_due=ticket.solve_due)
    notify(
        _department_users(ticket),
        _("诉求重新打开：%(code)s %(title)s（%(reason)s），请于 %(due)s 前办结") % {
            "code": ticket.code, "title": ticket.title, "reason": reason[:80], "due": ticket.solve_due.isoformat(),
        },
        ticket, exclude=actor,
    )
    return ticket


@transaction.atomic
def rate_ticket(ticket: Ticket, *, actor, rating: str, note: str = "", at: dt.datetime | None = None) -> Ticket:
    """评价: the enterprise's rating of a resolved ticket; 不满意 (with a reason) reopens it."""
    ticket = _lock(ticket)
    _check_rate(actor, ticket)
    if rating not in Rating.values:
        raise ValidationError({"rating": _("请选择评价：满意、基本满意或不满意")})
    note = (note or "").strip()
    if rating == Rating.UNSATISFIED and not note:
        raise ValidationError({"note": _("评价为不满意时需填写原因")})
    at, today = _when(at)
    if rating == Rating.UNSATISFIED:
        _event(ticket, EventKind.RATE, at, today, actor, note=note, rating=rating)
        return _reopen(ticket, actor, at, today, note)
    ticket.status = Status.RATED
    ticket.rating = rating
    ticket.rated_on = today
    ticket.save()
    _event(ticket, EventKind.RATE, at, today, actor, note=note, rating=rating)
    return ticket


@transaction.atomic
def reopen_ticket(ticket: Ticket, *, actor, reason: str, at: dt.datetime | None = None) -> Ticket:
    """重新打开 a closed ticket (say a 回访 found the problem back)."""
    ticket = _lock(ticket)
    _check_reopen(actor, ticket)
    reason = _required(reason, "reason", _("重新打开需填写原因"))
    at, today = _when(at)
    return _reopen(ticket, actor, at, today, reason)


@transaction.atomic
def record_visit(ticket: Ticket, *, actor, note: str, at: dt.datetime | None = None) -> TicketEvent:
    """回访: a return visit to the enterprise after the ticket closed."""
    ticket = _lock(ticket)
    _check_visit(actor, ticket)
    note = _required(note, "note", _("回访需填写回访情况"))
    at, today = _when(at)
    return _event(ticket, EventKind.VISIT, at, today, actor, note=note)


@transaction.atomic
def add_note(ticket: Ticket, *, actor, note: str, at: dt.datetime | None = None) -> TicketEvent:
    """办理意见 from the bureau, the lead or a co-handling department."""
    _check_note(actor, ticket)
    note = _required(note, "note", _("办理意见不能为空"))
    at, today = _when(at)
    return _event(ticket, EventKind.NOTE, at, today, actor, note=note)


@transaction.atomic
def add_attachment(ticket: Ticket, *, actor, file, at: dt.datetime | None = None) -> TicketAttachment:
    _check_attach(actor, ticket)
    if file is None:
        raise ValidationError({"file": _("请选择要上传的文件")})
    size = getattr(file, "size", 0) or 0
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": _("文件“%(name)s”超过 20MB") % {"name": file.name}})
    name = (getattr(file, "name", "") or "").rsplit("/", 1)[-1][:200] or _("附件")
    attachment = TicketAttachment(ticket=ticket, name=name, size=size, uploaded_by=actor if getattr(actor, "pk", None) else None)
    attachment.file.save(name, file, save=False)
    attachment.save()
    at, today = _when(at)
    _event(ticket, EventKind.ATTACH, at, today, actor, note=name)
    return attachment


def notify_overdue(today: dt.date | None = None, zone: Zone | None = None) -> list[tuple[Ticket, str]]:
    """Flag each overdue step once: a 逾期提醒 row in the ticket's history and a notice to the
    bureau, leadership and the lead department. Safe to run often and from two places at once
    (each step is claimed with a conditional UPDATE)."""
    from zhaoshang.tickets.selectors import overdue_tickets

    today = today or timezone.localdate()
    tickets = overdue_tickets(Ticket.objects.all() if zone is None else Ticket.objects.in_zone(zone), today)
    sent = []
    for ticket in tickets.select_related("zone", "lead_department"):
        for step in ticket.overdue_steps(today):
            flag = "ack_overdue_notified" if step == Step.ACKNOWLEDGE else "solve_overdue_notified"
            if getattr(ticket, flag):
                continue
            with transaction.atomic():
                claimed = Ticket.objects.filter(pk=ticket.pk, **{flag: False}).update(**{flag: True})
                if not claimed:
                    continue
                due = ticket.ack_due if step == Step.ACKNOWLEDGE else ticket.solve_due
                text = _("诉求%(step)s逾期：%(code)s %(title)s（%(department)s，时限 %(due)s）") % {
                    "step": Step(step).label, "code": ticket.code, "title": ticket.title,
                    "department": ticket.lead_department, "due": due.isoformat(),
                }
                at = timezone.now()
                _event(ticket, EventKind.OVERDUE, at, today, None, note=text)
                users = list(_users(ticket.zone_id, [Role.BUREAU, Role.LEADERSHIP])) + list(_department_users(ticket, include_co=False))
                notify(users, text, ticket)
                sent.append((ticket, step))
    return sent
