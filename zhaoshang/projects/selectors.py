"""Reads behind the workbench pages: the project list (filters and figure drill-downs),
its totals, the board, a project's timeline and the workbench's attention lists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext as _

from zhaoshang.core.access import current_zone
from zhaoshang.projects import kpi
from zhaoshang.projects.filters import Attention, ProjectFilter, attention_filter
from zhaoshang.projects.models import FollowUp, FundArrival, Project, StageChange
from zhaoshang.projects.stages import ORDER, Stage

LIST_RELATED = ("investor", "responsible_unit", "chain", "park")
BOARD_STAGES = [*ORDER, Stage.DROPPED]
DRILL_PARAMS = ("figure", "from", "to", "as_of", "pending")


def zone_of(request):
    return current_zone(request)


def zone_projects(request):
    """The projects the user may see (Project.objects.visible_to) in the zone they work in now."""
    zone = zone_of(request)
    projects = Project.objects.visible_to(request.user)
    return projects.filter(zone=zone) if zone is not None else projects.none()


def parse_iso_date(text: str, label: str, errors: list[str]) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        errors.append(_("%(label)s“%(value)s”不是有效日期，应写作 2025-03-05") % {"label": label, "value": text})
        return None


@dataclass
class Drill:
    """A figure drill-down (?figure=…&from=…&to=…&as_of=…): which figure, which period."""

    code: str
    period: kpi.Period
    label: str
    pending: bool = False  # the figure's 待认定 rows instead of the rows it counts

    @property
    def is_arrivals(self) -> bool:
        """Fund figures list projects with the arrivals summed (`arrivals_amount`)."""
        return self.code in ("funds_in_place", "fai_funds_in_place") and not self.pending


def parse_drill(params, errors: list[str]) -> Drill | None:
    code = (params.get("figure") or "").strip()
    if not code:
        return None
    if code not in kpi.DRILL_LABELS:
        errors.append(_("指标“%(code)s”不存在") % {"code": code})
        return None
    start = parse_iso_date(params.get("from", ""), _("起始日期"), errors)
    end = parse_iso_date(params.get("to", ""), _("截止日期"), errors)
    as_of = parse_iso_date(params.get("as_of", ""), _("统计日期"), errors)
    if errors:
        return None
    if start is None or end is None:
        year = (as_of or dt.date.today()).year
        start = start or dt.date(year, 1, 1)
        end = end or dt.date(year, 12, 31)
    try:
        period = kpi.Period(start, end, as_of)
    except ValueError:
        errors.append(_("起始日期（%(start)s）晚于截止日期（%(end)s）") % {"start": start, "end": end})
        return None
    pending = params.get("pending") == "1"
    label = str(kpi.DRILL_LABELS[code]) + (_("（待认定）") if pending else "")
    return Drill(code=code, period=period, label=label, pending=pending)


@dataclass
class ProjectRows:
    filterset: ProjectFilter
    queryset: object
    drill: Drill | None = None
    errors: list[str] = field(default_factory=list)


def project_rows(request, params=None, today: dt.date | None = None) -> ProjectRows:
    """The rows of the project list for these GET parameters: the viewer's projects in their
    zone, narrowed to a figure's rows when `figure` is given, then filtered and sorted."""
    params = request.GET if params is None else params
    base = zone_projects(request)
    errors: list[str] = []
    drill = parse_drill(params, errors)
    if drill is not None and drill.pending:
        base = kpi.pending_behind(drill.code, base, drill.period)
    elif drill is not None:
        base = kpi.projects_behind(drill.code, base, drill.period)
    elif errors:
        base = base.none()
    filterset = ProjectFilter(params, queryset=base, request=request, today=today)
    queryset = filterset.qs
    if filterset.form.errors:
        for name, messages in filterset.form.errors.items():
            label = filterset.form.fields[name].label if name in filterset.form.fields else name
            errors.extend(f"{label}：{message}" for message in messages)
    return ProjectRows(filterset=filterset, queryset=queryset, drill=drill, errors=errors)


def totals(queryset, with_arrivals: bool = False) -> dict:
    """Count and Σ planned investment (万元) of the rows; one query."""
    aggregates = {"count": Count("pk"), "investment": Sum("total_investment")}
    if with_arrivals:
        aggregates["arrivals"] = Sum("arrivals_amount")
    rows = queryset.order_by().aggregate(**aggregates)
    rows["investment"] = rows["investment"] or kpi.ZERO
    if with_arrivals:
        rows["arrivals"] = rows["arrivals"] or kpi.ZERO
    return rows


def board_columns(queryset, per_column: int = 30) -> list[dict]:
    """One column per stage with its count and Σ investment, and its largest projects."""
    sums = {row["stage"]: row for row in queryset.order_by().values("stage").annotate(count=Count("pk"), investment=Sum("total_investment"))}
    columns = []
    for stage in BOARD_STAGES:
        row = sums.get(stage, {})
        cards = []
        if row.get("count"):
            cards = list(
                queryset.filter(stage=stage).select_related("investor", "responsible_unit").order_by("-total_investment", "pk")[:per_column]
            )
        columns.append({
            "stage": stage, "label": Stage(stage).label, "count": row.get("count", 0),
            "investment": row.get("investment") or kpi.ZERO, "cards": cards,
            "more": max(row.get("count", 0) - per_column, 0),
        })
    return columns


# --- one project's timeline ----------------------------------------------------------


@dataclass
class Event:
    kind: str          # stage | follow_up | fund | ticket | edit
    date: dt.date
    at: dt.datetime | None
    title: str
    body: str = ""
    who: str = ""
    obj: object = None
    details: list = field(default_factory=list)


def _user_label(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _ticket_events(project, user=None) -> list[Event]:
    from django.apps import apps

    if not apps.is_installed("zhaoshang.tickets"):
        return []
    try:
        Ticket = apps.get_model("tickets", "Ticket")
    except LookupError:
        return []
    if not any(f.name == "project" for f in Ticket._meta.get_fields()):
        return []
    tickets = Ticket.objects.visible_to(user) if user is not None and hasattr(Ticket.objects, "visible_to") else Ticket.objects
    events = []
    for ticket in tickets.filter(project=project).order_by("-created_at")[:100]:
        title = str(getattr(ticket, "title", "") or ticket)
        status = ticket.get_status_display() if hasattr(ticket, "get_status_display") else ""
        events.append(Event(
            kind="ticket", date=_local_date(ticket.created_at), at=ticket.created_at,
            title=_("服务诉求：%(title)s") % {"title": title}, body=status, obj=ticket,
        ))
    return events


def _edit_events(project, user=None) -> list[Event]:
    """Edits of the project's facts from the change log (stage moves and the parts have
    their own rows), named and masked by core.history."""
    from zhaoshang.core import history
    from zhaoshang.core.models import ChangeRecord

    records = list(
        ChangeRecord.objects.for_object(project).filter(action=ChangeRecord.Action.UPDATE, parent_id="")
        .select_related("content_type").order_by("-timestamp", "-id")[:100]
    )
    allowed = user is None or _sees_contacts(user, project)
    events = []
    for entry in history.describe(records, contacts_allowed=allowed, within=project):
        details = [(c.label, c.before, c.after) for c in entry.changes if c.field not in EDIT_SKIP]
        if not details:
            continue
        events.append(Event(kind="edit", date=_local_date(entry.timestamp), at=entry.timestamp, title=_("修改项目信息"),
                            who=entry.who, details=details))
    return events


EDIT_SKIP = {"version", "stage", "signed_on", "started_on", "producing_on", "dropped_on", "drop_reason", "source_region"}


def _sees_contacts(user, project) -> bool:
    from zhaoshang.projects.permissions import sees_contacts

    return sees_contacts(user, project)


def _local_date(moment: dt.datetime) -> dt.date:
    from django.utils import timezone

    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def timeline(project, user=None) -> list[Event]:
    """Stage changes, follow-ups, fund arrivals, tickets and edits, newest first."""
    events = []
    for change in project.stage_changes.select_related("recorded_by").order_by("-date", "-id"):
        title = (_("%(from)s → %(to)s") % {"from": change.get_from_stage_display(), "to": change.get_to_stage_display()}
                 if change.from_stage else _("进入%(stage)s阶段") % {"stage": change.get_to_stage_display()})
        if change.is_backward:
            title += _("（回退）")
        events.append(Event(kind="stage", date=change.date, at=change.created_at, title=title, body=change.reason,
                            who=_user_label(change.recorded_by), obj=change))
    follow_ups = project.follow_ups.select_related("recorded_by").prefetch_related("participants").order_by("-date", "-id")
    for item in follow_ups:
        events.append(Event(kind="follow_up", date=item.date, at=item.created_at,
                            title=_("跟进（%(kind)s）") % {"kind": item.get_kind_display()}, body=item.summary,
                            who=_user_label(item.recorded_by), obj=item))
    for arrival in project.fund_arrivals.select_related("recorded_by").order_by("-date", "-id"):
        events.append(Event(kind="fund", date=arrival.date, at=arrival.created_at,
                            title=_("资金到位 %(amount)s") % {"amount": kpi.format_amount(arrival.amount, "万元")},
                            body=arrival.note, who=_user_label(arrival.recorded_by), obj=arrival))
    for correction in project.date_corrections.select_related("corrected_by"):
        events.append(Event(
            kind="correction", date=_local_date(correction.created_at), at=correction.created_at,
            title=_("更正%(stage)s日期：%(old)s → %(new)s") % {
                "stage": correction.get_stage_display(), "old": correction.old_date.isoformat(), "new": correction.new_date.isoformat()},
            body=_("原因：%(reason)s") % {"reason": correction.reason}, who=_user_label(correction.corrected_by), obj=correction,
        ))
    events.extend(_ticket_events(project, user))
    events.extend(_edit_events(project, user))
    epoch = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    events.sort(key=lambda e: (e.date, e.at or epoch), reverse=True)
    return events


def project_facts(project) -> dict:
    arrivals = project.fund_arrivals.aggregate(total=Sum("amount"), last=Max("date"))
    last_follow_up = project.follow_ups.aggregate(last=Max("date"))["last"]
    total = arrivals["total"] or kpi.ZERO
    rate = (total / project.total_investment).quantize(kpi.RATE_PLACES) if project.total_investment else None
    return {"arrivals_total": total, "arrivals_last": arrivals["last"], "funds_rate": rate, "last_follow_up": last_follow_up}


# --- the workbench -------------------------------------------------------------------


def attention_lists(projects, today: dt.date, limit: int = 10) -> list[dict]:
    """The user's projects that need attention, one list per reason, each with its count.
    Each reason costs one pass for the ordered ids (hence the count) and one small query
    for the first `limit` rows with their latest follow-up."""
    lists = []
    latest_follow_up = FollowUp.objects.filter(project=OuterRef("pk")).order_by("-date", "-id")
    orderings = {Attention.DUE: ("next_due", "pk"), Attention.STALE: ("updated_at", "pk"), Attention.LATE_START: ("planned_start_on", "pk")}
    for key, label in Attention.CHOICES:
        rows = attention_filter(projects, key, today)
        ids = list(rows.order_by(*orderings[key]).values_list("pk", flat=True))
        first = ids[:limit]
        by_pk = {
            p.pk: p for p in Project.objects.filter(pk__in=first).select_related("responsible_unit").annotate(
                last_follow_up=Subquery(latest_follow_up.values("date")[:1]),
                last_next_step=Subquery(latest_follow_up.values("next_step")[:1]),
                last_next_date=Subquery(latest_follow_up.values("next_date")[:1]),
            )
        } if first else {}
        items = [by_pk[pk] for pk in first if pk in by_pk]
        lists.append({"key": key, "label": label, "count": len(ids), "items": items})
    return lists


def changes_since(projects, marks: dict | None, exclude_user=None, limit: int = 30) -> list[Event]:
    """Stage changes, follow-ups and fund arrivals recorded on these projects by someone
    else after the record marks of the user's previous visit (see actions.record_visit),
    newest first. Found by primary-key range, so the cost follows the number of new rows."""
    if marks is None:
        return []
    events = []
    others = ~Q(recorded_by=exclude_user) if exclude_user is not None else Q()
    ids = projects.values("pk")

    def new_rows(model, key):
        return (model.objects.filter(others, pk__gt=marks.get(key, 0), project__in=ids)
                .select_related("project", "recorded_by").order_by("-pk")[:limit])

    for change in new_rows(StageChange, "stage"):
        events.append(Event(kind="stage", date=change.date, at=change.created_at, obj=change,
                            title=_("%(project)s：%(from)s → %(to)s") % {
                                "project": change.project.name, "from": change.get_from_stage_display() or "—",
                                "to": change.get_to_stage_display()},
                            who=_user_label(change.recorded_by)))
    for item in new_rows(FollowUp, "follow_up"):
        events.append(Event(kind="follow_up", date=item.date, at=item.created_at, obj=item,
                            title=_("%(project)s：新增跟进（%(kind)s）") % {"project": item.project.name, "kind": item.get_kind_display()},
                            body=item.summary, who=_user_label(item.recorded_by)))
    for arrival in new_rows(FundArrival, "fund"):
        events.append(Event(kind="fund", date=arrival.date, at=arrival.created_at, obj=arrival,
                            title=_("%(project)s：资金到位 %(amount)s") % {
                                "project": arrival.project.name, "amount": kpi.format_amount(arrival.amount, "万元")},
                            who=_user_label(arrival.recorded_by)))
    events.sort(key=lambda e: e.at, reverse=True)
    return events[:limit]


# Parameters that are not part of a saved filter: the page number, htmx's own.
NOT_SAVED = {"page", "csrfmiddlewaretoken", "_"}


def clean_query(query: str) -> str:
    pairs = [(k, v) for k, v in parse_qsl(query or "", keep_blank_values=False) if k not in NOT_SAVED and v != ""]
    return urlencode(pairs)


def current_marks() -> dict:
    """The highest id of each kind of record now (three index look-ups)."""
    from zhaoshang.projects.models import FollowUp, FundArrival, StageChange

    return {
        name: model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        for name, model in (("stage", StageChange), ("follow_up", FollowUp), ("fund", FundArrival))
    }
