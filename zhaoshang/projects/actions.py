"""Every write to projects, their stages, follow-ups and fund arrivals goes through here.

The stage rules live in this module and nowhere else:
- a forward move needs its date, and a dated stage needs the dates before it;
- dates never run backwards (signed ≤ started ≤ producing, and no move is dated before
  the project's latest date);
- a project can be dropped from any stage, with a date and a reason;
- moving back (or reviving a dropped project) needs a reason and is recorded as such.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.core.models import Zone
from zhaoshang.projects.models import FollowUp, FundArrival, Project, SavedFilter, StageChange, WorkbenchVisit
from zhaoshang.projects.regions import region_of
from zhaoshang.projects.stages import DATE_FIELD, DATED_STAGES, RANK, Stage, stage_from_dates

EDITABLE_FIELDS = {
    "code", "name", "investor", "contact_person", "contact_phone", "cluster", "chain", "industry_label", "kind",
    "total_investment", "is_fixed_asset", "source_province", "source_city", "responsible_unit", "park",
    "signed_on", "planned_start_on", "started_on", "producing_on", "drop_reason", "notes", "category", "extra",
}
ZONED_RELATIONS = ("investor", "cluster", "chain", "responsible_unit", "park")


class ConcurrentUpdate(Exception):
    """The project changed since the editor loaded it; nothing was saved."""

    def __init__(self, current: Project):
        super().__init__(_("项目已被他人修改，请刷新后重试"))
        self.current = current


def _stage_label(stage) -> str:
    return Stage(stage).label


def _check_amount(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("金额“%(value)s”无法识别") % {"value": value}}) from None
    if amount < 0:
        raise ValidationError({field: _("金额不能为负数")})
    return amount.quantize(Decimal("0.01"))


# The dated stages with their date field and rank, looked up once: the ledger import runs
# the checks below on every row.
_DATED = [(stage, DATE_FIELD[stage], RANK[stage]) for stage in DATED_STAGES]
_DATES_IN_ORDER = [(stage, DATE_FIELD[stage]) for stage in (*DATED_STAGES, Stage.DROPPED)]


def check_date_order(project: Project) -> None:
    """signed ≤ started ≤ producing, and a drop is not before any of them. (Public: the
    ledger's bulk import checks its rows with the same rules before inserting them.)"""
    previous = None
    for stage, field in _DATES_IN_ORDER:
        value = getattr(project, field)
        if value is None:
            continue
        if previous and value < previous[1]:
            raise ValidationError(
                {
                    field: _("%(later)s日期（%(date)s）不能早于%(earlier)s日期（%(earlier_date)s）")
                    % {
                        "later": _stage_label(stage),
                        "date": value.isoformat(),
                        "earlier": _stage_label(previous[0]),
                        "earlier_date": previous[1].isoformat(),
                    }
                }
            )
        previous = (stage, value)


def check_dates_match_stage(project: Project) -> None:
    """A dated stage needs its date and those before it; no date for a stage not reached."""
    reached = project.stage
    if reached == Stage.DROPPED:
        if not project.dropped_on:
            raise ValidationError({"dropped_on": _("终止项目需填写终止日期")})
        if not project.drop_reason:
            raise ValidationError({"drop_reason": _("终止项目需填写终止原因")})
        return
    reached_rank = RANK[reached]
    for stage, field, rank in _DATED:
        value = getattr(project, field)
        if rank <= reached_rank and value is None:
            raise ValidationError(
                {field: _("项目处于%(stage)s阶段，需填写%(date_stage)s日期") % {"stage": _stage_label(reached), "date_stage": _stage_label(stage)}}
            )
        if rank > reached_rank and value is not None:
            raise ValidationError(
                {field: _("项目尚未%(date_stage)s，不能填写%(date_stage)s日期；请办理阶段变更") % {"date_stage": _stage_label(stage)}}
            )


def _check_zone(project: Project, leaders=()) -> None:
    for field in ZONED_RELATIONS:
        related = getattr(project, field)
        if related is not None and related.zone_id != project.zone_id:
            raise ValidationError({field: _("“%(name)s”不属于本园区") % {"name": related}})
    for leader in leaders:
        if leader.zone_id != project.zone_id:
            raise ValidationError({"leaders": _("“%(name)s”不属于本园区") % {"name": leader}})
    if project.chain_id and project.cluster_id and project.chain.cluster_id != project.cluster_id:
        raise ValidationError({"chain": _("产业链“%(chain)s”不属于产业集群“%(cluster)s”") % {"chain": project.chain, "cluster": project.cluster}})


def _derive(project: Project) -> None:
    if project.chain_id and not project.cluster_id:
        project.cluster_id = project.chain.cluster_id
    project.source_region = region_of(project.source_province, project.zone.province)


def next_code(zone: Zone, year: int) -> str:
    prefix = f"{zone.code.upper()}-{year}-"
    existing = Project.objects.filter(zone=zone, code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(code[len(prefix):]) for code in existing if code[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def initial_stage_history(project: Project, created_on: dt.date):
    """The stage-change rows a new project starts with: one for each stage its dates show."""
    if project.stage == Stage.LEAD:
        return [(Stage.LEAD, created_on)]
    rows = [(Stage.NEGOTIATING, min(filter(None, [project.signed_on, created_on])))]
    for stage, field, _rank in _DATED:
        date = getattr(project, field)
        if date:
            rows.append((stage, date))
    if project.stage == Stage.DROPPED:
        rows.append((Stage.DROPPED, project.dropped_on))
    return rows


@transaction.atomic
def create_project(*, zone: Zone, actor=None, leaders=(), stage: str | None = None, today: dt.date | None = None, **fields) -> Project:
    """Create a project. The stage defaults to what its dates show; when a stage is given
    and the dates show a later one, the dates win."""
    unknown = set(fields) - EDITABLE_FIELDS - {"dropped_on"}
    if unknown:
        raise TypeError(f"unknown project fields: {sorted(unknown)}")
    today = today or timezone.localdate()
    if not (fields.get("name") or "").strip():
        raise ValidationError({"name": _("项目名称不能为空")})
    fields["name"] = fields["name"].strip()
    if "total_investment" in fields:
        fields["total_investment"] = _check_amount(fields["total_investment"], "total_investment")
    project = Project(zone=zone, **fields)
    from_dates = stage_from_dates(project.signed_on, project.started_on, project.producing_on, default=None)
    if stage == Stage.DROPPED:
        project.stage = Stage.DROPPED
    elif from_dates and (stage is None or RANK[from_dates] > RANK[Stage(stage)]):
        project.stage = from_dates
    else:
        project.stage = stage or Stage.LEAD
    if not project.code:
        project.code = next_code(zone, (project.signed_on or today).year)
    elif Project.objects.filter(zone=zone, code=project.code).exists():
        raise ValidationError({"code": _("项目编号“%(code)s”已存在") % {"code": project.code}})
    _check_zone(project, leaders)
    check_dates_match_stage(project)
    check_date_order(project)
    _derive(project)
    project.save()
    if leaders:
        project.leaders.set(leaders)
    previous = ""
    for to_stage, date in initial_stage_history(project, today):
        StageChange.objects.create(project=project, from_stage=previous, to_stage=to_stage, date=date, recorded_by=actor)
        previous = to_stage
    return project


@transaction.atomic
def update_project(project: Project, *, actor=None, expected_version: int | None = None, leaders=None, **changes) -> Project:
    """Change a project's facts. Stages move only through change_stage(); dates of
    stages already reached may be corrected here, in order."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"fields not editable here: {sorted(unknown)}")
    current = Project.objects.select_for_update().get(pk=project.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConcurrentUpdate(current)
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
        if not changes["name"]:
            raise ValidationError({"name": _("项目名称不能为空")})
    if "total_investment" in changes:
        changes["total_investment"] = _check_amount(changes["total_investment"], "total_investment")
    if changes.get("code") and changes["code"] != current.code:
        if Project.objects.filter(zone_id=current.zone_id, code=changes["code"]).exists():
            raise ValidationError({"code": _("项目编号“%(code)s”已存在") % {"code": changes["code"]}})
    for field, value in changes.items():
        setattr(current, field, value)
    if "chain" in changes and "cluster" not in changes and current.chain_id:
        current.cluster_id = current.chain.cluster_id
    _check_zone(current, leaders or ())
    check_dates_match_stage(current)
    check_date_order(current)
    _derive(current)
    current.version += 1
    current.save()
    if leaders is not None:
        current.leaders.set(leaders)
    return current


def _latest_date(project: Project) -> dt.date | None:
    dates = [getattr(project, field) for field in DATE_FIELD.values() if getattr(project, field)]
    last_change = project.stage_changes.order_by("-date").values_list("date", flat=True).first()
    if last_change:
        dates.append(last_change)
    return max(dates, default=None)


@transaction.atomic
def change_stage(project: Project, *, to_stage: str, on: dt.date | None, actor=None, reason: str = "") -> StageChange:
    """Move a project to another stage under the stage rules; returns the recorded row."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    to_stage = Stage(to_stage)
    current = Stage(project.stage)
    reason = (reason or "").strip()
    if to_stage == current:
        raise ValidationError({"to_stage": _("项目已处于%(stage)s阶段") % {"stage": _stage_label(current)}})
    if on is None:
        raise ValidationError({"on": _("请填写%(stage)s日期") % {"stage": _stage_label(to_stage)}})
    latest = _latest_date(project)

    if to_stage == Stage.DROPPED:
        if not reason:
            raise ValidationError({"reason": _("终止项目需填写原因")})
        if latest and on < latest:
            raise ValidationError({"on": _("终止日期（%(on)s）不能早于项目最近日期（%(latest)s）") % {"on": on, "latest": latest}})
        project.dropped_on, project.drop_reason = on, reason
        backward = False
    elif current == Stage.DROPPED or RANK[to_stage] < RANK[current]:
        if not reason:
            raise ValidationError({"reason": _("阶段回退或恢复终止项目需填写原因")})
        if latest and on < latest:
            raise ValidationError({"on": _("变更日期（%(on)s）不能早于项目最近日期（%(latest)s）") % {"on": on, "latest": latest}})
        for stage in DATED_STAGES:
            field = DATE_FIELD[stage]
            if RANK[stage] > RANK[to_stage]:
                setattr(project, field, None)
            elif getattr(project, field) is None:
                # Reviving a dropped project straight into a dated stage dates it now.
                setattr(project, field, on)
        project.dropped_on, project.drop_reason = None, ""
        backward = True
    else:
        for stage in DATED_STAGES:
            if RANK[current] < RANK[stage] < RANK[to_stage] and getattr(project, DATE_FIELD[stage]) is None:
                raise ValidationError(
                    {"to_stage": _("项目尚未%(missing)s，不能直接进入%(stage)s阶段") % {"missing": _stage_label(stage), "stage": _stage_label(to_stage)}}
                )
        if latest and on < latest:
            raise ValidationError(
                {"on": _("%(stage)s日期（%(on)s）不能早于项目最近日期（%(latest)s）") % {"stage": _stage_label(to_stage), "on": on, "latest": latest}}
            )
        if to_stage in DATE_FIELD:
            setattr(project, DATE_FIELD[to_stage], on)
        backward = False

    from_stage = project.stage
    project.stage = to_stage
    check_date_order(project)
    project.version += 1
    project.save()
    return StageChange.objects.create(
        project=project, from_stage=from_stage, to_stage=to_stage, date=on, reason=reason, is_backward=backward, recorded_by=actor
    )


@transaction.atomic
def add_follow_up(project: Project, *, date: dt.date, summary: str, actor=None, kind: str = FollowUp.Kind.VISIT,
                  next_step: str = "", next_date: dt.date | None = None, participants=(), other_participants: str = "") -> FollowUp:
    if not (summary or "").strip():
        raise ValidationError({"summary": _("请填写情况摘要")})
    if date is None:
        raise ValidationError({"date": _("请填写跟进日期")})
    if next_date and next_date < date:
        raise ValidationError({"next_date": _("下步日期不能早于本次跟进日期")})
    for person in participants:
        if person.zone_id != project.zone_id:
            raise ValidationError({"participants": _("“%(name)s”不属于本园区") % {"name": person}})
    follow_up = FollowUp.objects.create(
        project=project, date=date, kind=kind, summary=summary.strip(), next_step=next_step, next_date=next_date,
        other_participants=other_participants, recorded_by=actor,
    )
    if participants:
        follow_up.participants.set(participants)
    return follow_up


@transaction.atomic
def add_fund_arrival(project: Project, *, date: dt.date, amount, actor=None, note: str = "") -> FundArrival:
    if date is None:
        raise ValidationError({"date": _("请填写到位日期")})
    amount = _check_amount(amount, "amount")
    if amount == 0:
        raise ValidationError({"amount": _("到位金额应大于零")})
    return FundArrival.objects.create(project=project, date=date, amount=amount, note=note, recorded_by=actor)


@transaction.atomic
def delete_follow_up(follow_up: FollowUp, *, actor=None) -> None:
    follow_up.delete()


@transaction.atomic
def delete_fund_arrival(arrival: FundArrival, *, actor=None) -> None:
    arrival.delete()


# The workbench's own records: a user's saved list filters and their last visit.


@transaction.atomic
def save_filter(*, user, zone, name: str, query: str) -> SavedFilter:
    """Save (or replace) the user's filter of this name in the zone."""
    from zhaoshang.projects.selectors import clean_query

    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请为筛选命名")})
    if len(name) > 60:
        raise ValidationError({"name": _("名称不能超过60个字")})
    saved, _created = SavedFilter.objects.update_or_create(
        user=user, zone=zone, name=name, defaults={"query": clean_query(query)[:1000]}
    )
    return saved


@transaction.atomic
def delete_filter(saved: SavedFilter, *, user) -> None:
    if saved.user_id != user.pk:
        raise PermissionError("not the owner of this saved filter")
    saved.delete()


def record_visit(user, *, new_session: bool, now: dt.datetime | None = None):
    """Note a visit to the workbench; returns (when the previous visit was, the record
    marks of that visit) — what changed since is what lies beyond those marks. A new
    session moves the marks; reloads within one session keep them."""
    from zhaoshang.projects import selectors

    now = now or timezone.now()
    visit = WorkbenchVisit.objects.filter(user=user).first()
    if visit is None:
        WorkbenchVisit.objects.create(user=user, previous_at=None, last_at=now, last_marks=selectors.current_marks())
        return None, {}
    if new_session:
        visit.previous_at, visit.previous_marks = visit.last_at, visit.last_marks
        visit.last_at, visit.last_marks = now, selectors.current_marks()
        visit.save(update_fields=["previous_at", "previous_marks", "last_at", "last_marks"])
    return visit.previous_at, visit.previous_marks or {}


def create_category(*, zone: Zone, name: str):
    """A 项目类别 for the zone's list (ledger imports add the ones their ledgers name)."""
    from zhaoshang.projects.models import ProjectCategory

    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("项目类别不能为空")})
    category, _created = ProjectCategory.objects.get_or_create(zone=zone, name=name[:30])
    return category
