"""Every write of the campaigns area: trips and their visits, events and the projects
signed at them, introducers, reward rules and payments, project sources, and the group
robots notifications go to."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.campaigns.models import (
    SOURCE_REFERENCE,
    Event,
    EventProject,
    Introducer,
    ProjectSource,
    RewardPayment,
    RewardRule,
    RewardTier,
    Source,
    Trip,
    TripVisit,
    WebhookChannel,
)
from zhaoshang.projects import actions as project_actions
from zhaoshang.projects.models import Project
from zhaoshang.projects.regions import region_of
from zhaoshang.projects.stages import Stage

TRIP_FIELDS = {"title", "unit", "start_on", "end_on", "province", "city", "purpose"}
EVENT_FIELDS = {"kind", "title", "date", "place", "organiser", "attendees", "guests", "notes"}
INTRODUCER_FIELDS = {"name", "kind", "organisation", "phone", "notes", "is_active"}


def _required_text(fields: dict, name: str, message: str) -> None:
    value = (fields.get(name) or "").strip()
    if not value:
        raise ValidationError({name: message})
    fields[name] = value


def _same_zone(zone, **related) -> None:
    for field, obj in related.items():
        if obj is not None and obj.zone_id != zone.pk:
            raise ValidationError({field: _("“%(name)s”不属于本园区") % {"name": obj}})


# --------------------------------------------------------------------------- trips


def _check_trip(zone, fields: dict, team) -> None:
    _required_text(fields, "title", _("请填写出访名称"))
    _required_text(fields, "city", _("请填写目的地城市"))
    _required_text(fields, "purpose", _("请填写出访目的"))
    if fields.get("unit") is None:
        raise ValidationError({"unit": _("请选择组织单位")})
    start, end = fields.get("start_on"), fields.get("end_on")
    if start is None:
        raise ValidationError({"start_on": _("请填写出发日期")})
    if end is None:
        raise ValidationError({"end_on": _("请填写返回日期")})
    if end < start:
        raise ValidationError({"end_on": _("返回日期（%(end)s）不能早于出发日期（%(start)s）") % {"end": end, "start": start}})
    _same_zone(zone, unit=fields["unit"])
    for person in team or ():
        _same_zone(zone, team=person)
    fields["region"] = region_of(fields.get("province", ""), zone.province) or "other"


@transaction.atomic
def create_trip(*, zone, actor=None, team=(), **fields) -> Trip:
    unknown = set(fields) - TRIP_FIELDS
    if unknown:
        raise TypeError(f"unknown trip fields: {sorted(unknown)}")
    fields.setdefault("province", "")
    _check_trip(zone, fields, team)
    trip = Trip.objects.create(zone=zone, created_by=actor, **fields)
    if team:
        trip.team.set(team)
    return trip


@transaction.atomic
def update_trip(trip: Trip, *, actor=None, team=None, **changes) -> Trip:
    unknown = set(changes) - TRIP_FIELDS
    if unknown:
        raise TypeError(f"unknown trip fields: {sorted(unknown)}")
    if trip.status == Trip.Status.REPORTED:
        raise ValidationError({"status": _("出访已上报，不能再修改")})
    merged = {field: changes.get(field, getattr(trip, field)) for field in TRIP_FIELDS}
    _check_trip(trip.zone, merged, team)
    for field, value in merged.items():
        setattr(trip, field, value)
    trip.region = merged["region"]
    trip.save()
    if team is not None:
        trip.team.set(team)
    return trip


def _move(trip: Trip, expected: str, to: str, what: str) -> None:
    if trip.status != expected:
        raise ValidationError(
            {"status": _("出访当前为“%(status)s”，不能%(what)s") % {"status": trip.get_status_display(), "what": what}}
        )
    trip.status = to


@transaction.atomic
def submit_trip(trip: Trip, *, actor=None) -> Trip:
    """Ask for approval: the approvers' group robots hear of it."""
    trip = Trip.objects.select_for_update().get(pk=trip.pk)
    if trip.status != Trip.Status.PLANNED:
        raise ValidationError({"status": _("只有计划中的出访可以报批")})
    from zhaoshang.campaigns import notifications

    notifications.broadcast(
        trip.zone, notifications.TRIP_AWAITING_APPROVAL,
        _("外出招商待审批：%(title)s（%(unit)s，%(start)s至%(end)s，%(city)s）")
        % {"title": trip.title, "unit": trip.unit, "start": trip.start_on, "end": trip.end_on, "city": trip.city},
    )
    return trip


@transaction.atomic
def approve_trip(trip: Trip, *, actor=None) -> Trip:
    trip = Trip.objects.select_for_update().get(pk=trip.pk)
    _move(trip, Trip.Status.PLANNED, Trip.Status.APPROVED, _("批准"))
    trip.approved_by, trip.approved_at = actor, timezone.now()
    trip.save()
    return trip


@transaction.atomic
def complete_trip(trip: Trip, *, summary: str, actor=None, today: dt.date | None = None) -> Trip:
    trip = Trip.objects.select_for_update().get(pk=trip.pk)
    today = today or timezone.localdate()
    _move(trip, Trip.Status.APPROVED, Trip.Status.DONE, _("标记完成"))
    if trip.start_on > today:
        raise ValidationError({"status": _("出访尚未开始（%(start)s），不能标记完成") % {"start": trip.start_on}})
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"summary": _("请填写出访总结")})
    trip.summary = summary
    trip.save()
    return trip


@transaction.atomic
def report_trip(trip: Trip, *, actor=None) -> Trip:
    trip = Trip.objects.select_for_update().get(pk=trip.pk)
    _move(trip, Trip.Status.DONE, Trip.Status.REPORTED, _("上报"))
    trip.reported_at = timezone.now()
    trip.save()
    return trip


@transaction.atomic
def add_visit(trip: Trip, *, date: dt.date, company_name: str, discussion: str, actor=None, met_with: str = "",
              enterprise=None, outcome: str = TripVisit.Outcome.NONE, project: Project | None = None,
              lead_name: str = "", lead_amount=None, next_step: str = "", next_date: dt.date | None = None,
              target=None) -> TripVisit:
    """Record a company visited on the trip. Its outcome may be an approach to a company of
    the target pool (written to the target's trail), a follow-up on an existing project
    (written to that project's trail) or a new lead (a project created at the 线索 stage,
    dated the visit's day, credited to the trip)."""
    if trip.status not in (Trip.Status.APPROVED, Trip.Status.DONE):
        raise ValidationError({"trip": _("出访批准后才能记录拜访企业")})
    company_name = (company_name or "").strip()
    if not company_name:
        raise ValidationError({"company_name": _("请填写拜访企业")})
    if not (discussion or "").strip():
        raise ValidationError({"discussion": _("请填写洽谈内容")})
    if date is None or not trip.start_on <= date <= trip.end_on:
        raise ValidationError(
            {"date": _("拜访日期应在出访期间（%(start)s至%(end)s）") % {"start": trip.start_on, "end": trip.end_on}}
        )
    _same_zone(trip.zone, enterprise=enterprise, project=project, target=target)
    visit = TripVisit(trip=trip, date=date, company_name=company_name, enterprise=enterprise, met_with=met_with.strip(),
                      discussion=discussion.strip(), outcome=outcome)
    summary = _("%(trip)s：拜访%(company)s。%(discussion)s") % {"trip": trip.title, "company": company_name, "discussion": discussion.strip()}
    if outcome == TripVisit.Outcome.TARGET:
        if target is None:
            raise ValidationError({"target": _("请选择跟进的目标企业")})
        from zhaoshang.industry.actions import add_target_follow_up

        visit.target = target
        add_target_follow_up(target, date=date, summary=summary, actor=actor, next_step=next_step, next_date=next_date)
    elif outcome == TripVisit.Outcome.FOLLOW_UP:
        if project is None:
            raise ValidationError({"project": _("请选择跟进的项目")})
        visit.project = project
    elif outcome == TripVisit.Outcome.LEAD:
        lead_name = (lead_name or "").strip()
        if not lead_name:
            raise ValidationError({"lead_name": _("请填写新线索的项目名称")})
        if enterprise is None:
            from zhaoshang.enterprises.actions import find_or_create_enterprise

            enterprise, _created = find_or_create_enterprise(zone=trip.zone, name=company_name, actor=actor)
            visit.enterprise = enterprise
        fields = {"investor": enterprise, "responsible_unit": trip.unit, "source_city": trip.city,
                  "source_province": trip.province}
        if lead_amount not in (None, ""):
            fields["total_investment"] = lead_amount
        visit.project = project_actions.create_project(
            zone=trip.zone, name=lead_name, actor=actor, stage=Stage.LEAD, today=date, **fields
        )
        set_project_source(visit.project, kind=Source.TRIP, trip=trip, actor=actor)
    elif outcome != TripVisit.Outcome.NONE:
        raise ValidationError({"outcome": _("成果类型不正确")})
    if visit.project is not None:
        visit.follow_up = project_actions.add_follow_up(
            visit.project, date=date, summary=summary, actor=actor, next_step=next_step, next_date=next_date,
            other_participants=met_with.strip()[:200],
        )
    visit.save()
    return visit


@transaction.atomic
def delete_visit(visit: TripVisit, *, actor=None) -> None:
    if visit.trip.status == Trip.Status.REPORTED:
        raise ValidationError({"trip": _("出访已上报，不能删除拜访记录")})
    visit.delete()


# --------------------------------------------------------------------------- events


def _check_event(zone, fields: dict) -> None:
    _required_text(fields, "title", _("请填写活动名称"))
    _required_text(fields, "place", _("请填写活动地点"))
    if fields.get("kind") not in Event.Kind.values:
        raise ValidationError({"kind": _("请选择活动类型")})
    if fields.get("date") is None:
        raise ValidationError({"date": _("请填写活动日期")})
    _same_zone(zone, organiser=fields.get("organiser"))


@transaction.atomic
def create_event(*, zone, actor=None, **fields) -> Event:
    unknown = set(fields) - EVENT_FIELDS
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    _check_event(zone, fields)
    return Event.objects.create(zone=zone, **fields)


@transaction.atomic
def update_event(event: Event, *, actor=None, **changes) -> Event:
    unknown = set(changes) - EVENT_FIELDS
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    merged = {field: changes.get(field, getattr(event, field)) for field in EVENT_FIELDS}
    _check_event(event.zone, merged)
    for field, value in merged.items():
        setattr(event, field, value)
    event.save()
    return event


@transaction.atomic
def add_event_project(event: Event, *, project: Project, actor=None) -> EventProject:
    """A project signed at the event; a project without another source is credited to it."""
    _same_zone(event.zone, project=project)
    if event.signings.filter(project=project).exists():
        raise ValidationError({"project": _("“%(name)s”已在本活动的签约清单中") % {"name": project}})
    if event.kind == Event.Kind.CEREMONY and project.signed_on is None:
        raise ValidationError({"project": _("“%(name)s”尚未签约，不能列入签约仪式清单") % {"name": project}})
    order = event.signings.count() + 1
    row = EventProject.objects.create(event=event, project=project, order=order)
    if not ProjectSource.objects.filter(project=project).exists():
        set_project_source(project, kind=Source.EVENT, event=event, actor=actor)
    return row


@transaction.atomic
def remove_event_project(row: EventProject, *, actor=None) -> None:
    row.delete()


# --------------------------------------------------------------------------- introducers


@transaction.atomic
def create_introducer(*, zone, actor=None, **fields) -> Introducer:
    unknown = set(fields) - INTRODUCER_FIELDS
    if unknown:
        raise TypeError(f"unknown introducer fields: {sorted(unknown)}")
    _required_text(fields, "name", _("请填写引荐人姓名"))
    fields["organisation"] = (fields.get("organisation") or "").strip()
    if Introducer.objects.filter(zone=zone, name=fields["name"], organisation=fields["organisation"]).exists():
        raise ValidationError({"name": _("引荐人“%(name)s”已登记") % {"name": fields["name"]}})
    return Introducer.objects.create(zone=zone, **fields)


@transaction.atomic
def update_introducer(introducer: Introducer, *, actor=None, **changes) -> Introducer:
    unknown = set(changes) - INTRODUCER_FIELDS
    if unknown:
        raise TypeError(f"unknown introducer fields: {sorted(unknown)}")
    merged = {field: changes.get(field, getattr(introducer, field)) for field in INTRODUCER_FIELDS}
    _required_text(merged, "name", _("请填写引荐人姓名"))
    for field, value in merged.items():
        setattr(introducer, field, value)
    introducer.save()
    return introducer


@transaction.atomic
def create_reward_rule(*, zone, name: str, tiers, actor=None, cap=None, start_within_days=None,
                       fixed_asset_only: bool = True) -> RewardRule:
    """tiers: [(upto 万元 or None for the last band, permille)], in increasing order."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写政策名称")})
    bands = [(None if upto in (None, "") else Decimal(str(upto)), Decimal(str(permille))) for upto, permille in tiers]
    if not bands:
        raise ValidationError({"tiers": _("至少需要一个奖励档位")})
    previous = Decimal("0")
    for index, (upto, permille) in enumerate(bands):
        if permille < 0:
            raise ValidationError({"tiers": _("奖励比例不能为负数")})
        if upto is None and index != len(bands) - 1:
            raise ValidationError({"tiers": _("只有最后一档可以不设上限")})
        if upto is not None and upto <= previous:
            raise ValidationError({"tiers": _("档位上限应逐档递增")})
        previous = upto or previous
    rule = RewardRule.objects.create(zone=zone, name=name, cap=cap, start_within_days=start_within_days,
                                     fixed_asset_only=fixed_asset_only)
    RewardTier.objects.bulk_create([RewardTier(rule=rule, upto=upto, permille=permille) for upto, permille in bands])
    return rule


@transaction.atomic
def record_payment(*, introducer: Introducer, project: Project, amount, paid_on: dt.date, actor=None, rule=None,
                   note: str = "", today: dt.date | None = None) -> RewardPayment:
    """Record a reward paid; never more in all than the rule's computed reward."""
    from zhaoshang.campaigns import rewards

    today = today or timezone.localdate()
    source = ProjectSource.objects.filter(project=project).first()
    if source is None or source.introducer_id != introducer.pk:
        raise ValidationError({"project": _("“%(project)s”未登记为“%(name)s”引荐的项目") % {"project": project, "name": introducer}})
    if paid_on is None or paid_on > today:
        raise ValidationError({"paid_on": _("支付日期不能晚于今天")})
    amount = Decimal(str(amount)).quantize(Decimal("0.01"))
    if amount <= 0:
        raise ValidationError({"amount": _("支付金额应大于零")})
    if rule is not None:
        calculation = rewards.calculate(rule, project, as_of=today)
        if amount > calculation.outstanding:
            raise ValidationError({"amount": _("支付金额（%(amount)s万元）超过尚未支付的应奖金额（%(due)s万元）")
                                   % {"amount": amount, "due": calculation.outstanding}})
    return RewardPayment.objects.create(introducer=introducer, project=project, rule=rule, amount=amount,
                                        paid_on=paid_on, note=note, recorded_by=actor)


# --------------------------------------------------------------------------- sources


@transaction.atomic
def set_project_source(project: Project, *, kind: str, actor=None, trip=None, event=None, introducer=None, target=None,
                       referrer=None, note: str = "") -> ProjectSource:
    """Say where a project came from (replacing what was said before)."""
    if kind not in Source.values:
        raise ValidationError({"kind": _("请选择项目来源")})
    references = {"trip": trip, "event": event, "introducer": introducer, "target": target, "referrer": referrer}
    needed = SOURCE_REFERENCE.get(Source(kind))
    if needed and references[needed] is None:
        label = {"trip": _("外出招商"), "event": _("招商活动"), "introducer": _("引荐人"), "target": _("目标企业"),
                 "referrer": _("推荐企业")}[needed]
        raise ValidationError({needed: _("来源为“%(kind)s”时请选择%(label)s") % {"kind": Source(kind).label, "label": label}})
    kept = {name: (value if name == needed else None) for name, value in references.items()}
    _same_zone(project.zone, **{name: value for name, value in kept.items() if value is not None})
    source, _created = ProjectSource.objects.update_or_create(project=project, defaults={"kind": kind, "note": note, **kept})
    return source


@transaction.atomic
def clear_project_source(project: Project, *, actor=None) -> None:
    ProjectSource.objects.filter(project=project).delete()


# --------------------------------------------------------------------------- group robots


@transaction.atomic
def create_channel(*, zone, name: str, service: str, url: str, actor=None, secret: str = "", events=()) -> WebhookChannel:
    from zhaoshang.campaigns import notifications

    name, url = (name or "").strip(), (url or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写名称")})
    if service not in WebhookChannel.Service.values:
        raise ValidationError({"service": _("请选择服务")})
    if not url.lower().startswith(("https://", "http://")):
        raise ValidationError({"url": _("Webhook 地址应以 https:// 开头")})
    unknown = set(events) - set(notifications.EVENTS)
    if unknown:
        raise ValidationError({"events": _("未知的消息类型：%(names)s") % {"names": "、".join(sorted(unknown))}})
    return WebhookChannel.objects.create(zone=zone, name=name, service=service, url=url, secret=secret.strip(),
                                         events=sorted(events or notifications.EVENTS))


@transaction.atomic
def set_channel_active(channel: WebhookChannel, *, active: bool, actor=None) -> WebhookChannel:
    channel.is_active = active
    channel.save(update_fields=["is_active", "updated_at"])
    return channel
