"""Every write to projects, their stages, follow-ups and fund arrivals goes through here.

The stage rules live in this module and nowhere else:
- a forward move needs its date, and a dated stage needs the dates before it;
- dates never run backwards (signed ≤ started ≤ producing, and no move is dated before
  the project's latest date);
- a project can be dropped from any stage, with a date and a reason;
- moving back (or reviving a dropped project) needs a reason and is recorded as such.

One date model: the dated facts (stage-change rows, follow-ups, fund arrivals) are the
source of a project's dates; Project.signed_on/started_on/producing_on/dropped_on are
copies kept in step here only. A stage date is corrected by correct_stage_date(), which
logs who, when, old → new and why. The date rules themselves are in projects.rules, the
stage-dependent required fields in projects.requirements.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.core import numbering, validators
from zhaoshang.core.models import Zone
from zhaoshang.projects import requirements, rules
from zhaoshang.projects.models import (
    DateCorrection, FollowUp, FundArrival, Project, SavedFilter, StageChange, WorkbenchVisit,
)
from zhaoshang.projects.regions import region_of
from zhaoshang.projects.stages import DATE_FIELD, DATED_STAGES, ORDER, RANK, Stage, stage_from_dates
from zhaoshang.review import actions as review_actions

# What the edit form and the API may change. Stage dates are not among them: they change
# with the stage (change_stage) or by a logged correction (correct_stage_date).
EDITABLE_FIELDS = {
    "code", "name", "investor", "contact_person", "contact_phone", "cluster", "chain", "industry_label", "kind",
    "total_investment", "is_fixed_asset", "source_province", "source_city", "responsible_unit", "park",
    "planned_start_on", "drop_reason", "notes", "parent", "phase", "category", "extra",
}
STAGE_DATE_FIELDS = {"signed_on", "started_on", "producing_on", "dropped_on"}
# Dates a new project may be given for the stages that have no copy on the project.
HISTORY_FIELDS = {"lead_on", "negotiating_on"}
ZONED_RELATIONS = ("investor", "cluster", "chain", "responsible_unit", "park")


class ConcurrentUpdate(Exception):
    """The project changed since the editor loaded it; nothing was saved."""

    def __init__(self, current: Project):
        super().__init__(_("项目已被他人修改，请刷新后重试"))
        self.current = current


def _stage_label(stage) -> str:
    return Stage(stage).label


def _check_amount(value, field: str) -> Decimal:
    return validators.amount(value, field)


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
    if project.parent_id is not None:
        parent = project.parent
        if parent.zone_id != project.zone_id:
            raise ValidationError({"parent": _("“%(name)s”不属于本园区") % {"name": parent}})
        if parent.pk == project.pk or parent.parent_id is not None:
            raise ValidationError({"parent": _("所属总项目不能是本项目或另一个项目的分期")})
        if not (project.phase or "").strip():
            raise ValidationError({"phase": _("标明所属总项目时请填写分期，如“一期”")})
    if project.chain_id and project.cluster_id and project.chain.cluster_id != project.cluster_id:
        raise ValidationError({"chain": _("产业链“%(chain)s”不属于产业集群“%(cluster)s”") % {"chain": project.chain, "cluster": project.cluster}})


def _derive(project: Project) -> None:
    if project.chain_id and not project.cluster_id:
        project.cluster_id = project.chain.cluster_id
    project.source_region = region_of(project.source_province, project.zone.province)


def next_code(zone: Zone, year: int) -> str:
    return numbering.next_code(zone, "project", year, f"{zone.code.upper()}-{year}-", Project)


def initial_stage_history(project: Project, created_on: dt.date, lead_on: dt.date | None = None,
                          negotiating_on: dt.date | None = None):
    """The stage-change rows a new project starts with: one for each stage it reached, on
    the date given for it. 线索 is dated lead_on, else the project's earliest date, else
    created_on; 在谈 negotiating_on, else its earliest dated stage, else created_on."""
    dated = [getattr(project, field) for _stage, field, _rank in _DATED if getattr(project, field)]
    if project.stage == Stage.LEAD:
        return [(Stage.LEAD, lead_on or negotiating_on or min(dated, default=created_on))]
    rows = []
    if lead_on:
        rows.append((Stage.LEAD, lead_on))
    rows.append((Stage.NEGOTIATING, negotiating_on or min(dated, default=max(created_on, lead_on or created_on))))
    for stage, field, _rank in _DATED:
        date = getattr(project, field)
        if date:
            rows.append((stage, date))
    if project.stage == Stage.DROPPED:
        rows.append((Stage.DROPPED, project.dropped_on))
    return rows


def check_requirements(project, stage=None, *, only=None) -> None:
    """The stage-dependent required fields (projects.requirements) of `project` in `stage`
    (default: its own). Forms and API call the actions with enforce_requirements=True."""
    stage = stage or project.stage
    if stage == Stage.DROPPED:
        return
    requirements.check(stage, project, only=only)


@transaction.atomic
def create_project(*, zone: Zone, actor=None, leaders=(), stage: str | None = None, today: dt.date | None = None,
                   lead_on: dt.date | None = None, negotiating_on: dt.date | None = None,
                   enforce_requirements: bool = False, **fields) -> Project:
    """Create a project with its real past: its stages dated in order (lead_on,
    negotiating_on, signed_on, started_on, producing_on, dropped_on), none after today.
    The stage defaults to what its dates show; when a stage is given and the dates show a
    later one, the dates win. `today` is the day the project is entered (the 线索/在谈 date
    when no earlier date is given); the future check uses the real date."""
    unknown = set(fields) - EDITABLE_FIELDS - STAGE_DATE_FIELDS
    if unknown:
        raise TypeError(f"unknown project fields: {sorted(unknown)}")
    real_today = timezone.localdate()
    today = min(today or real_today, real_today)
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
    elif stage is None and negotiating_on:
        project.stage = Stage.NEGOTIATING
    else:
        project.stage = stage or Stage.LEAD
    if project.stage == Stage.LEAD and negotiating_on:
        project.stage = Stage.NEGOTIATING
    if not project.code:
        project.code = next_code(zone, (project.signed_on or today).year)
    elif Project.objects.filter(zone=zone, code=project.code).exists():
        raise ValidationError({"code": _("项目编号“%(code)s”已存在") % {"code": project.code}})
    _check_zone(project, leaders)
    check_dates_match_stage(project)
    rules.check_fact_dates(
        lead_on=lead_on, negotiating_on=negotiating_on, signed_on=project.signed_on, started_on=project.started_on,
        producing_on=project.producing_on, dropped_on=project.dropped_on, today=real_today,
    )
    check_date_order(project)
    if enforce_requirements:
        check_requirements(project)
    _derive(project)
    project.save()
    if leaders:
        project.leaders.set(leaders)
    previous = ""
    for to_stage, date in initial_stage_history(project, today, lead_on, negotiating_on):
        StageChange.objects.create(project=project, from_stage=previous, to_stage=to_stage, date=date, recorded_by=actor)
        previous = to_stage
    review_actions.record_created_claims(project, actor=actor)
    return project


@transaction.atomic
def update_project(project: Project, *, actor=None, expected_version: int | None = None, leaders=None,
                   enforce_requirements: bool = False, correction_reason: str = "", **changes) -> Project:
    """Change a project's facts. Stages move only through change_stage(). Stage dates
    (signed_on …) are not edited here: given (the ledger import does), each becomes a
    logged correct_stage_date() with `correction_reason`."""
    unknown = set(changes) - EDITABLE_FIELDS - STAGE_DATE_FIELDS
    if unknown:
        raise TypeError(f"fields not editable here: {sorted(unknown)}")
    corrections = {field: changes.pop(field) for field in list(changes) if field in STAGE_DATE_FIELDS}
    current = Project.objects.select_for_update().get(pk=project.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConcurrentUpdate(current)
    for field, new_date in corrections.items():
        if getattr(current, field) == new_date:
            continue
        stage = next(stage for stage, name in DATE_FIELD.items() if name == field)
        row = current.stage_changes.filter(to_stage=stage, date=getattr(current, field)).order_by("-id").first()
        if getattr(current, field) is None:
            raise ValidationError({field: _("项目尚未%(date_stage)s，不能填写%(date_stage)s日期；请办理阶段变更") % {"date_stage": _stage_label(stage)}})
        if row is None or new_date is None:
            raise ValidationError({field: _("%(stage)s日期只能通过阶段变更或日期更正修改") % {"stage": _stage_label(stage)}})
        try:
            correct_stage_date(row, new_date, correction_reason or _("按台账更正"), actor)
        except ValidationError as error:
            # Named after the date field the caller gave, not the correction's own fields.
            raise ValidationError({field: error.messages}) from None
        current = Project.objects.select_for_update().get(pk=project.pk)
    if not changes and leaders is None:
        return current
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
        if not changes["name"]:
            raise ValidationError({"name": _("项目名称不能为空")})
    if "total_investment" in changes:
        changes["total_investment"] = _check_amount(changes["total_investment"], "total_investment")
    if changes.get("code") and changes["code"] != current.code:
        if Project.objects.filter(zone_id=current.zone_id, code=changes["code"]).exists():
            raise ValidationError({"code": _("项目编号“%(code)s”已存在") % {"code": changes["code"]}})
    changed = {field for field, value in changes.items() if getattr(current, field) != value}
    for field, value in changes.items():
        setattr(current, field, value)
    if "chain" in changes and "cluster" not in changes and current.chain_id:
        current.cluster_id = current.chain.cluster_id
    _check_zone(current, leaders or ())
    check_dates_match_stage(current)
    check_date_order(current)
    if enforce_requirements:
        # Only what this edit changes: a project entered before the table existed can
        # still be edited, but nobody can blank a field its stage needs.
        check_requirements(current, only=changed)
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


def close_next_steps(project: Project, on: dt.date) -> int:
    """Close the open next steps of follow-ups dated by `on`: the stage change of that day
    made them obsolete (下步：安排签约 on a signed project). Returns how many."""
    closing = project.follow_ups.filter(next_step_closed_on__isnull=True, date__lte=on).exclude(next_step="", next_date=None)
    count = 0
    for follow_up in closing:
        follow_up.next_step_closed_on = on
        follow_up.save(update_fields=["next_step_closed_on", "updated_at"])
        count += 1
    return count


@transaction.atomic
def change_stage(project: Project, *, to_stage: str, on: dt.date | None, actor=None, reason: str = "",
                 enforce_requirements: bool = False) -> StageChange:
    """Move a project to another stage under the stage rules; returns the recorded row.
    The move closes the next steps it made obsolete."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    to_stage = Stage(to_stage)
    current = Stage(project.stage)
    reason = (reason or "").strip()
    if to_stage == current:
        raise ValidationError({"to_stage": _("项目已处于%(stage)s阶段") % {"stage": _stage_label(current)}})
    if on is None:
        raise ValidationError({"on": _("请填写%(stage)s日期") % {"stage": _stage_label(to_stage)}})
    rules.check_not_future(on, "on", _("%(stage)s日期") % {"stage": _stage_label(to_stage)})
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
    if enforce_requirements and not backward and to_stage != Stage.DROPPED:
        # The fields of each stage this move enters (the earlier stages' were checked when
        # the project entered them).
        for stage in ORDER[RANK[current] + 1:RANK[to_stage] + 1] if current in RANK else [to_stage]:
            requirements.check(stage, project, only={f for f, _label in requirements.REQUIREMENTS.get(stage, ())})
    project.version += 1
    project.save()
    close_next_steps(project, on)
    change = StageChange.objects.create(
        project=project, from_stage=from_stage, to_stage=to_stage, date=on, reason=reason, is_backward=backward, recorded_by=actor
    )
    review_actions.record_stage_claim(change, actor=actor)
    return change


@transaction.atomic
def correct_stage_date(stage_change: StageChange, new_date: dt.date | None, reason: str, actor=None) -> DateCorrection:
    """Correct the date of a stage fact: the stage order is checked again (against the
    rows before and after it, the follow-ups and the fund arrivals), the project's copy of
    the date follows, and the correction is logged (who, when, old → new, why) and shown
    on the timeline."""
    row = StageChange.objects.select_for_update().select_related("project").get(pk=stage_change.pk)
    project = Project.objects.select_for_update().get(pk=row.project_id)
    reason = (reason or "").strip()
    stage = Stage(row.to_stage)
    label = _("%(stage)s日期") % {"stage": _stage_label(stage)}
    if new_date is None:
        raise ValidationError({"new_date": _("请填写更正后的日期")})
    if not reason:
        raise ValidationError({"reason": _("请填写更正原因")})
    if new_date == row.date:
        raise ValidationError({"new_date": _("新日期与原日期相同，无需更正")})
    rules.check_not_future(new_date, "new_date", label)
    rows = list(project.stage_changes.order_by("date", "id"))
    position = next(index for index, item in enumerate(rows) if item.pk == row.pk)
    before = rows[position - 1] if position > 0 else None
    after = rows[position + 1] if position + 1 < len(rows) else None
    if before and new_date < before.date:
        raise ValidationError({"new_date": _("%(label)s（%(date)s）不能早于前一阶段%(stage)s的日期（%(other)s）") % {
            "label": label, "date": new_date, "stage": _stage_label(before.to_stage), "other": before.date}})
    if after and new_date > after.date:
        raise ValidationError({"new_date": _("%(label)s（%(date)s）不能晚于后一阶段%(stage)s的日期（%(other)s）") % {
            "label": label, "date": new_date, "stage": _stage_label(after.to_stage), "other": after.date}})
    if position == 0:
        first_follow_up = project.follow_ups.order_by("date").values_list("date", flat=True).first()
        if first_follow_up and new_date > first_follow_up:
            raise ValidationError({"new_date": _("%(label)s（%(date)s）不能晚于最早的跟进记录（%(other)s）") % {
                "label": label, "date": new_date, "other": first_follow_up}})
    field = DATE_FIELD.get(stage)
    copies = field is not None and getattr(project, field) == row.date
    if stage == Stage.SIGNED and copies:
        first_arrival = project.fund_arrivals.order_by("date").values_list("date", flat=True).first()
        if first_arrival and new_date > first_arrival:
            raise ValidationError({"new_date": _("签约日期（%(date)s）不能晚于最早的资金到位（%(other)s）") % {
                "date": new_date, "other": first_arrival}})
    old_date = row.date
    row.date = new_date
    row.save(update_fields=["date", "updated_at"])
    if copies:
        setattr(project, field, new_date)
        check_date_order(project)
    project.version += 1
    project.save()
    review_actions.follow_date_correction(row, old_date=old_date)
    return DateCorrection.objects.create(
        project=project, stage_change=row, stage=stage, old_date=old_date, new_date=new_date, reason=reason,
        corrected_by=actor if getattr(actor, "pk", None) else None,
    )


@transaction.atomic
def add_follow_up(project: Project, *, date: dt.date, summary: str, actor=None, kind: str = FollowUp.Kind.VISIT,
                  next_step: str = "", next_date: dt.date | None = None, participants=(), other_participants: str = "") -> FollowUp:
    """Record a follow-up: dated by today and not before the project's first fact. A next
    step recorded for a day a later stage change has already passed is closed at once."""
    if not (summary or "").strip():
        raise ValidationError({"summary": _("请填写情况摘要")})
    rules.check_follow_up_date(date, rules.first_fact_date(project))
    if next_date and next_date < date:
        raise ValidationError({"next_date": _("下步日期不能早于本次跟进日期")})
    for person in participants:
        if person.zone_id != project.zone_id:
            raise ValidationError({"participants": _("“%(name)s”不属于本园区") % {"name": person}})
    closed_on = None
    if next_step or next_date:
        closed_on = (project.stage_changes.filter(date__gt=date).exclude(from_stage="")
                     .order_by("date", "id").values_list("date", flat=True).first())
    follow_up = FollowUp.objects.create(
        project=project, date=date, kind=kind, summary=summary.strip(), next_step=next_step, next_date=next_date,
        other_participants=other_participants, recorded_by=actor, next_step_closed_on=closed_on,
    )
    if participants:
        follow_up.participants.set(participants)
    return follow_up


@transaction.atomic
def add_fund_arrival(project: Project, *, date: dt.date, amount, actor=None, note: str = "") -> FundArrival:
    """Record money that arrived: dated by today, not before the project's signing."""
    rules.check_fund_arrival_date(date, Project.objects.filter(pk=project.pk).values_list("signed_on", flat=True).first())
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


MERGE_REASON = "合并"


@transaction.atomic
def merge_projects(keep: Project, other: Project, *, actor=None, reason: str = "", today: dt.date | None = None) -> Project:
    """Merge a near-duplicate into the project kept: the other's stage changes, date
    corrections, follow-ups, fund arrivals, tickets and leaders move to the kept project
    (both histories stay on its timeline; the moved stage changes say where they came
    from). The other project is not deleted: it is dropped with reason 合并, marked
    merged_into, and its stage-date copies are cleared, so that no figure counts it. Every
    row is saved through the model, so the change log has each move."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写合并原因")})
    keep = Project.objects.select_for_update().get(pk=keep.pk)
    other = Project.objects.select_for_update().get(pk=other.pk)
    if keep.pk == other.pk:
        raise ValidationError({"other": _("不能把项目与自身合并")})
    if keep.zone_id != other.zone_id:
        raise ValidationError({"other": _("只能合并同一园区的项目")})
    if other.merged_into_id or keep.merged_into_id:
        raise ValidationError({"other": _("项目已被合并，不能再次合并")})
    today = today or timezone.localdate()
    origin = _("合并自 %(code)s %(name)s") % {"code": other.code, "name": other.name}
    for change in other.stage_changes.all():
        change.project = keep
        change.reason = f"{origin}：{change.reason}"[:200] if change.reason else origin[:200]
        change.save()
    for correction in other.date_corrections.all():
        correction.project = keep
        correction.save()
    for part in (*other.follow_ups.all(), *other.fund_arrivals.all()):
        part.project = keep
        part.save()
    tickets = getattr(other, "tickets", None)
    if tickets is not None:
        for ticket in tickets.all():
            ticket.project = keep
            ticket.save()
    leaders = list(other.leaders.all())
    if leaders:
        keep.leaders.add(*leaders)
    keep.version += 1
    keep.save()
    last = max(filter(None, [today, other.signed_on, other.started_on, other.producing_on, other.dropped_on]))
    from_stage = other.stage
    other.stage = Stage.DROPPED
    other.signed_on = other.started_on = other.producing_on = None
    other.dropped_on = last
    other.drop_reason = (_("%(merge)s：并入 %(code)s（%(reason)s）") % {"merge": MERGE_REASON, "code": keep.code, "reason": reason})[:200]
    other.merged_into = keep
    other.version += 1
    other.save()
    StageChange.objects.create(project=other, from_stage=from_stage, to_stage=Stage.DROPPED, date=last,
                               reason=other.drop_reason, recorded_by=actor if getattr(actor, "pk", None) else None)
    return keep


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
        # The same user opening the workbench in two tabs at once: one row, no error.
        WorkbenchVisit.objects.get_or_create(user=user, defaults={"previous_at": None, "last_at": now,
                                                                  "last_marks": selectors.current_marks()})
        return None, {}
    if new_session:
        visit.previous_at, visit.previous_marks = visit.last_at, visit.last_marks
        visit.last_at, visit.last_marks = now, selectors.current_marks()
        visit.save(update_fields=["previous_at", "previous_marks", "last_at", "last_marks"])
    return visit.previous_at, visit.previous_marks or {}


# 项目预警: the zone's warning rules (the daily check itself is projects.tasks.check_warnings).


@transaction.atomic
def update_warning_rules(zone: Zone, *, actor=None, **changes):
    """Save the zone's warning thresholds (those not given keep their current values)."""
    from zhaoshang.projects.warnings import RULE_FIELDS, rules_for

    unknown = set(changes) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"warning rules not editable: {sorted(unknown)}")
    rules = rules_for(zone)
    for name, value in changes.items():
        setattr(rules, name, value)
    problems = {}
    for name in RULE_FIELDS:
        value = getattr(rules, name)
        if value is None or int(value) < 0:
            problems[name] = _("请填写不小于0的整数")
    for name in ("late_start_red_days", "build_months"):
        if name not in problems and int(getattr(rules, name)) < 1:
            problems[name] = _("应至少为1")
    for yellow, red in (("unstarted_yellow_months", "unstarted_red_months"), ("idle_yellow_days", "idle_red_days"),
                        ("funds_yellow_points", "funds_red_points")):
        if not problems.keys() & {yellow, red} and int(getattr(rules, red)) <= int(getattr(rules, yellow)):
            problems[red] = _("%(red)s应大于黄灯的%(yellow)s") % {
                "red": rules._meta.get_field(red).verbose_name, "yellow": getattr(rules, yellow)}
    if problems:
        raise ValidationError(problems)
    rules.save()
    return rules


def create_category(*, zone: Zone, name: str):
    """A 项目类别 for the zone's list (ledger imports add the ones their ledgers name)."""
    from zhaoshang.projects.models import ProjectCategory

    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("项目类别不能为空")})
    category, _created = ProjectCategory.objects.get_or_create(zone=zone, name=name[:30])
    return category
