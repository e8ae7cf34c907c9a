"""The ticket pages: the inbox / overview, a ticket with its history and actions, raising a
ticket from a project, the figures, the bell and the zone's ticket settings."""

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhaoshang.core import access, permissions
from zhaoshang.core.formstyle import apply_action_error, mark_invalid
from zhaoshang.core.models import OrgUnit, Role
from zhaoshang.projects import kpi
from zhaoshang.projects.models import FollowUp, Project
from zhaoshang.tickets import actions, figures, selectors, workdays
from zhaoshang.tickets.filters import TicketFilter
from zhaoshang.tickets.forms import (
    AssignForm, AttachmentForm, CalendarDayForm, CategoryForm, NoteForm, RateForm, ReasonForm, ResolveForm,
    TicketForm, TimeLimitForm,
)
from zhaoshang.tickets.models import (
    Notification, Severity, Status, Step, Ticket, TicketAttachment, TicketCategory, WorkCalendarDay,
)

PAGE_SIZE = 50


def _zone_or_404(request):
    zone = access.current_zone(request)
    if zone is None:
        raise Http404(_("您尚未加入任何园区"))
    return zone


def _my_departments(request, zone) -> list[int]:
    return [m.unit_id for m in access.memberships(request.user) if m.zone_id == zone.pk and m.role == Role.DEPARTMENT]


def _ticket_or_404(request, pk) -> Ticket:
    return get_object_or_404(
        Ticket.objects.visible_to(request.user).select_related(
            "zone", "category", "project", "project__responsible_unit", "enterprise", "lead_department", "raised_by",
        ),
        pk=pk,
    )


def _id(value) -> int | None:
    """A row id typed into a query or form; None when it is not a whole number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _date(value, default=None):
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


# --- the list -----------------------------------------------------------------------


@login_required
@require_GET
def ticket_list(request):
    zone = _zone_or_404(request)
    today = timezone.localdate()
    departments = _my_departments(request, zone)
    tickets = Ticket.objects.visible_to(request.user).filter(zone=zone)
    figure_note = None
    figure = request.GET.get("figure")
    if figure:
        start, end = _date(request.GET.get("from")), _date(request.GET.get("to"))
        as_of = _date(request.GET.get("as_of"), end)
        known = figure in figures.CONDITIONS or figure in figures.ROWS_OF
        department, category = request.GET.get("figure_department") or None, request.GET.get("figure_category") or None
        ids_ok = all(value is None or _id(value) is not None for value in (department, category))
        if not known or not start or not end or start > end or not ids_ok:
            messages.error(request, _("统计口径参数无效，已显示全部诉求"))
        else:
            behind = figures.tickets_behind(
                figure, zone, start, end, as_of, department=_id(department), category=_id(category),
            )
            tickets = tickets.filter(pk__in=behind.values("pk"))
            figure_note = {
                "label": dict(figures.FIGURES).get(figures.ROWS_OF.get(figure, figure), figure),
                "start": start, "end": end, "as_of": as_of,
            }
    filterset = TicketFilter(request.GET or None, queryset=tickets, zone=zone, departments=departments)
    filtered = filterset.qs if filterset.is_bound else tickets
    rows = selectors.overview(filtered, today)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "zone": zone,
        "filter": filterset,
        "page": page,
        "counts": selectors.status_counts(tickets, today),
        "today": today,
        "is_department": bool(departments),
        "can_raise": actions.can_raise(request.user, zone),
        "is_manager": actions.is_manager(request.user, zone),
        "query": query.urlencode(),
        "figure_note": figure_note,
        "statuses": Status,
    }
    template = "tickets/_list_results.html" if request.htmx and not request.htmx.boosted else "tickets/list.html"
    return render(request, template, context)


# --- one ticket ---------------------------------------------------------------------


ACTION_FORMS = {
    "assign": lambda ticket, data=None: AssignForm(data, zone=ticket.zone, prefix="assign"),
    "reassign": lambda ticket, data=None: AssignForm(
        data, zone=ticket.zone, prefix="reassign",
        initial={"department": ticket.lead_department_id, "co_departments": list(ticket.co_departments.all())},
    ),
    "acknowledge": lambda ticket, data=None: NoteForm(data, prefix="acknowledge", label=_("受理意见（可选）"), required=False),
    "return": lambda ticket, data=None: ReasonForm(data, prefix="return", label=_("退回理由")),
    "resolve": lambda ticket, data=None: ResolveForm(data, prefix="resolve"),
    "rate": lambda ticket, data=None: RateForm(data, prefix="rate"),
    "visit": lambda ticket, data=None: NoteForm(data, prefix="visit", label=_("回访情况")),
    "reopen": lambda ticket, data=None: ReasonForm(data, prefix="reopen", label=_("重新打开原因")),
    "note": lambda ticket, data=None: NoteForm(data, prefix="note", label=_("办理意见")),
    "attach": lambda ticket, data=None, files=None: AttachmentForm(data, files, prefix="attach"),
}
ACTION_LABELS = {
    "assign": _("分派"), "reassign": _("重新分派"), "acknowledge": _("受理"), "return": _("退回"),
    "resolve": _("办结"), "rate": _("录入企业评价"), "visit": _("回访"), "reopen": _("重新打开"),
    "note": _("填写办理意见"), "attach": _("上传附件"),
}
ACTION_STYLES = {
    "assign": "primary", "reassign": "outline-primary", "acknowledge": "primary", "return": "outline-danger",
    "resolve": "success", "rate": "primary", "visit": "outline-secondary", "reopen": "outline-danger",
    "note": "outline-secondary", "attach": "outline-secondary",
}
def _forms_for(request, ticket, bound=None):
    allowed = actions.available_actions(request.user, ticket)
    forms = []
    for name in ACTION_FORMS:
        if name not in allowed:
            continue
        form = bound[1] if bound and bound[0] == name else ACTION_FORMS[name](ticket)
        forms.append({"name": name, "label": ACTION_LABELS[name], "style": ACTION_STYLES[name], "form": form,
                      "open": bool(bound and bound[0] == name)})
    return forms


def _detail(request, ticket, bound=None, status=200):
    today = timezone.localdate()
    context = {
        "ticket": ticket,
        "events": selectors.history(ticket),
        "attachments": ticket.attachments.select_related("uploaded_by"),
        "co_departments": ticket.co_departments.all(),
        "action_forms": _forms_for(request, ticket, bound),
        "overdue_steps": [Step(step).label for step in ticket.overdue_steps(today)],
        "today": today,
        "can_see_project": ticket.project_id
        and Project.objects.visible_to(request.user).filter(pk=ticket.project_id).exists(),
    }
    return render(request, "tickets/detail.html", context, status=status)


@login_required
@require_GET
def ticket_detail(request, pk):
    ticket = _ticket_or_404(request, pk)
    actions.mark_read(request.user, ticket=ticket)
    return _detail(request, ticket)


def _run(name, ticket, user, data, files):
    if name in ("assign", "reassign"):
        return actions.assign_ticket(
            ticket, department=data["department"], co_departments=data.get("co_departments") or [],
            actor=user, note=data.get("note", ""),
        )
    if name == "acknowledge":
        return actions.acknowledge_ticket(ticket, actor=user, note=data.get("note", ""))
    if name == "return":
        return actions.return_ticket(ticket, actor=user, reason=data["reason"])
    if name == "resolve":
        return actions.resolve_ticket(ticket, actor=user, resolution=data["resolution"])
    if name == "rate":
        return actions.rate_ticket(ticket, actor=user, rating=data["rating"], note=data.get("note", ""))
    if name == "visit":
        return actions.record_visit(ticket, actor=user, note=data["note"])
    if name == "reopen":
        return actions.reopen_ticket(ticket, actor=user, reason=data["reason"])
    if name == "note":
        return actions.add_note(ticket, actor=user, note=data["note"])
    if name == "attach":
        return actions.add_attachment(ticket, actor=user, file=data["file"])
    raise Http404


DONE_MESSAGES = {
    "assign": _("已分派"), "reassign": _("已重新分派"), "acknowledge": _("已受理"), "return": _("已退回投资促进局"),
    "resolve": _("已办结"), "rate": _("已录入评价"), "visit": _("已记录回访"), "reopen": _("已重新打开"),
    "note": _("已记录办理意见"), "attach": _("已上传附件"),
}


@login_required
@require_POST
def ticket_action(request, pk, name):
    ticket = _ticket_or_404(request, pk)
    if name not in ACTION_FORMS:
        raise Http404
    check = actions.CHECKS[name]
    try:
        check(request.user, ticket)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(ticket.get_absolute_url())
    # PermissionDenied propagates: 403.
    if name == "attach":
        form = ACTION_FORMS[name](ticket, request.POST, request.FILES)
    else:
        form = ACTION_FORMS[name](ticket, request.POST)
    if form.is_valid():
        try:
            _run(name, ticket, request.user, form.cleaned_data, request.FILES)
        except ValidationError as error:
            apply_action_error(form, error, {"reason": "reason", "note": "note", "department": "department"})
        else:
            if name == "rate" and form.cleaned_data["rating"] == "unsatisfied":
                messages.warning(request, _("企业不满意，诉求已重新打开并退回牵头部门办理"))
            else:
                messages.success(request, DONE_MESSAGES[name])
            return HttpResponseRedirect(ticket.get_absolute_url())
    mark_invalid(form)
    ticket.refresh_from_db()
    return _detail(request, ticket, bound=(name, form), status=200)


@login_required
@require_GET
def attachment_download(request, pk):
    attachment = get_object_or_404(
        TicketAttachment.objects.filter(ticket__in=Ticket.objects.visible_to(request.user)), pk=pk
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("附件文件已不存在")) from None
    return FileResponse(handle, as_attachment=True, filename=attachment.name)


# --- raising a ticket ---------------------------------------------------------------


@login_required
def ticket_create(request):
    zone = _zone_or_404(request)
    project = follow_up = None
    project_id = request.GET.get("project") or request.POST.get("project")
    if project_id:
        if not str(project_id).isdigit():
            raise Http404
        project = get_object_or_404(Project.objects.visible_to(request.user).select_related("investor"), pk=project_id)
        zone = project.zone
    follow_up_id = request.GET.get("follow_up") or request.POST.get("follow_up")
    if follow_up_id and project is not None and str(follow_up_id).isdigit():
        follow_up = FollowUp.objects.filter(project=project, pk=follow_up_id).first()
    if not actions.can_raise(request.user, zone, project):
        raise PermissionDenied(_("您不能为该项目登记诉求"))
    actions.ensure_categories(zone)
    can_assign = actions.is_manager(request.user, zone)
    initial = {}
    if follow_up is not None:
        initial = {"description": follow_up.summary, "raised_on": follow_up.date, "channel": "visit"}
    if request.method == "POST":
        form = TicketForm(request.POST, request.FILES, zone=zone, can_assign=can_assign)
        if form.is_valid():
            data = form.cleaned_data
            try:
                ticket = actions.raise_ticket(
                    zone=zone, category=data["category"], title=data["title"], actor=request.user, project=project,
                    description=data["description"], channel=data["channel"], severity=data["severity"],
                    raised_on=data["raised_on"], follow_up=follow_up, department=data.get("department"),
                    co_departments=data.get("co_departments") or [],
                )
                if data.get("attachment"):
                    actions.add_attachment(ticket, actor=request.user, file=data["attachment"])
            except ValidationError as error:
                apply_action_error(form, error)
            else:
                messages.success(request, _("诉求 %(code)s 已登记") % {"code": ticket.code}
                                 + (_("并分派至%(department)s") % {"department": ticket.lead_department}
                                    if ticket.lead_department_id else ""))
                return HttpResponseRedirect(ticket.get_absolute_url())
        mark_invalid(form)
    else:
        form = TicketForm(zone=zone, can_assign=can_assign, initial=initial)
    return render(request, "tickets/form.html", {
        "form": form, "project": project, "follow_up": follow_up, "zone": zone,
    })


# --- figures ------------------------------------------------------------------------


@login_required
@require_GET
def ticket_stats(request):
    zone = _zone_or_404(request)
    permissions.require(request.user, "tickets.stats", zone)
    today = timezone.localdate()
    start = _date(request.GET.get("from"), dt.date(today.year, 1, 1))
    end = _date(request.GET.get("to"), today)
    error = None
    if start > end:
        error = _("起始日期（%(start)s）不能晚于截止日期（%(end)s）") % {"start": start, "end": end}
        start, end = dt.date(today.year, 1, 1), today
    as_of = _date(request.GET.get("as_of"), end)
    names = dict(OrgUnit.objects.filter(zone=zone).values_list("pk", "name"))
    base = {"from": start.isoformat(), "to": end.isoformat(), "as_of": as_of.isoformat()}

    def rows(data, key, label_of):
        result = []
        for pk, row in data.items():
            links = {}
            for code, _label in figures.FIGURES:
                params = {**base, "figure": code}
                if key:
                    params[key] = pk
                links[code] = reverse("tickets:list") + "?" + urlencode(params)
            cells = []
            for code, _label in figures.FIGURES:
                value = row[code]
                if code in figures.RATES:
                    shown = kpi.format_rate(value)
                elif code == "avg_working_days":
                    shown = "—" if value is None else f"{value}"
                else:
                    shown = str(value)
                cells.append({"code": code, "shown": shown, "link": links[code]})
            result.append({"name": label_of(pk), "cells": cells, "received": row["received"]})
        return result

    categories = dict(TicketCategory.objects.filter(zone=zone).values_list("pk", "name"))
    context = {
        "zone": zone, "start": start, "end": end, "as_of": as_of, "error": error,
        "headers": [label for _code, label in figures.FIGURES],
        "departments": rows(figures.department_figures(zone, start, end, as_of), "figure_department", lambda pk: names.get(pk, "")),
        "categories": rows(figures.category_figures(zone, start, end, as_of), "figure_category", lambda pk: categories.get(pk, "")),
        "total": rows({None: figures.zone_figures(zone, start, end, as_of)}, None, lambda pk: _("合计")),
    }
    return render(request, "tickets/stats.html", context)


# --- notifications ------------------------------------------------------------------


@login_required
@require_GET
def notification_list(request):
    rows = Notification.objects.filter(user=request.user).select_related("ticket")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "tickets/notifications.html", {"page": page, "unread": selectors.unread_count(request.user)})


@login_required
@require_GET
def notification_bell(request):
    return render(request, "tickets/_bell.html", {"unread_count": selectors.unread_count(request.user)})


@login_required
@require_GET
def notification_count(request):
    return HttpResponse(str(selectors.unread_count(request.user)), content_type="text/plain; charset=utf-8")


@login_required
@require_POST
def notification_read(request):
    ids = [int(value) for value in request.POST.getlist("id") if value.isdigit()] or None
    actions.mark_read(request.user, ids)
    target = request.POST.get("next") or reverse("tickets:notifications")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("tickets:notifications")
    return HttpResponseRedirect(target)


@login_required
@require_GET
def notification_open(request, pk):
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    actions.mark_read(request.user, [notification.pk])
    link = notification.link or reverse("tickets:notifications")
    if not url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        link = reverse("tickets:notifications")
    return HttpResponseRedirect(link)


# --- settings -----------------------------------------------------------------------


@login_required
def ticket_settings(request):
    zone = _zone_or_404(request)
    permissions.require(request.user, "tickets.settings", zone)
    actions.ensure_categories(zone)
    category_form, limit_form, day_form = CategoryForm(prefix="category"), TimeLimitForm(prefix="limit"), CalendarDayForm(prefix="day")
    if request.method == "POST":
        what = request.POST.get("what")
        try:
            if what == "category":
                category_form = CategoryForm(request.POST, prefix="category")
                if category_form.is_valid():
                    actions.create_category(zone=zone, name=category_form.cleaned_data["name"], actor=request.user)
                    messages.success(request, _("已添加诉求类别"))
                    return HttpResponseRedirect(reverse("tickets:settings"))
            elif what == "toggle_category":
                category = get_object_or_404(TicketCategory, zone=zone, pk=_id(request.POST.get("category")))
                actions.set_category_active(category, active=not category.is_active, actor=request.user)
                return HttpResponseRedirect(reverse("tickets:settings"))
            elif what == "limit":
                limit_form = TimeLimitForm(request.POST, prefix="limit")
                if limit_form.is_valid():
                    actions.set_time_limit(zone=zone, actor=request.user, **limit_form.cleaned_data)
                    messages.success(request, _("已保存办理时限（对此后分派的诉求生效）"))
                    return HttpResponseRedirect(reverse("tickets:settings"))
            elif what == "day":
                day_form = CalendarDayForm(request.POST, prefix="day")
                if day_form.is_valid():
                    actions.set_calendar_day(zone=zone, actor=request.user, **day_form.cleaned_data)
                    messages.success(request, _("已保存工作日历调整"))
                    return HttpResponseRedirect(reverse("tickets:settings"))
            elif what == "delete_day":
                row = get_object_or_404(WorkCalendarDay, zone=zone, pk=_id(request.POST.get("day")))
                actions.delete_calendar_day(row, actor=request.user)
                messages.success(request, _("已删除工作日历调整"))
                return HttpResponseRedirect(reverse("tickets:settings"))
        except ValidationError as error:
            target = {"category": category_form, "limit": limit_form, "day": day_form}.get(what)
            if target is not None:
                apply_action_error(target, error)
            else:
                messages.error(request, " ".join(error.messages))
    for form in (category_form, limit_form, day_form):
        if form.is_bound:
            mark_invalid(form)
    limits = actions.time_limits(zone)
    first, last = workdays.covered_years()
    context = {
        "zone": zone,
        "categories": TicketCategory.objects.filter(zone=zone),
        "limits": [
            {"step": step.label, "severity": severity.label, "days": limits[(step, severity)]}
            for step in Step for severity in Severity
        ],
        "days": WorkCalendarDay.objects.filter(zone=zone).order_by("-date")[:200],
        "category_form": category_form, "limit_form": limit_form, "day_form": day_form,
        "covered_first": first, "covered_last": last,
    }
    return render(request, "tickets/settings.html", context)
