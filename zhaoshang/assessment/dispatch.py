"""Dispatch rounds (定期调度): what the platform already knows about each project in the
round's window (to pre-fill the form), and the round's report — its data as JSON and the
.docx/.xlsx rendered from that data."""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from zhaoshang.assessment.documents import GovDocument
from zhaoshang.assessment.models import DispatchEntry, DispatchRound
from zhaoshang.assessment.periods import month_end
from zhaoshang.core import numbers, xlsx
from zhaoshang.core.models import OrgUnit
from zhaoshang.projects.models import FollowUp, FundArrival, Project, StageChange
from zhaoshang.projects.stages import Stage

ENTRY_FIELDS = ("progress", "period_investment", "cumulative_investment", "problems", "next_steps")
ZERO = Decimal("0.00")


def _short(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


# Project ids per query: SQLite refuses a statement whose IN list is too long ("Expression
# tree is too large"), so a round of 20,000 projects is read in chunks of this many.
CHUNK = 500


def chunks(ids: list, size: int = CHUNK):
    for index in range(0, len(ids), size):
        yield ids[index:index + size]


def prefill(round_: DispatchRound, entries: list[DispatchEntry]) -> dict[int, dict]:
    """{entry_id: {field: value}} from the window's follow-ups, stage changes, fund
    arrivals and tickets — a handful of queries per 500 entries."""
    result = {}
    entries = list(entries)
    for part in chunks(entries):
        result.update(_prefill(round_, part))
    return result


def _prefill(round_: DispatchRound, entries: list[DispatchEntry]) -> dict[int, dict]:
    by_project = {e.project_id: e for e in entries if e.project_id}
    ids = list(by_project)
    start, end = round_.start, round_.end
    lines: dict[int, list] = {pid: [] for pid in ids}
    for fu in FollowUp.objects.filter(project_id__in=ids, date__gte=start, date__lte=end).order_by("date", "id"):
        lines[fu.project_id].append((fu.date, f"{_short(fu.date)}{fu.get_kind_display()}：{fu.summary}"))
    for sc in StageChange.objects.filter(project_id__in=ids, date__gte=start, date__lte=end).order_by("date", "id"):
        lines[sc.project_id].append((sc.date, f"{_short(sc.date)}进入{sc.get_to_stage_display()}阶段"))
    window = dict(
        FundArrival.objects.filter(project_id__in=ids, date__gte=start, date__lte=end)
        .values("project_id").annotate(total=Sum("amount")).values_list("project_id", "total")
    )
    cumulative = dict(
        FundArrival.objects.filter(project_id__in=ids, date__lte=end)
        .values("project_id").annotate(total=Sum("amount")).values_list("project_id", "total")
    )
    for arrival in FundArrival.objects.filter(project_id__in=ids, date__gte=start, date__lte=end).order_by("date", "id"):
        lines[arrival.project_id].append((arrival.date, f"{_short(arrival.date)}资金到位{numbers.amount(arrival.amount, '万元')}"))
    next_steps: dict[int, str] = {}
    for fu in (FollowUp.objects.with_open_next_step().filter(project_id__in=ids, date__lte=end).exclude(next_step="")
               .order_by("project_id", "-date", "-id")):
        if fu.project_id not in next_steps:
            when = f"（{fu.next_date.isoformat()}前）" if fu.next_date else ""
            next_steps[fu.project_id] = f"{fu.next_step}{when}"
    problems: dict[int, list] = {pid: [] for pid in ids}
    from zhaoshang.tickets.models import Ticket

    open_by_end = Q(resolved_on__isnull=True) | Q(resolved_on__gt=end)
    for t in Ticket.objects.filter(Q(project_id__in=ids), Q(raised_on__lte=end), open_by_end).order_by("raised_on", "id"):
        problems[t.project_id].append(f"{t.title}（诉求{t.code}，{t.get_status_display()}）")
    result = {}
    for pid, entry in by_project.items():
        result[entry.pk] = {
            "progress": "；".join(text for _day, text in sorted(lines[pid], key=lambda item: item[0])),
            "period_investment": (window.get(pid) or ZERO).quantize(Decimal("0.01")),
            "cumulative_investment": (cumulative.get(pid) or ZERO).quantize(Decimal("0.01")),
            "problems": "；".join(problems[pid]),
            "next_steps": next_steps.get(pid, ""),
        }
    for entry in entries:
        result.setdefault(entry.pk, {"progress": "", "period_investment": ZERO, "cumulative_investment": ZERO,
                                     "problems": "", "next_steps": ""})
    return result


def next_window_end(round_: DispatchRound) -> dt.date:
    """The last day the next round will cover."""
    if round_.cadence == DispatchRound.Cadence.WEEKLY:
        return round_.end + dt.timedelta(days=7)
    if round_.cadence == DispatchRound.Cadence.BIWEEKLY:
        return round_.end + dt.timedelta(days=14)
    year, month = (round_.end.year + (round_.end.month == 12), round_.end.month % 12 + 1)
    last = month_end(year, month)
    if round_.end == month_end(round_.end.year, round_.end.month):
        return last
    return min(round_.end.replace(year=year, month=month, day=min(round_.end.day, last.day)), last)


def stalled_projects(round_: DispatchRound) -> list[dict]:
    """Projects of this round without progress in it and in the closed rounds just before
    it, two rounds or more in a row."""
    earlier = list(
        DispatchRound.objects.filter(zone=round_.zone, status=DispatchRound.Status.CLOSED, end__lt=round_.start)
        .order_by("-end", "-id").values_list("pk", flat=True)
    )
    quiet = DispatchEntry.objects.filter(report__round=round_, has_progress=False, project__isnull=False)
    current = list(quiet.select_related("report__unit"))
    if not current:
        return []
    history: dict[tuple[int, int], bool] = {}
    # A subquery, not a list of ids: SQLite cannot take 20,000 ids in one IN.
    for row in DispatchEntry.objects.filter(
        report__round_id__in=earlier, project_id__in=quiet.values("project_id")
    ).values("report__round_id", "project_id", "has_progress"):
        key = (row["report__round_id"], row["project_id"])
        history[key] = history.get(key, False) or row["has_progress"]
    stalled = []
    for entry in current:
        count = 1
        for round_id in earlier:
            if history.get((round_id, entry.project_id), True):
                break
            count += 1
        if count >= 2:
            stalled.append({"project_id": entry.project_id, "code": entry.project_code, "name": entry.project_name,
                            "unit": entry.report.unit.name, "rounds": count})
    stalled.sort(key=lambda s: (-s["rounds"], s["unit"], s["code"]))
    return stalled


def overdue_tickets(zone, as_of: dt.date) -> list[dict]:
    """The zone's tickets overdue on the day (tickets.figures.overdue_as_of, THE rule)."""
    from zhaoshang.tickets.figures import overdue_as_of
    from zhaoshang.tickets.models import Step

    rows = overdue_as_of(zone, as_of)
    names = dict(OrgUnit.objects.filter(pk__in={row["department_id"] for row in rows}).values_list("pk", "name"))
    return [
        {"id": row["ticket"].pk, "code": row["ticket"].code, "title": row["ticket"].title,
         "department": names.get(row["department_id"], ""),
         "project": row["ticket"].project.name if row["ticket"].project_id else "", "project_id": row["ticket"].project_id,
         "step": str(Step(row["step"]).label), "due": row["due"].isoformat(),
         "solve_due": row["solve_due"].isoformat() if row["solve_due"] else "", "days_overdue": row["days_overdue"]}
        for row in rows
    ]


def milestones(round_: DispatchRound) -> list[dict]:
    """What falls due between this round's end and the next round's: planned starts of
    projects not yet started, and next steps promised in follow-ups that no stage change
    has closed since."""
    until = next_window_end(round_)
    ids = DispatchEntry.objects.filter(report__round=round_, project__isnull=False).values("project_id")
    rows = []
    planned = Project.objects.filter(
        pk__in=ids, planned_start_on__gt=round_.end, planned_start_on__lte=until, started_on__isnull=True
    ).select_related("responsible_unit")
    for p in planned:
        rows.append({"date": p.planned_start_on.isoformat(), "project_id": p.pk, "code": p.code, "name": p.name,
                     "unit": p.responsible_unit.name if p.responsible_unit_id else "", "what": "计划开工"})
    follow_ups = FollowUp.objects.with_open_next_step().filter(
        project_id__in=ids, next_date__gt=round_.end, next_date__lte=until
    ).exclude(next_step="").select_related("project__responsible_unit")
    for fu in follow_ups:
        p = fu.project
        rows.append({"date": fu.next_date.isoformat(), "project_id": p.pk, "code": p.code, "name": p.name,
                     "unit": p.responsible_unit.name if p.responsible_unit_id else "", "what": fu.next_step})
    rows.sort(key=lambda r: (r["date"], r["code"], r["what"]))
    return rows


def report_data(round_: DispatchRound, today: dt.date | None = None) -> dict:
    """Everything the round's report shows, as JSON-ready data."""
    today = today or timezone.localdate()
    reports = list(round_.unit_reports.select_related("unit"))
    reports.sort(key=lambda r: (r.unit.kind, r.unit.sort_order, r.unit.name))
    # One query by round, not a prefetch: prefetching 20,000 entries' photos puts 20,000 ids
    # in one statement, which SQLite refuses ("Expression tree is too large").
    by_report: dict[int, list] = {report.pk: [] for report in reports}
    for e in (DispatchEntry.objects.filter(report__round=round_).select_related("project")
              .annotate(photo_count=Count("photos")).order_by("report", "project_code", "id")):
        by_report[e.report_id].append(e)
    units = []
    period_total = cumulative_total = ZERO
    for report in reports:
        entries = []
        for e in by_report[report.pk]:
            period_total += e.period_investment
            cumulative_total += e.cumulative_investment
            entries.append({
                "entry_id": e.pk, "project_id": e.project_id, "code": e.project_code, "name": e.project_name,
                "stage": str(Stage(e.project.stage).label) if e.project else "",
                "progress": e.progress, "period_investment": str(e.period_investment),
                "cumulative_investment": str(e.cumulative_investment), "problems": e.problems, "next_steps": e.next_steps,
                "has_progress": e.has_progress, "source": e.source, "ticket_ref": e.ticket_ref, "photos": e.photo_count,
            })
        units.append({
            "unit_id": report.unit_id, "unit": report.unit.name, "reported": report.submitted_at is not None,
            "submitted_at": report.submitted_at.isoformat() if report.submitted_at else None, "entries": entries,
        })
    return {
        "version": 1,
        "round": {"id": round_.pk, "title": round_.title, "cadence": str(round_.get_cadence_display()),
                  "start": round_.start.isoformat(), "end": round_.end.isoformat(), "deadline": round_.deadline.isoformat(),
                  "zone": round_.zone.name, "next_end": next_window_end(round_).isoformat()},
        "date": today.isoformat(),
        "issuer": _issuer(round_.zone),
        "units": units,
        "not_reported": [u["unit"] for u in units if not u["reported"]],
        "totals": {"projects": sum(len(u["entries"]) for u in units), "units": len(units),
                   "reported": sum(1 for u in units if u["reported"]),
                   "period_investment": str(period_total), "cumulative_investment": str(cumulative_total)},
        "stalled": stalled_projects(round_),
        "overdue_tickets": overdue_tickets(round_.zone, today),
        "milestones": milestones(round_),
    }


def _overdue_row(o: dict) -> list:
    """A row of the overdue tickets table (reports closed before the step was recorded
    were about the deadline to solve)."""
    return [o["code"], o["title"], o["project"], o["department"], o.get("step", "办结"), o.get("due", o["solve_due"]),
            o["days_overdue"]]


def _issuer(zone) -> str:
    from zhaoshang.assessment.bulletins import issuer_of

    return issuer_of(zone)


def _amount(text: str) -> str:
    return numbers.amount(Decimal(text), unit="万元")


def render_docx(data: dict) -> bytes:
    r, t = data["round"], data["totals"]
    doc = GovDocument()
    doc.masthead(data["issuer"])
    doc.title(f"{r['title']}重点项目调度情况")
    doc.heading("总体情况")
    not_reported = "、".join(data["not_reported"]) or "无"
    doc.text(
        f"本期调度时段为{numbers.date_cn(r['start'])}至{numbers.date_cn(r['end'])}，共调度{t['units']}个单位的{t['projects']}个在谈、签约、在建项目，"
        f"{t['reported']}个单位按时报送，未报送单位：{not_reported}。本期完成投资{_amount(t['period_investment'])}，"
        f"累计完成投资{_amount(t['cumulative_investment'])}。"
    )
    doc.heading("各单位项目进展")
    for unit in data["units"]:
        doc.subheading(f"{unit['unit']}{'' if unit['reported'] else '（未报送，以下为平台数据）'}")
        rows = [[e["name"], e["progress"] or "无进展", _amount(e["period_investment"]), _amount(e["cumulative_investment"]),
                 e["problems"] or "无", e["next_steps"]] for e in unit["entries"]]
        doc.table(["项目", "本期进展", "本期完成投资", "累计完成投资", "存在问题", "下步计划"], rows)
    doc.heading("连续两期及以上无进展项目")
    if data["stalled"]:
        doc.table(["项目", "责任单位", "连续无进展期数"], [[s["name"], s["unit"], s["rounds"]] for s in data["stalled"]])
    else:
        doc.text("无。")
    doc.heading("超期诉求")
    if data["overdue_tickets"]:
        doc.table(["诉求编号", "诉求", "项目", "牵头部门", "超期环节", "时限", "超期天数"],
                  [_overdue_row(o) for o in data["overdue_tickets"]])
    else:
        doc.text("无。")
    doc.heading("下期调度前到期事项")
    if data["milestones"]:
        doc.table(["日期", "项目", "责任单位", "事项"], [[m["date"], m["name"], m["unit"], m["what"]] for m in data["milestones"]])
    else:
        doc.text(f"{numbers.date_cn(r['end'])}至{numbers.date_cn(r['next_end'])}期间无到期事项。")
    doc.signature(data["issuer"], dt.date.fromisoformat(data["date"]))
    return doc.bytes()


def render_xlsx(data: dict) -> bytes:
    book = xlsx.Book()
    sheet = book.sheet("项目进展")
    sheet.append([f"{data['round']['title']}重点项目调度情况（{data['round']['start']}至{data['round']['end']}）"])
    sheet.append(["责任单位", "是否报送", "项目编号", "项目名称", "阶段", "本期进展", "本期完成投资（万元）", "累计完成投资（万元）",
                  "存在问题", "下步计划", "数据来源", "已转诉求"], book.bold)
    for unit in data["units"]:
        for e in unit["entries"]:
            sheet.append([unit["unit"], "是" if unit["reported"] else "否", e["code"], e["name"], e["stage"], e["progress"],
                          Decimal(e["period_investment"]), Decimal(e["cumulative_investment"]),
                          e["problems"], e["next_steps"], "单位填报" if e["source"] == "unit" else "平台带入", e["ticket_ref"]])
    for title, headers, rows in (
        ("无进展项目", ["项目编号", "项目名称", "责任单位", "连续无进展期数"],
         [[s["code"], s["name"], s["unit"], s["rounds"]] for s in data["stalled"]]),
        ("超期诉求", ["诉求编号", "诉求", "项目", "牵头部门", "超期环节", "时限", "超期天数"],
         [_overdue_row(o) for o in data["overdue_tickets"]]),
        ("到期事项", ["日期", "项目编号", "项目名称", "责任单位", "事项"],
         [[m["date"], m["code"], m["name"], m["unit"], m["what"]] for m in data["milestones"]]),
        ("未报送单位", ["单位"], [[name] for name in data["not_reported"]]),
    ):
        ws = book.sheet(title)
        ws.append(headers, book.bold)
        for row in rows:
            ws.append(row)
    return book.close()
