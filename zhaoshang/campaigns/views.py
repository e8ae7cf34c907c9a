"""招商活动 pages: where projects came from, trips with their visits, events with the
projects signed at them, introducers with their rewards, and the group robots."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhaoshang.campaigns import actions, exports, rewards, selectors
from zhaoshang.campaigns.forms import (
    EventForm, EventProjectForm, IntroducerForm, PaymentForm, SourceForm, SummaryForm, TripForm, VisitForm,
)
from zhaoshang.campaigns.models import Event, Introducer, ProjectSource, RewardRule, Trip, WebhookChannel
from zhaoshang.campaigns.permissions import can_approve_trip, can_manage, can_plan_trip, can_work_on_trip, require
from zhaoshang.core import access
from zhaoshang.core.changelog import record_data_transfer
from zhaoshang.core.formstyle import apply_action_error
from zhaoshang.core.models import OrgUnit, Role
from zhaoshang.projects import kpi
from zhaoshang.projects.models import Project
from zhaoshang.projects.permissions import can_write_project


def _zone(request):
    zone = access.current_zone(request)
    if zone is None:
        raise Http404(_("没有可用的园区"))
    return zone


def _reader_zone(request):
    """Observers read figures only: the campaigns records are not theirs to read."""
    zone = _zone(request)
    if not access.has_role(request.user, [role for role in Role if role != Role.OBSERVER], zone):
        raise PermissionDenied(_("无权查看招商活动"))
    return zone


def _projects(request, zone):
    return Project.objects.visible_to(request.user).filter(zone=zone)


def _period(request, today: dt.date) -> kpi.Period:
    try:
        start = dt.date.fromisoformat(request.GET.get("from") or f"{today.year}-01-01")
        end = dt.date.fromisoformat(request.GET.get("to") or today.isoformat())
        return kpi.Period(start, end)
    except ValueError:
        messages.error(request, _("日期有误，已按今年统计"))
        return kpi.Period(dt.date(today.year, 1, 1), today)


def _file(content: bytes, name: str, kind: str) -> HttpResponse:
    types = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
    response = HttpResponse(content, content_type=types[kind])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}.{kind}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


# --------------------------------------------------------------------------- overview


@login_required
def overview(request):
    zone = _reader_zone(request)
    today = timezone.localdate()
    period = _period(request, today)
    projects = _projects(request, zone)
    context = {
        "period": period,
        "rows": selectors.source_table(projects, period),
        "trips": Trip.objects.visible_to(request.user).filter(zone=zone)[:5],
        "events": Event.objects.visible_to(request.user).filter(zone=zone)[:5],
        "can_manage": can_manage(request.user, zone),
        "can_plan": can_plan_trip(request.user, zone),
    }
    return render(request, "campaigns/overview.html", context)


# --------------------------------------------------------------------------- trips


def _trip_or_404(request, pk) -> Trip:
    return get_object_or_404(Trip.objects.visible_to(request.user).filter(zone=_zone(request)).select_related("unit", "zone"), pk=pk)


def _plannable_units(request, zone):
    units = OrgUnit.objects.filter(zone=zone, is_active=True)
    if can_manage(request.user, zone):
        return units
    return units.filter(pk__in=access.unit_ids(request.user))


@login_required
def trip_list(request):
    zone = _reader_zone(request)
    trips = Trip.objects.visible_to(request.user).filter(zone=zone).select_related("unit").prefetch_related("team")
    status = request.GET.get("status")
    if status in Trip.Status.values:
        trips = trips.filter(status=status)
    return render(request, "campaigns/trip_list.html", {
        "trips": trips, "statuses": Trip.Status.choices, "status": status, "can_plan": can_plan_trip(request.user, zone),
    })


def _trip_form_page(request, trip=None):
    zone = _zone(request)
    require(can_plan_trip(request.user, zone) if trip is None else can_work_on_trip(request.user, trip))
    units = _plannable_units(request, zone)
    initial = {}
    if trip is not None:
        initial = {field: getattr(trip, field) for field in actions.TRIP_FIELDS}
        initial["team"] = list(trip.team.all())
    elif units.count() == 1:
        initial["unit"] = units.first()
    form = TripForm(request.POST or None, initial=initial, zone=zone, units=units)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        team = data.pop("team")
        try:
            if trip is None:
                trip = actions.create_trip(zone=zone, actor=request.user, team=team, **data)
            else:
                actions.update_trip(trip, actor=request.user, team=team, **data)
        except ValidationError as error:
            apply_action_error(form, error)
        else:
            messages.success(request, _("已保存“%(title)s”") % {"title": trip.title})
            return redirect("campaigns:trip", pk=trip.pk)
    return render(request, "campaigns/trip_form.html", {"form": form, "trip": trip}, status=400 if form.errors else 200)


@login_required
def trip_create(request):
    return _trip_form_page(request)


@login_required
def trip_edit(request, pk):
    return _trip_form_page(request, _trip_or_404(request, pk))


@login_required
def trip_detail(request, pk):
    trip = _trip_or_404(request, pk)
    zone = trip.zone
    projects = _projects(request, zone)
    writable = can_work_on_trip(request.user, trip)
    from zhaoshang.industry.models import TargetCompany

    targets = TargetCompany.objects.visible_to(request.user).filter(zone=zone).open()
    visit_form = VisitForm(projects=projects, targets=targets,
                           initial={"date": min(max(timezone.localdate(), trip.start_on), trip.end_on)})
    summary_form = SummaryForm(initial={"summary": trip.summary})
    status = 200
    if request.method == "POST":
        require(writable)
        visit_form = VisitForm(request.POST, projects=projects, targets=targets)
        if visit_form.is_valid():
            data = dict(visit_form.cleaned_data)
            try:
                visit = actions.add_visit(trip, actor=request.user, **data)
            except ValidationError as error:
                apply_action_error(visit_form, error)
            else:
                if visit.outcome == visit.Outcome.LEAD:
                    messages.success(request, _("已记录拜访，并形成新线索“%(name)s”") % {"name": visit.project.name})
                else:
                    messages.success(request, _("已记录拜访“%(company)s”") % {"company": visit.company_name})
                return redirect("campaigns:trip", pk=trip.pk)
        status = 400
    context = {
        "trip": trip,
        "visits": trip.visits.select_related("project", "enterprise", "target"),
        "visible_ids": set(projects.filter(trip_visits__trip=trip).values_list("pk", flat=True)),
        "brought": selectors.brought(trip, "trip", projects, trip.start_on),
        "visit_form": visit_form,
        "summary_form": summary_form,
        "writable": writable,
        "can_approve": can_approve_trip(request.user, trip),
    }
    return render(request, "campaigns/trip_detail.html", context, status=status)


@login_required
@require_POST
def trip_step(request, pk, step):
    trip = _trip_or_404(request, pk)
    try:
        if step == "submit":
            require(can_work_on_trip(request.user, trip))
            actions.submit_trip(trip, actor=request.user)
            messages.success(request, _("已报批，等待审批"))
        elif step == "approve":
            require(can_approve_trip(request.user, trip), _("只有投资促进局或管委会领导可以批准出访"))
            actions.approve_trip(trip, actor=request.user)
            messages.success(request, _("已批准出访"))
        elif step == "complete":
            require(can_work_on_trip(request.user, trip))
            actions.complete_trip(trip, summary=request.POST.get("summary", ""), actor=request.user)
            messages.success(request, _("出访已完成"))
        elif step == "report":
            require(can_work_on_trip(request.user, trip))
            actions.report_trip(trip, actor=request.user)
            messages.success(request, _("已上报"))
        else:
            raise Http404
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("campaigns:trip", pk=trip.pk)


@login_required
def trip_report(request, pk, kind):
    trip = _trip_or_404(request, pk)
    projects = _projects(request, trip.zone)
    if kind == "docx":
        content = exports.trip_report_docx(trip, selectors.brought(trip, "trip", projects, trip.start_on))
    elif kind == "xlsx":
        content = exports.trip_report_xlsx(trip)
    else:
        raise Http404
    record_data_transfer(request.user, "export", _("导出外出招商上报表：%(title)s") % {"title": trip.title},
                         row_count=trip.visits.count(), zone=trip.zone, model=Trip)
    return _file(content, _("外出招商上报表-%(title)s") % {"title": trip.title}, kind)


# --------------------------------------------------------------------------- events


def _event_or_404(request, pk) -> Event:
    return get_object_or_404(Event.objects.visible_to(request.user).filter(zone=_zone(request)).select_related("organiser"), pk=pk)


@login_required
def event_list(request):
    zone = _reader_zone(request)
    events = Event.objects.visible_to(request.user).filter(zone=zone).select_related("organiser")
    kind = request.GET.get("kind")
    if kind in Event.Kind.values:
        events = events.filter(kind=kind)
    return render(request, "campaigns/event_list.html", {
        "events": events, "kinds": Event.Kind.choices, "kind": kind, "can_manage": can_manage(request.user, zone),
    })


def _event_form_page(request, event=None):
    zone = _zone(request)
    require(can_manage(request.user, zone), _("只有投资促进局或系统管理员可以登记招商活动"))
    initial = {field: getattr(event, field) for field in actions.EVENT_FIELDS} if event else {}
    form = EventForm(request.POST or None, initial=initial, zone=zone)
    if request.method == "POST" and form.is_valid():
        try:
            if event is None:
                event = actions.create_event(zone=zone, actor=request.user, **form.cleaned_data)
            else:
                actions.update_event(event, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_action_error(form, error)
        else:
            messages.success(request, _("已保存“%(title)s”") % {"title": event.title})
            return redirect("campaigns:event", pk=event.pk)
    return render(request, "campaigns/event_form.html", {"form": form, "event": event}, status=400 if form.errors else 200)


@login_required
def event_create(request):
    return _event_form_page(request)


@login_required
def event_edit(request, pk):
    return _event_form_page(request, _event_or_404(request, pk))


@login_required
def event_detail(request, pk):
    event = _event_or_404(request, pk)
    projects = _projects(request, event.zone)
    manager = can_manage(request.user, event.zone)
    form = EventProjectForm(projects=projects.exclude(event_signings__event=event))
    status = 200
    if request.method == "POST":
        require(manager)
        form = EventProjectForm(request.POST, projects=projects.exclude(event_signings__event=event))
        if form.is_valid():
            try:
                actions.add_event_project(event, project=form.cleaned_data["project"], actor=request.user)
            except ValidationError as error:
                apply_action_error(form, error)
            else:
                messages.success(request, _("已加入签约清单"))
                return redirect("campaigns:event", pk=event.pk)
        status = 400
    rows, total = exports.ceremony_rows(event)
    readable = set(projects.filter(event_signings__event=event).values_list("pk", flat=True))
    signings = list(event.signings.all())
    hidden = _("（其他单位的项目）")
    table = [(row if signing.project_id in readable else [row[0], hidden, "", "", row[4]], signing)
             for row, signing in zip(rows, signings)]
    context = {
        "event": event, "form": form, "can_manage": manager, "rows": rows, "total": total,
        "table": table,
        "brought": selectors.brought(event, "event", projects, event.date),
    }
    return render(request, "campaigns/event_detail.html", context, status=status)


@login_required
@require_POST
def event_project_remove(request, pk, row_pk):
    event = _event_or_404(request, pk)
    require(can_manage(request.user, event.zone))
    row = get_object_or_404(event.signings, pk=row_pk)
    actions.remove_event_project(row, actor=request.user)
    messages.success(request, _("已移出签约清单"))
    return redirect("campaigns:event", pk=event.pk)


@login_required
def event_export(request, pk, kind):
    event = _event_or_404(request, pk)
    require(can_manage(request.user, event.zone), _("签约清单由投资促进局导出"))
    if kind == "xlsx":
        content = exports.ceremony_xlsx(event)
    elif kind == "docx":
        content = exports.ceremony_docx(event)
    else:
        raise Http404
    record_data_transfer(request.user, "export", _("导出活动签约清单：%(title)s") % {"title": event.title},
                         row_count=event.signings.count(), zone=event.zone, model=Event)
    return _file(content, _("签约项目清单-%(title)s") % {"title": event.title}, kind)


# --------------------------------------------------------------------------- introducers


def _introducer_or_404(request, pk) -> Introducer:
    return get_object_or_404(Introducer.objects.visible_to(request.user).filter(zone=_zone(request)), pk=pk)


@login_required
def introducer_list(request):
    zone = _reader_zone(request)
    introducers = Introducer.objects.visible_to(request.user).filter(zone=zone)
    return render(request, "campaigns/introducer_list.html", {
        "introducers": introducers, "can_manage": can_manage(request.user, zone),
        "rules": RewardRule.objects.visible_to(request.user).filter(zone=zone).prefetch_related("tiers"),
    })


@login_required
def introducer_create(request):
    zone = _zone(request)
    require(can_manage(request.user, zone), _("只有投资促进局或系统管理员可以登记引荐人"))
    form = IntroducerForm(request.POST or None, initial={"kind": Introducer.Kind.INTRODUCER})
    if request.method == "POST" and form.is_valid():
        try:
            introducer = actions.create_introducer(zone=zone, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_action_error(form, error)
        else:
            messages.success(request, _("已登记引荐人“%(name)s”") % {"name": introducer.name})
            return redirect("campaigns:introducer", pk=introducer.pk)
    return render(request, "campaigns/introducer_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def introducer_detail(request, pk):
    introducer = _introducer_or_404(request, pk)
    zone = introducer.zone
    projects = _projects(request, zone)
    credited = selectors.credited_projects(projects, introducer)
    manager = can_manage(request.user, zone)
    rules = list(RewardRule.objects.filter(zone=zone, is_active=True).prefetch_related("tiers"))
    today = timezone.localdate()
    rule = next((r for r in rules if str(r.pk) == request.GET.get("rule")), rules[0] if rules else None)
    form = PaymentForm(projects=projects.filter(source__introducer=introducer), initial={"paid_on": today})
    status = 200
    if request.method == "POST":
        require(manager, _("只有投资促进局或系统管理员可以登记奖励支付"))
        form = PaymentForm(request.POST, projects=projects.filter(source__introducer=introducer))
        if form.is_valid():
            try:
                actions.record_payment(introducer=introducer, rule=rule, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_action_error(form, error)
            else:
                messages.success(request, _("已登记奖励支付"))
                return redirect("campaigns:introducer", pk=introducer.pk)
        status = 400
    calculations = [rewards.calculate(rule, project, today) for project in credited] if rule else []
    context = {
        "introducer": introducer, "credited": credited, "rules": rules, "rule": rule, "calculations": calculations,
        "payments": introducer.payments.select_related("project", "rule"), "form": form, "can_manage": manager,
        "brought": selectors.brought(introducer, "introducer", projects, dt.date(1990, 1, 1)),
    }
    return render(request, "campaigns/introducer_detail.html", context, status=status)


@login_required
def rule_create(request):
    zone = _zone(request)
    require(can_manage(request.user, zone), _("只有投资促进局或系统管理员可以制定奖励政策"))
    errors, values = [], request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            tiers = _parse_tiers(values.get("tiers", ""))
            cap = values.get("cap") or None
            days = int(values["start_within_days"]) if values.get("start_within_days") else None
            actions.create_reward_rule(zone=zone, name=values.get("name", ""), tiers=tiers, cap=cap, start_within_days=days,
                                       fixed_asset_only=bool(values.get("fixed_asset_only")), actor=request.user)
        except ValidationError as error:
            errors = error.messages
        except ValueError:
            errors = [_("签约后须开工的天数应为整数")]
        else:
            messages.success(request, _("已保存奖励政策"))
            return redirect("campaigns:introducers")
    return render(request, "campaigns/rule_form.html", {"errors": errors, "values": values}, status=400 if errors else 200)


def _parse_tiers(text: str) -> list[tuple]:
    """One band a line: "上限（万元） 比例（‰）", the last line "以上 比例" or "- 比例"."""
    from decimal import Decimal, InvalidOperation

    tiers = []
    for number, line in enumerate(filter(None, (line.strip() for line in text.splitlines())), start=1):
        parts = line.replace("，", " ").replace(",", " ").split()
        if len(parts) != 2:
            raise ValidationError({"tiers": _("第%(n)s行应为“上限 比例”两个数，如“10000 3”") % {"n": number}})
        upto, permille = parts
        try:
            tiers.append((None if upto in ("-", "以上", "—") else Decimal(upto), Decimal(permille.rstrip("‰"))))
        except InvalidOperation:
            raise ValidationError({"tiers": _("第%(n)s行的数字无法识别：%(line)s") % {"n": number, "line": line}}) from None
    return tiers


# --------------------------------------------------------------------------- project sources


@login_required
def project_source(request, project_pk):
    zone = _zone(request)
    project = get_object_or_404(_projects(request, zone), pk=project_pk)
    if not can_write_project(request.user, project):
        raise PermissionDenied(_("您没有修改该项目的权限"))
    current = ProjectSource.objects.filter(project=project).first()
    initial = {}
    if current is not None:
        initial = {name: getattr(current, name) for name in ("kind", "trip", "event", "introducer", "referrer", "note")}
    form = SourceForm(request.POST or None, initial=initial, zone=zone, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_project_source(project, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_action_error(form, error)
        else:
            messages.success(request, _("已记录项目来源"))
            return redirect("projects:detail", pk=project.pk)
    return render(request, "campaigns/source_form.html", {"form": form, "project": project}, status=400 if form.errors else 200)


# --------------------------------------------------------------------------- group robots


@login_required
def webhooks(request):
    zone = _zone(request)
    require(can_manage(request.user, zone), _("只有投资促进局或系统管理员可以设置消息推送"))
    from zhaoshang.campaigns import notifications
    from zhaoshang.campaigns.models import WebhookDelivery

    errors, values = [], {}
    if request.method == "POST":
        values = request.POST
        if values.get("toggle"):
            channel = get_object_or_404(WebhookChannel, zone=zone, pk=values["toggle"])
            actions.set_channel_active(channel, active=not channel.is_active, actor=request.user)
            return redirect("campaigns:webhooks")
        try:
            actions.create_channel(zone=zone, name=values.get("name", ""), service=values.get("service", ""),
                                   url=values.get("url", ""), secret=values.get("secret", ""),
                                   events=values.getlist("events"), actor=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("已添加机器人"))
            return redirect("campaigns:webhooks")
    context = {
        "channels": WebhookChannel.objects.filter(zone=zone),
        "deliveries": WebhookDelivery.objects.filter(channel__zone=zone).select_related("channel")[:50],
        "events": notifications.EVENTS, "services": WebhookChannel.Service.choices, "errors": errors, "values": values,
    }
    return render(request, "campaigns/webhooks.html", context, status=400 if errors else 200)
