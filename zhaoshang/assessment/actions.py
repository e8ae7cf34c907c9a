"""Every write of the assessment app: targets, schemes, manual adjustments, bulletins and
dispatch rounds. Views, commands and the importer call these, never save() themselves."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.assessment import bulletins, indicators, target_sheet
from zhaoshang.assessment.models import (
    Bulletin,
    DispatchEntry,
    DispatchPhoto,
    DispatchRound,
    DispatchUnitReport,
    ManualAdjustment,
    Scheme,
    SchemeIndicator,
    SchemeItem,
    Target,
)
from zhaoshang.core import validators
from zhaoshang.core.models import OrgUnit, Zone
from zhaoshang.projects.kpi import Period

# ---------------------------------------------------------------- targets


def _check_unit(zone: Zone, unit: OrgUnit | None) -> None:
    if unit is not None and unit.zone_id != zone.pk:
        raise ValidationError({"unit": _("“%(name)s”不属于本园区") % {"name": unit}})


def _check_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": _("年度“%(year)s”无效") % {"year": year}}) from None
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("年度“%(year)s”超出范围（2000—2100）") % {"year": year}})
    return year


def _check_value(code: str, value, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        value = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("“%(value)s”不是有效的数值") % {"value": value}}) from None
    if value < 0:
        raise ValidationError({field: _("目标值不能为负数")})
    if indicators.KINDS[code] == indicators.RATE and value > 1:
        raise ValidationError({field: _("比率目标不能超过100%")})
    if indicators.KINDS[code] == indicators.COUNT and value != value.to_integral_value():
        raise ValidationError({field: _("个数目标应为整数")})
    return value.quantize(Decimal("0.0001"))


@transaction.atomic
def set_target(*, zone: Zone, unit: OrgUnit | None, year: int, indicator: str, annual, quarters=(None,) * 4, actor=None) -> Target:
    """Create or replace the target of a unit (None: the whole zone) for a year and indicator."""
    if indicator not in indicators.CODES:
        raise ValidationError({"indicator": _("未知的指标“%(code)s”") % {"code": indicator}})
    _check_unit(zone, unit)
    year = _check_year(year)
    annual = _check_value(indicator, annual, "annual")
    if annual is None:
        raise ValidationError({"annual": _("请填写年度目标")})
    quarters = [_check_value(indicator, q, f"q{i}") for i, q in enumerate(list(quarters) + [None] * (4 - len(quarters)), start=1)]
    target, _created = Target.objects.update_or_create(
        zone=zone, unit=unit, year=year, indicator=indicator,
        defaults={"annual": annual, "q1": quarters[0], "q2": quarters[1], "q3": quarters[2], "q4": quarters[3], "updated_by": actor},
    )
    return target


@transaction.atomic
def delete_target(target: Target, *, actor=None) -> None:
    target.delete()


class ImportFailed(Exception):
    """The file had errors; nothing was written. `errors` names each bad cell."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@transaction.atomic
def import_targets(*, zone: Zone, content: bytes, year: int | None = None, actor=None) -> int:
    """Import a target table (see target_sheet); all or nothing. Returns how many targets
    were set. Units are matched by name within the zone."""
    rows, errors = target_sheet.read(content)
    units = {u.name: u for u in OrgUnit.objects.filter(zone=zone)}
    seen = {}
    resolved = []
    for row in rows:
        unit = None
        if row.unit_name is not None:
            unit = units.get(row.unit_name)
            if unit is None:
                errors.append(_("%(where)s：本园区没有名为“%(name)s”的单位") % {"where": row.where, "name": row.unit_name})
                continue
        row_year = row.year or year
        if row_year is None:
            errors.append(_("%(where)s：未填写年度（表中无“年度”列时请在页面上选择年度）") % {"where": row.where})
            continue
        key = (unit.pk if unit else None, row_year, row.indicator)
        if key in seen:
            errors.append(_("%(where)s：与%(other)s重复") % {"where": row.where, "other": seen[key]})
            continue
        seen[key] = row.where
        resolved.append((unit, row_year, row))
    if not rows and not errors:
        errors.append(_("表中没有目标数据"))
    if errors:
        raise ImportFailed(errors)
    for unit, row_year, row in resolved:
        try:
            with transaction.atomic():
                set_target(zone=zone, unit=unit, year=row_year, indicator=row.indicator, annual=row.annual,
                           quarters=row.quarters, actor=actor)
        except ValidationError as error:
            errors.append(f"{row.where}：{'；'.join(error.messages)}")
    if errors:
        transaction.set_rollback(True)
        raise ImportFailed(errors)
    return len(resolved)


# ---------------------------------------------------------------- schemes

DEFAULT_SCHEMES = {
    OrgUnit.Kind.TASK_FORCE: (
        "招商专班考核方案",
        [("signed_count", 20), ("signed_investment", 30), ("started_count", 15), ("start_rate", 15), ("funds_in_place", 20)],
        [(SchemeItem.Rule.MAJOR_PROJECT, 2, 10, Decimal("100000")), (SchemeItem.Rule.UNSTARTED_OVERDUE, 1, 10, None)],
    ),
    OrgUnit.Kind.SOE: (
        "区属国企考核方案",
        [("signed_count", 20), ("signed_investment", 30), ("started_count", 20), ("start_rate", 10), ("funds_in_place", 20)],
        [(SchemeItem.Rule.MAJOR_PROJECT, 2, 10, Decimal("100000")), (SchemeItem.Rule.UNSTARTED_OVERDUE, 1, 10, None)],
    ),
    OrgUnit.Kind.DEPARTMENT: (
        "职能部门考核方案",
        [("closed_rate", 30), ("on_time_rate", 30), ("satisfaction_rate", 25), ("avg_working_days", 15)],
        [(SchemeItem.Rule.OVERDUE_TICKET, 1, 10, None)],
    ),
}


@transaction.atomic
def save_scheme(*, zone: Zone, kind: str, name: str, board_size: int = 1, notes: str = "", actor=None,
                scheme: Scheme | None = None) -> Scheme:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("方案名称不能为空")})
    if kind not in OrgUnit.Kind.values:
        raise ValidationError({"kind": _("未知的单位类型“%(kind)s”") % {"kind": kind}})
    if scheme is None and Scheme.objects.filter(zone=zone, kind=kind).exists():
        raise ValidationError({"kind": _("%(kind)s已有考核方案") % {"kind": OrgUnit.Kind(kind).label}})
    if scheme is None:
        scheme = Scheme(zone=zone, kind=kind)
    scheme.name, scheme.board_size, scheme.notes, scheme.updated_by = name, board_size, notes, actor
    scheme.save()
    return scheme


@transaction.atomic
def set_scheme_indicators(scheme: Scheme, rows: list[dict], *, actor=None) -> None:
    """Replace a scheme's indicators: rows of {indicator, weight, ceiling, floor}."""
    seen = set()
    for index, row in enumerate(rows, start=1):
        code = row["indicator"]
        if code not in indicators.CODES:
            raise ValidationError({"indicators": _("第%(n)s项：未知的指标“%(code)s”") % {"n": index, "code": code}})
        if code in seen:
            raise ValidationError({"indicators": _("指标“%(label)s”重复") % {"label": indicators.LABELS[code]}})
        seen.add(code)
        if Decimal(row.get("ceiling") or 0) <= 0:
            raise ValidationError({"indicators": _("指标“%(label)s”的封顶值应大于零") % {"label": indicators.LABELS[code]}})
        if Decimal(row.get("floor") or 0) > Decimal(row["ceiling"]):
            raise ValidationError({"indicators": _("指标“%(label)s”的保底线不能高于封顶值") % {"label": indicators.LABELS[code]}})
    scheme.indicators.all().delete()
    for index, row in enumerate(rows):
        SchemeIndicator.objects.create(
            scheme=scheme, indicator=row["indicator"], weight=Decimal(row["weight"]), ceiling=Decimal(row["ceiling"]),
            floor=Decimal(row.get("floor") or 0), sort_order=index,
        )
    scheme.updated_by = actor
    scheme.save(update_fields=["updated_by", "updated_at"])


@transaction.atomic
def set_scheme_items(scheme: Scheme, rows: list[dict], *, actor=None) -> None:
    """Replace a scheme's bonus and deduction items: rows of {rule, points, cap, threshold}."""
    for index, row in enumerate(rows, start=1):
        if row["rule"] not in SchemeItem.Rule.values:
            raise ValidationError({"items": _("第%(n)s项：未知的加减分规则") % {"n": index}})
    scheme.items.all().delete()
    for row in rows:
        SchemeItem.objects.create(
            scheme=scheme, rule=row["rule"], points=Decimal(row["points"]),
            cap=Decimal(row["cap"]) if row.get("cap") not in (None, "") else None,
            threshold=Decimal(row["threshold"]) if row.get("threshold") not in (None, "") else None,
        )
    scheme.updated_by = actor
    scheme.save(update_fields=["updated_by", "updated_at"])


@transaction.atomic
def install_default_schemes(zone: Zone, *, actor=None) -> list[Scheme]:
    """The default schemes for task forces, SOEs and departments, where a kind has none."""
    created = []
    for kind, (name, weights, items) in DEFAULT_SCHEMES.items():
        if Scheme.objects.filter(zone=zone, kind=kind).exists():
            continue
        scheme = save_scheme(zone=zone, kind=kind, name=name, actor=actor)
        set_scheme_indicators(
            scheme, [{"indicator": code, "weight": weight, "ceiling": Decimal("1.2"), "floor": Decimal("0")} for code, weight in weights]
        )
        set_scheme_items(
            scheme, [{"rule": rule, "points": points, "cap": cap, "threshold": threshold} for rule, points, cap, threshold in items]
        )
        created.append(scheme)
    return created


@transaction.atomic
def delete_scheme(scheme: Scheme, *, actor=None) -> None:
    scheme.delete()


# ---------------------------------------------------------------- manual adjustments


@transaction.atomic
def add_manual_adjustment(*, zone: Zone, unit: OrgUnit, kind: str, date: dt.date, points, note: str,
                          project=None, actor=None) -> ManualAdjustment:
    _check_unit(zone, unit)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("请填写加减分事由")})
    if date is None:
        raise ValidationError({"date": _("请填写日期")})
    if kind not in ManualAdjustment.Kind.values:
        raise ValidationError({"kind": _("请选择加分或扣分")})
    try:
        points = Decimal(str(points)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"points": _("分值“%(value)s”无效") % {"value": points}}) from None
    if points <= 0:
        raise ValidationError({"points": _("分值应大于零")})
    if project is not None and project.zone_id != zone.pk:
        raise ValidationError({"project": _("项目不属于本园区")})
    return ManualAdjustment.objects.create(
        zone=zone, unit=unit, kind=kind, date=date, points=points, note=note, project=project, created_by=actor
    )


@transaction.atomic
def delete_manual_adjustment(adjustment: ManualAdjustment, *, actor=None) -> None:
    adjustment.delete()


# ---------------------------------------------------------------- bulletins


@transaction.atomic
def publish_bulletin(*, zone: Zone, period: Period, title: str = "", number: str = "", actor=None,
                     today: dt.date | None = None) -> Bulletin:
    """Compute the ranking, render the bulletin and store data and files, frozen."""
    data = bulletins.build(zone, period, title=title.strip(), number=number.strip(), today=today)
    return Bulletin.objects.create(
        zone=zone, title=data["title"], number=data["number"], start=period.start, end=period.end, as_of=period.as_of,
        data=data, docx=bulletins.render_docx(data), xlsx=bulletins.render_xlsx(data), published_at=timezone.now(),
        published_by=actor,
    )


# ---------------------------------------------------------------- dispatch rounds

ACTIVE_STAGES = ("negotiating", "signed", "started")


@transaction.atomic
def open_round(*, zone: Zone, title: str, cadence: str, start: dt.date, end: dt.date, deadline: dt.date,
               actor=None) -> DispatchRound:
    """Open a round: one report per unit with active projects (在谈、签约、开工), one entry
    per such project, to be filled by the unit."""
    from zhaoshang.projects.models import Project

    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写调度名称，如“2025年3月第2期”")})
    if cadence not in DispatchRound.Cadence.values:
        raise ValidationError({"cadence": _("请选择调度周期")})
    if start is None or end is None or deadline is None:
        raise ValidationError({"end": _("请填写本期起止日期和填报截止日期")})
    if start > end:
        raise ValidationError({"end": _("本期结束日期（%(end)s）不能早于开始日期（%(start)s）") % {"start": start, "end": end}})
    if deadline < start:
        raise ValidationError({"deadline": _("填报截止日期不能早于本期开始日期")})
    if DispatchRound.objects.filter(zone=zone, title=title).exists():
        raise ValidationError({"title": _("已有名为“%(title)s”的调度") % {"title": title}})
    round_ = DispatchRound.objects.create(
        zone=zone, title=title, cadence=cadence, start=start, end=end, deadline=deadline, opened_by=actor
    )
    projects = (
        Project.objects.filter(zone=zone, stage__in=ACTIVE_STAGES, responsible_unit__isnull=False)
        .select_related("responsible_unit").order_by("responsible_unit__kind", "responsible_unit__sort_order", "code")
    )
    reports, entries = {}, []
    for project in projects.iterator(chunk_size=2000):
        unit = project.responsible_unit
        if unit.pk not in reports:
            reports[unit.pk] = DispatchUnitReport.objects.create(round=round_, unit=unit)
        entries.append(DispatchEntry(
            report=reports[unit.pk], project=project, project_name=project.name, project_code=project.code
        ))
    DispatchEntry.objects.bulk_create(entries, batch_size=BATCH)
    return round_


# Rows per bulk statement when a round opens or closes (20,000 entries is a real zone).
BATCH = 500
PLATFORM_FIELDS = ["progress", "period_investment", "cumulative_investment", "problems", "next_steps", "has_progress",
                   "source"]


def _check_open(round_: DispatchRound) -> None:
    """Refuse a change to a closed round; the round's row is locked for the rest of the
    transaction, so a change cannot slip in while the round is being closed."""
    round_ = DispatchRound.objects.select_for_update().only("pk", "status", "title").get(pk=round_.pk)
    if not round_.is_open:
        raise ValidationError(_("“%(title)s”已关闭，不能再修改") % {"title": round_.title})


def _amount(value, field: str, label: str) -> Decimal:
    if value in (None, ""):
        return Decimal("0.00")
    return validators.amount(value, field, label)


def _progress_made(entry: DispatchEntry) -> bool:
    return bool(entry.progress.strip()) or entry.period_investment > 0


@transaction.atomic
def save_entry(entry: DispatchEntry, *, progress: str = "", period_investment=None, cumulative_investment=None,
               problems: str = "", next_steps: str = "", actor=None) -> DispatchEntry:
    entry = DispatchEntry.objects.select_for_update(of=("self",)).select_related("report__round").get(pk=entry.pk)
    _check_open(entry.report.round)
    entry.progress = (progress or "").strip()
    entry.period_investment = _amount(period_investment, "period_investment", _("本期完成投资"))
    entry.cumulative_investment = _amount(cumulative_investment, "cumulative_investment", _("累计完成投资"))
    if entry.cumulative_investment < entry.period_investment:
        raise ValidationError({"cumulative_investment": _("累计完成投资不能小于本期完成投资")})
    entry.problems = (problems or "").strip()
    entry.next_steps = (next_steps or "").strip()
    entry.has_progress = _progress_made(entry)
    entry.source = DispatchEntry.Source.UNIT
    entry.saved_at, entry.saved_by = timezone.now(), actor
    entry.save()
    return entry


@transaction.atomic
def submit_unit_report(report: DispatchUnitReport, *, actor=None) -> DispatchUnitReport:
    """The unit declares its part done. Entries it never saved are taken as pre-filled."""
    from zhaoshang.assessment import dispatch

    report = DispatchUnitReport.objects.select_for_update(of=("self",)).select_related("round").get(pk=report.pk)
    _check_open(report.round)
    unsaved = list(report.entries.filter(saved_at__isnull=True))
    prefill = dispatch.prefill(report.round, unsaved)
    for entry in unsaved:
        values = prefill.get(entry.pk, {})
        save_entry(entry, actor=actor, **{k: values.get(k) for k in dispatch.ENTRY_FIELDS})
    report.submitted_at, report.submitted_by = timezone.now(), actor
    report.save()
    return report


PHOTO_TYPES = {b"\xff\xd8\xff": ".jpg", b"\x89PNG\r\n\x1a\n": ".png", b"GIF8": ".gif", b"RIFF": ".webp"}
PHOTO_MAX_BYTES = 10 * 1024 * 1024


@transaction.atomic
def add_photo(entry: DispatchEntry, *, upload, actor=None) -> DispatchPhoto:
    _check_open(entry.report.round)
    if upload.size > PHOTO_MAX_BYTES:
        raise ValidationError({"photo": _("照片“%(name)s”超过10MB") % {"name": upload.name}})
    head = upload.read(12)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in PHOTO_TYPES):
        raise ValidationError({"photo": _("“%(name)s”不是 JPG、PNG、GIF 或 WebP 图片") % {"name": upload.name}})
    return DispatchPhoto.objects.create(entry=entry, file=upload, name=upload.name[:200], uploaded_by=actor)


@transaction.atomic
def close_round(round_: DispatchRound, *, actor=None, today: dt.date | None = None) -> DispatchRound:
    """Close a round: entries never filled take the platform's data (marked as such), and
    the round's report is rendered and stored with its data — frozen from now on."""
    from zhaoshang.assessment import dispatch

    round_ = DispatchRound.objects.select_for_update().get(pk=round_.pk)
    _check_open(round_)
    unsaved = list(DispatchEntry.objects.filter(report__round=round_, saved_at__isnull=True))
    values = dispatch.prefill(round_, unsaved)
    for entry in unsaved:
        v = values.get(entry.pk, {})
        entry.progress = v.get("progress", "")
        entry.period_investment = v.get("period_investment") or Decimal("0")
        entry.cumulative_investment = v.get("cumulative_investment") or Decimal("0")
        entry.problems, entry.next_steps = v.get("problems", ""), v.get("next_steps", "")
        entry.has_progress = _progress_made(entry)
        entry.source = DispatchEntry.Source.PLATFORM
    DispatchEntry.objects.bulk_update(unsaved, PLATFORM_FIELDS, batch_size=BATCH)
    round_.status = DispatchRound.Status.CLOSED
    round_.closed_at, round_.closed_by = timezone.now(), actor
    round_.snapshot = dispatch.report_data(round_, today=today)
    round_.report_docx = dispatch.render_docx(round_.snapshot)
    round_.report_xlsx = dispatch.render_xlsx(round_.snapshot)
    round_.save()
    return round_


def raise_ticket_from_entry(entry: DispatchEntry, *, actor=None, category="其他", **ticket_fields) -> str:
    """Turn the problem written in an entry into a service ticket (tickets app, channel
    调度会), in one step; returns the ticket's code, also kept on the entry."""
    from zhaoshang.tickets.actions import raise_ticket

    with transaction.atomic():
        entry = DispatchEntry.objects.select_for_update(of=("self",)).select_related("report__round__zone", "project").get(pk=entry.pk)
        if entry.ticket_ref:
            raise ValidationError(_("该问题已转为诉求 %(code)s") % {"code": entry.ticket_ref})
        problems = entry.problems.strip()
        if not problems:
            raise ValidationError({"problems": _("该项目没有填写存在问题")})
        if entry.project is None:
            raise ValidationError(_("项目已删除，无法转为诉求"))
        ticket_fields.setdefault("channel", "dispatch")
        ticket = raise_ticket(
            zone=entry.report.round.zone, project=entry.project, category=category, title=problems.splitlines()[0][:200],
            description=f"{entry.report.round.title}调度提出：{problems}", actor=actor, **ticket_fields,
        )
        entry.ticket_ref = ticket.code
        entry.save(update_fields=["ticket_ref", "updated_at"])
    return entry.ticket_ref
