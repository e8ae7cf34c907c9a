"""Every write the ledger makes: importing a ledger (all or nothing) and putting imports
and exports on record.

    result = import_ledger(path, zone=zone, actor=user, dry_run=True)

An import reads the file once (readers.py, parsing.py), plans every row in memory
(plan.py: which rows create, update or leave a project, every warning and error), and
only then writes, in one transaction. Reading and planning run outside any transaction
(a check, dry_run, does nothing else), so that on SQLite the write lock is held only
while writing; an import holds the zone's claim (ImportLock) from the first read to the
commit, so that two imports into one zone run one after the other.

Units and parks are created through core.actions, existing projects are updated and
moved along their stages through projects.actions (update_project, change_stage), and an
enterprise found by name gains its 统一社会信用代码 through enterprises.actions. New
projects, their stage history and leaders, new people and enterprises and fund arrivals
are inserted in bulk (bulk.py), after plan.py has checked each one under the same rules.
"""

import contextlib
import datetime as dt
import operator
from collections import Counter, deque
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.core import actions as core_actions
from zhaoshang.core import queue
from zhaoshang.core.changelog import record_bulk
from zhaoshang.core.pinyin import search_key
from zhaoshang.core.models import OrgUnit, Park, Person
from zhaoshang.enterprises import actions as enterprise_actions
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.ledger import bulk, readers
from zhaoshang.ledger import cells
from zhaoshang.ledger.columns import LABELS
from zhaoshang.ledger.export import FIGURES_SHEET
from zhaoshang.ledger.models import ImportLock, LedgerSettings, NameMapping
from zhaoshang.ledger.names import KIND_LABELS, NameAnswers, closest
from zhaoshang.ledger.parsing import Issue, parse_sheet
from zhaoshang.ledger.plan import PROJECT_FIELDS, FK_FIELDS, Create, New, Planner, ident
from zhaoshang.projects import actions as project_actions
from zhaoshang.projects.models import FundArrival, Project, ProjectCategory, StageChange
from zhaoshang.projects.stages import Stage
from zhaoshang.review import actions as review_actions

PREVIEW_ROWS = 200
# The row-by-row preview keeps the first ROW_PREVIEW rows of a ledger, and as many more of
# the rows that carry an error or a warning: bounded whatever the ledger's size.
ROW_PREVIEW = 500


@dataclass
class Result:
    """What an import did (or, for a dry run, would do)."""

    dry_run: bool = False
    projects_created: int = 0
    projects_updated: int = 0
    projects_unchanged: int = 0
    fund_arrivals_created: int = 0
    fund_arrivals_unchanged: int = 0
    units_created: int = 0
    parks_created: int = 0
    people_created: int = 0
    enterprises_created: int = 0
    new_units: list = field(default_factory=list)
    new_parks: list = field(default_factory=list)
    new_people: list = field(default_factory=list)
    unknown_names: list = field(default_factory=list)  # {kind, name, sheet, row, closest}: the mapping step's questions
    mapped_names: list = field(default_factory=list)  # {kind, written, target, remembered}
    created: list = field(default_factory=list)  # the first PREVIEW_ROWS: {sheet, row, code, name, stage}
    duplicates: list = field(default_factory=list)  # {sheet, row, name, matches: [{code, name, reasons}]}: near-duplicates
    updated: list = field(default_factory=list)  # the first PREVIEW_ROWS: {sheet, row, name, fields}
    sheets: list = field(default_factory=list)  # {name, kind, rows, columns: [{header, target}]}
    rows: list = field(default_factory=list)  # the row-by-row preview (_RowPreview): parsed values beside the raw cells
    rows_total: int = 0
    warnings: list[Issue] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        data = {key: getattr(self, key) for key in (
            "dry_run", "projects_created", "projects_updated", "projects_unchanged", "fund_arrivals_created",
            "fund_arrivals_unchanged", "units_created", "parks_created", "people_created", "enterprises_created",
            "new_units", "new_parks", "new_people", "unknown_names", "mapped_names", "created", "duplicates", "updated", "sheets",
            "rows", "rows_total",
        )}
        data["written"] = self.ok and not self.dry_run
        data["warnings"] = [issue.as_dict() for issue in self.warnings]
        data["errors"] = [issue.as_dict() for issue in self.errors]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Result":
        data = dict(data)
        data.pop("written", None)
        warnings = [Issue(**issue) for issue in data.pop("warnings", [])]
        errors = [Issue(**issue) for issue in data.pop("errors", [])]
        return cls(**data, warnings=warnings, errors=errors)


class _Rollback(Exception):
    pass


class ImportBusy(Exception):
    """Another import is writing into the zone; the message says so, in Chinese."""


def _progress_noop(done, total, phase=""):
    pass


def claim_seconds() -> int:
    """After this long a claim is taken to belong to an import that died (kill -9)."""
    return int(getattr(settings, "ZHAOSHANG_LEDGER_CLAIM_SECONDS", 1800))


@contextlib.contextmanager
def zone_claim(zone, filename: str):
    """Hold the zone's import claim while the body runs; ImportBusy when another import holds it.
    The claim is taken and given back in its own short writes, outside the import's transaction."""
    now = timezone.now()
    free = Q(held_since__isnull=True) | Q(held_since__lt=now - dt.timedelta(seconds=claim_seconds()))
    held = ImportLock.objects.filter(zone=zone).values("held_since", "worker_id").first()
    if held and held["held_since"] and held["worker_id"] and not queue.worker_alive(held["worker_id"], now):
        # The worker that took it was killed mid-import (its transaction went with it): the
        # claim is free, and this is most likely that very job, queued again.
        free |= Q(held_since=held["held_since"], worker_id=held["worker_id"])
    # Read first: on SQLite the claim's UPDATE would wait for the other import's write lock.
    if ImportLock.objects.filter(zone=zone).exclude(free).exists():
        raise _busy(zone, now)
    try:
        ImportLock.objects.get_or_create(zone=zone)
        taken = ImportLock.objects.filter(free, zone=zone).update(held_since=now, held_by=filename[:200],
                                                                  worker_id=queue.current_worker_id())
    except OperationalError:  # SQLite: another import has held the write lock for the whole timeout
        raise ImportBusy(_("数据库正忙：另一份台账正在写入，请稍后再导入")) from None
    if not taken:
        raise _busy(zone, now)
    try:
        yield
    finally:
        # Only this claim: one taken over meanwhile (this import's worker judged dead) stays.
        ImportLock.objects.filter(zone=zone, held_since=now).update(held_since=None, held_by="", worker_id="")


def _busy(zone, now) -> ImportBusy:
    held_by, since = ImportLock.objects.filter(zone=zone).values_list("held_by", "held_since").first() or ("", now)
    return ImportBusy(_("本园区正在导入另一份台账（“%(file)s”，%(since)s 开始），请等它完成后再导入")
                      % {"file": held_by, "since": timezone.localtime(since or now).strftime("%H:%M:%S")})


def import_ledger(path, *, zone, actor=None, dry_run: bool = False, filename: str = "", today: dt.date | None = None,
                  progress=None, names: NameAnswers | None = None) -> Result:
    """Import a ledger file into `zone`: all or nothing. Returns what was done; with
    errors (or dry_run) nothing is written. `progress(done, total, phase)` is called as
    rows are read and written. `names`: the mapping step's answers (names.py); None
    creates the units, parks and leaders the zone does not have."""
    progress = progress or _progress_noop
    path = Path(path)
    filename = filename or path.name
    result = Result(dry_run=dry_run)
    try:
        if dry_run:
            # No transaction: a check writes nothing, and on SQLite a transaction would
            # take the write lock (transaction_mode IMMEDIATE) for the whole check.
            _check(path, filename, zone, today, result, progress, names)
        else:
            with zone_claim(zone, filename):
                # Read and plan outside the transaction, as a check does: on SQLite the
                # transaction holds the write lock, and reading a large file inside it made
                # every other writer wait (and time out). The zone's claim keeps other imports
                # out meanwhile; a page's write in between is met as on PostgreSQL, whose
                # reads are not a snapshot either (a code taken meanwhile: IntegrityError below).
                planner = _check(path, filename, zone, today, result, progress, names)
                if result.errors:
                    raise _Rollback
                with transaction.atomic():
                    _write(planner.plan, zone=zone, actor=actor, result=result, progress=progress, header=planner.header)
                    _remember(zone, planner)
                    if result.errors:
                        raise _Rollback
                    _record(actor, zone, filename, result)
    except _Rollback:
        pass
    except readers.LedgerFileError as error:
        return Result(dry_run=dry_run, rows_total=result.rows_total, errors=[Issue(filename, None, "", str(error))])
    except ImportBusy as error:
        return Result(dry_run=dry_run, rows_total=result.rows_total, errors=[Issue(filename, None, "", str(error))])
    except IntegrityError:
        # Someone changed the zone's projects between the plan and its writing (a code
        # taken from a page meanwhile): nothing was written.
        return Result(dry_run=dry_run, rows_total=result.rows_total,
                      errors=[Issue(filename, None, "", _("导入期间本园区的项目被他人修改，未写入任何数据；请重新导入"))])
    if result.errors:
        # Nothing was written: the counts describe what would have been.
        result.errors.sort(key=lambda issue: (issue.sheet, issue.row or 0))
    return result


def _check(path, filename, zone, today, result: Result, progress, names=None) -> Planner:
    """Read the ledger and plan every row into `result` (counts, preview, warnings, errors)."""
    planner = Planner(zone, headers={}, today=today, names=names)
    issues, arrivals = [], []
    preview = _RowPreview([issues, result.warnings, planner.plan.errors, planner.plan.warnings])
    _read(path, filename, planner, arrivals, issues, result, progress, preview)
    result.errors.extend(issues)
    if not result.sheets:
        result.errors.append(Issue(filename, None, "", _("文件中没有找到台账表头：需要一行列名，至少包含“项目名称”及签约时间、总投资等列")))
        return planner
    progress(result.rows_total, result.rows_total, "plan")
    planner.finish_projects()
    planner.plan_arrivals(arrivals)
    plan = planner.plan
    result.errors.extend(plan.errors)
    result.warnings.extend(plan.warnings)
    _ask(result, planner)
    _summarise(result, plan)
    _find_duplicates(result, plan, zone)
    result.rows = preview.rows(result, planner)
    return planner


def _find_duplicates(result: Result, plan, zone) -> None:
    """The new projects that look like one already in the zone, or like another new row
    (projects.duplicates: the same rules as the project form and the API). Each is listed
    in the preview and as a warning; confirming the import creates them as new projects."""
    from zhaoshang.projects.duplicates import Candidate, find_near_duplicates

    existing = {investor for create in plan.creates if isinstance(investor := create.values.get("investor"), int)}
    enterprises = dict(Enterprise.objects.filter(pk__in=existing).values_list("pk", "uscc")) if existing else {}
    names = dict(Enterprise.objects.filter(pk__in=existing).values_list("pk", "name")) if existing else {}
    candidates = []
    for create in plan.creates:
        investor = create.values.get("investor")
        if isinstance(investor, New):
            uscc, company = investor.extra.get("uscc", ""), investor.name
        else:
            uscc, company = enterprises.get(investor, ""), names.get(investor, "")
        candidates.append(Candidate(name=create.values["name"], investor_uscc=uscc or "", investor_name=company or "",
                                    total_investment=create.values.get("total_investment"),
                                    signed_on=create.values.get("signed_on")))
    for create, matches in zip(plan.creates, find_near_duplicates(zone, candidates)):
        if not matches:
            continue
        shown = []
        for match in matches:
            other = plan.creates[match.candidate_index] if match.project_id is None else None
            code = match.code or (other.values.get("code", "") if other else "")
            where = _("本台账第%(row)s行") % {"row": other.row} if other else code
            shown.append({"code": code, "name": match.name, "where": where, "reasons": list(match.reasons)})
            result.warnings.append(Issue(create.sheet, create.row, _("项目名称"), _(
                "疑似重复：与“%(other)s”（%(where)s）%(reasons)s；确认导入将作为新项目创建，如为同一项目请改用其编号或名称"
            ) % {"other": match.name, "where": where, "reasons": "、".join(match.reasons)}))
        result.duplicates.append({"sheet": create.sheet, "row": create.row, "name": create.values["name"], "matches": shown})


def _ask(result: Result, planner: Planner) -> None:
    """The mapping step's questions: each unknown name with the closest existing ones."""
    known = {"unit": planner.units, "park": planner.parks, "leader": planner.people}
    for (kind, name), (sheet, row) in planner.plan.unknown.items():
        existing = [other for other, pk in known[kind].items() if not isinstance(pk, New)]
        nearest = closest(name, existing)
        header = planner.header(sheet, {"unit": "responsible_unit", "park": "park", "leader": "leaders"}[kind])
        hint = _("最接近的已有名称：%(names)s") % {"names": "、".join(nearest)} if nearest else _("本园区没有相近的名称")
        message = _("本园区没有%(kind)s“%(name)s”：请对应到已有的，或确认新建（%(hint)s）") % {"kind": KIND_LABELS[kind], "name": name, "hint": hint}
        result.errors.append(Issue(sheet, row, header, message))
        result.unknown_names.append({"kind": kind, "name": name, "sheet": sheet, "row": row, "closest": nearest, "message": message})
    result.mapped_names = list(planner.plan.mapped)


def _remember(zone, planner: Planner) -> None:
    """Keep the mapping step's answers for the next import of the zone's ledgers."""
    known = {"unit": planner.units, "park": planner.parks, "leader": planner.people}
    answers = [(item["kind"], item["written"], known[item["kind"]].get(item["target"])) for item in planner.plan.mapped
               if not item["remembered"]]
    answers += [(kind, name, ident(known[kind].get(name))) for kind, name in planner.plan.answered_new]
    for kind, written, target in answers:
        if target is not None:
            NameMapping.objects.update_or_create(zone=zone, kind=kind, written=written, defaults={"target_id": target})


def _read(path, filename, planner: Planner, arrivals: list, issues: list, result: Result, progress, preview) -> None:
    """One pass over the file: project rows go to the planner as they are read, fund-arrival
    rows are kept (they may name projects of rows further down); `preview` keeps a bounded
    number of project rows with their raw cells."""
    sheets = readers.open_sheets(path, filename)
    usd_rate = LedgerSettings.objects.filter(zone=planner.zone).values_list("usd_rate", flat=True).first()
    result.rows_total = total = sum(sheet.height for sheet in sheets)
    progress(0, total, "read")
    done = 0
    for sheet in sheets:
        counted = Counter()
        raw_rows = deque()
        sheet.rows = _keeping(sheet.rows, raw_rows)

        def sink(layout, sheet=sheet, counted=counted, raw_rows=raw_rows):
            planner.headers[sheet.name] = {name: column.header for name, column in layout.columns.items()}
            if layout.kind != "projects":
                def counting(record):
                    counted["rows"] += 1
                    arrivals.append(record)

                return counting
            take = planner.take_project

            def counting(record):
                counted["rows"] += 1
                number = record["row"]
                # The raw cells of the row being read: rows before it gave no record.
                while raw_rows and raw_rows[0][0] < number:
                    raw_rows.popleft()
                raw = raw_rows.popleft()[1] if raw_rows and raw_rows[0][0] == number else None
                take(record)
                preview.offer(layout, record, raw)

            return counting

        parsed = parse_sheet(sheet, issues, progress=lambda count: progress(done + count, total, "read"), sink=sink,
                             warnings=result.warnings, usd_rate=usd_rate)
        done += parsed.rows_read
        raw_rows.clear()
        _sheet_read(result, sheet.name, parsed.layout, parsed.rows_read, counted["rows"])


def _keeping(rows, kept: deque):
    """The sheet's rows, each also put in `kept` until the row's record has been planned."""
    for number, values in rows:
        kept.append((number, values))
        yield number, values


_ARRIVAL_LABELS = {"code": LABELS["code"], "name": LABELS["name"], "date": "到位时间", "amount": "到位金额", "note": "备注"}


def _column_list(layout) -> list:
    """Every column of a sheet and what it maps to, in the ledger's order."""
    labels = LABELS if layout.kind == "projects" else _ARRIVAL_LABELS
    listed = [(column.index, column.header, labels.get(column.field, column.field)) for column in layout.columns.values()]
    for extra in layout.extra:
        if extra.field in ("notes", "note"):
            target = _("并入“%(other)s”") % {"other": layout.columns[extra.field].header}
        else:
            target = _("与“%(other)s”列含义相同，已忽略") % {"other": layout.columns[extra.field].header}
        listed.append((extra.index, extra.header, target))
    listed += [(kept.index, kept.header, _("作为附加字段保留")) for kept in layout.kept]
    return [{"header": header, "target": target} for _index, header, target in sorted(listed, key=operator.itemgetter(0))]


def _sheet_read(result: Result, name, layout, rows_read, records) -> None:
    if layout is None:
        if rows_read and name != FIGURES_SHEET:
            result.warnings.append(Issue(name, None, "", _("没有找到台账表头（项目名称等），已跳过这个工作表")))
        return
    result.sheets.append({"name": name, "kind": layout.kind, "rows": records, "columns": _column_list(layout)})
    for kept in layout.kept:
        result.warnings.append(Issue(name, None, kept.header, _("平台没有对应的字段：保留为附加字段")))
    for extra in layout.extra:
        if extra.field not in ("notes", "note"):
            result.warnings.append(Issue(name, None, extra.header, _("与“%(other)s”列含义相同，已忽略") % {"other": layout.columns[extra.field].header}))


_DATES = ("signed_on", "planned_start_on", "started_on", "producing_on", "dropped_on")
_NAMED = (("responsible_unit", "unit"), ("park", "park"))


def _amount_text(amount) -> str:
    """万元 as a person writes them: 23000, 1234.5."""
    if amount == amount.to_integral_value():
        return str(int(amount))
    return format(amount.quantize(Decimal("0.01")), "f").rstrip("0")


class _RowPreview:
    """A bounded part of a ledger's project rows, for the preview: each with the raw cells
    beside the values read from them, its warnings and errors, the project it would create
    or update and the near-duplicates it would make. The first ROW_PREVIEW rows are kept,
    and up to as many more that carried an issue when they were planned."""

    def __init__(self, issue_lists: list):
        self.issue_lists = issue_lists  # errors and warnings, appended in row order as rows are read
        self.kept = []  # (sheet, row, layout, record, raw values, flagged)
        self.plain = self.flagged = 0

    def offer(self, layout, record, raw) -> None:
        sheet, number = record["sheet"], record["row"]
        flagged = any(issues and issues[-1].row == number and issues[-1].sheet == sheet for issues in self.issue_lists)
        if self.plain + self.flagged < ROW_PREVIEW:
            self.plain += 1
        elif flagged and self.flagged < ROW_PREVIEW:
            self.flagged += 1
        else:
            return
        self.kept.append((sheet, number, layout, record, raw, flagged))

    def rows(self, result: Result, planner: Planner) -> list:
        """The kept rows as the preview shows them: rows with an error or a warning first."""
        if not self.kept:
            return []
        keys = {(sheet, number) for sheet, number, *_rest in self.kept}
        issues = {}
        for kind, found in (("error", result.errors), ("warning", result.warnings)):
            for issue in found:
                if (issue.sheet, issue.row) in keys:
                    issues.setdefault((issue.sheet, issue.row), []).append(
                        {"kind": kind, "column": issue.column, "message": issue.message})
        plan = planner.plan
        creates = {(create.sheet, create.row): create for create in plan.creates if (create.sheet, create.row) in keys}
        updates = {(update.sheet, update.row): update for update in plan.updates if (update.sheet, update.row) in keys}
        duplicates = {(row["sheet"], row["row"]): row["matches"] for row in result.duplicates if (row["sheet"], row["row"]) in keys}
        resolve = _NameShown(planner)
        shown = []
        for sheet, number, layout, record, raw, _flagged in self.kept:
            key = (sheet, number)
            row_issues = issues.get(key, [])
            create, update = creates.get(key), updates.get(key)
            if any(issue["kind"] == "error" for issue in row_issues):
                action = "error"
            elif create is not None:
                action = "create"
            elif update is not None:
                action = "update"
            else:
                action = "unchanged"

            def cell(field_name, value=""):
                column = layout.columns.get(field_name)
                written = cells.text(raw[column.index]) if column is not None and raw is not None and column.index < len(raw) else ""
                return {"header": column.header if column else "", "value": value, "raw": written}

            amount = record.get("total_investment")
            stage = record.get("stage")
            if create is not None:
                stage = create.values.get("stage", stage)
            elif update is not None and update.moves:
                stage = update.moves[-1][0]
            row = {
                "sheet": sheet, "row": number, "action": action, "name": record.get("name", ""),
                "code": (create.values.get("code") if create is not None else record.get("code")) or "",
                "amount": cell("total_investment", _amount_text(amount) if amount is not None else ""),
                "dates": [{**cell(name, record[name].isoformat() if record.get(name) else ""), "label": LABELS[name]}
                          for name in _DATES if name in layout.columns],
                "stage": cell("stage", str(Stage(stage).label) if stage else ""),
                "issues": row_issues, "duplicates": duplicates.get(key, []),
            }
            for field_name, kind in _NAMED:
                row[kind] = cell(field_name, resolve(kind, record[field_name]) if record.get(field_name) else "")
            row["leaders"] = cell("leaders", "、".join(resolve("leader", name) for name in record.get("leaders") or ()))
            shown.append(row)
        shown.sort(key=lambda row: not row["issues"])  # stable: in the ledger's order otherwise
        return shown


class _NameShown:
    """What a unit, park or leader named in a row will be: the existing one it is (or is
    mapped to), new, or still to be answered (the mapping step)."""

    def __init__(self, planner: Planner):
        self.planner = planner
        self.known = {"unit": planner.units, "park": planner.parks, "leader": planner.people}
        self.names = {}

    def __call__(self, kind, written) -> str:
        if (kind, written) in self.planner.plan.unknown:
            return _("待对应：%(name)s") % {"name": written}
        found = self.known[kind].get(written)
        if isinstance(found, New):
            return _("新建：%(name)s") % {"name": written}
        if found is None:
            return written
        if kind not in self.names:
            model = {"unit": OrgUnit, "park": Park, "leader": Person}[kind]
            self.names[kind] = dict(model.objects.filter(zone=self.planner.zone).values_list("id", "name"))
        target = self.names[kind].get(found, written)
        return target if target == written else _("%(written)s → %(target)s") % {"written": written, "target": target}


def _summarise(result: Result, plan) -> None:
    result.projects_created = len(plan.creates)
    result.projects_updated = len(plan.updates)
    result.projects_unchanged = plan.unchanged
    result.fund_arrivals_created = len(plan.arrivals)
    result.fund_arrivals_unchanged = plan.arrivals_unchanged
    result.units_created = len(plan.new_units)
    result.parks_created = len(plan.new_parks)
    result.people_created = len(plan.new_people)
    result.enterprises_created = len(plan.new_enterprises)
    result.new_units = [unit.name for unit in plan.new_units]
    result.new_parks = [park.name for park in plan.new_parks]
    result.new_people = [person.name for person in plan.new_people]
    result.created = [
        {"sheet": create.sheet, "row": create.row, "code": create.values["code"], "name": create.values["name"],
         "stage": str(Stage(create.values["stage"]).label)}
        for create in plan.creates[:PREVIEW_ROWS]
    ]
    labels = {field.name: str(field.verbose_name) for field in Project._meta.fields}
    result.updated = [
        {"sheet": update.sheet, "row": update.row, "name": update.name,
         "fields": [labels.get(name, name) for name in update.changes] + ([str(labels["stage"])] if update.moves else [])
         + ([str(Project._meta.get_field("leaders").verbose_name)] if update.leaders is not None else [])}
        for update in plan.updates[:PREVIEW_ROWS]
    ]


def _record(actor, zone, filename, result: Result) -> None:
    from zhaoshang.core.changelog import record_data_transfer

    record_data_transfer(
        actor, "import", _("导入台账“%(file)s”：新建项目%(created)s个，更新%(updated)s个，资金到位%(arrivals)s笔")
        % {"file": filename, "created": result.projects_created, "updated": result.projects_updated,
           "arrivals": result.fund_arrivals_created},
        filters={"file": filename}, row_count=result.projects_created + result.projects_updated + result.fund_arrivals_created,
        zone=zone, model=Project,
    )


def _write(plan, *, zone, actor, result: Result, progress, header) -> None:
    """Write what the plan holds: new units, parks, people, enterprises and projects (with
    their stage history and leaders), changes to existing projects (through the actions,
    one by one), then the fund arrivals. Each row inserted in bulk is put on record in
    bulk (changelog.record_bulk); the actions record their own."""
    total = len(plan.creates) + len(plan.updates) + len(plan.arrivals)
    progress(0, total, "write")
    for new in plan.new_units:
        new.id = core_actions.create_unit(zone=zone, name=new.name, kind=new.extra["kind"], actor=actor).pk
    for new in plan.new_parks:
        new.id = core_actions.create_park(zone=zone, name=new.name, actor=actor).pk
    for new in plan.new_categories:
        new.id = project_actions.create_category(zone=zone, name=new.name).pk
    stamps = {"created_at": bulk.now(), "updated_at": bulk.now()}
    stamps["updated_at"] = stamps["created_at"]
    _insert_new(Person, plan.new_people, zone, ["id", "name"], lambda new: (new.id, new.name),
                {"title": "", "phone": "", "is_leader": True, **stamps})
    # name_pinyin: the search key save() would set (core.pinyin); these rows bypass save().
    _insert_new(Enterprise, plan.new_enterprises, zone, ["id", "name", "uscc", "name_pinyin"],
                lambda new: (new.id, new.name, new.extra.get("uscc", ""), search_key(new.name)),
                {"province": "", "city": "", "address": "", "contact_person": "", "contact_phone": "", "notes": "", **stamps})
    for pk, code in plan.enterprise_uscc.items():
        enterprise_actions.update_enterprise(Enterprise.objects.get(pk=pk), uscc=code, actor=actor)
    names = _insert_projects(plan.creates, zone=zone, actor=actor, stamps=stamps)
    review_actions.claim_unclaimed_facts(zone, actor=actor)  # 认定 of the new projects' dated facts
    done = len(plan.creates)
    progress(done, total, "write")
    plain = [update for update in plan.updates if _is_plain(update)]
    _update_plain(plain, zone=zone, stamps=stamps)
    done += len(plain)
    for update in plan.updates:
        if _is_plain(update):
            continue
        _update_project(update, actor, result, header)
        done += 1
        if done % 500 == 0:
            progress(done, total, "write")
    _insert_arrivals(plan.arrivals, names, zone=zone, actor=actor, stamps=stamps)
    progress(total, total, "write")


def _insert_new(model, news: list, zone, fields: list, row, constants: dict) -> None:
    ids = bulk.Ids(model)
    for new in news:
        new.id = ids.take()
    rows = [row(new) for new in news]
    bulk.insert(model, fields, rows, {"zone": zone.pk, **constants})
    record_bulk(model, ({**dict(zip(fields, values)), "zone_id": zone.pk} for values in rows), "create", zone=zone)


_DEFAULTS = {field.name: field.get_default() for field in Project._meta.concrete_fields}
for _name in ("contact_person", "contact_phone", "industry_label", "source_province", "source_city", "source_region", "drop_reason", "notes"):
    _DEFAULTS[_name] = ""
_BLANK_PROJECT = {name: _DEFAULTS.get(name) for name in PROJECT_FIELDS}
_project_values = operator.itemgetter(*PROJECT_FIELDS)
_RELATED_POSITIONS = [position + 1 for position, name in enumerate(PROJECT_FIELDS) if name in FK_FIELDS]
_ATTNAMES = [Project._meta.get_field(name).attname for name in PROJECT_FIELDS]
_EXTRA = Project._meta.get_field("extra")
_PHONE = Project._meta.get_field("contact_phone")  # stored encrypted (core.fields)
_EXTRA_POSITION = PROJECT_FIELDS.index("extra") + 1


BATCH = 5000  # new projects written (and put on record) at a time
_KEPT = ("code", "name", "stage", "signed_on")  # of a new project's values, once it is written


def _insert_projects(creates: list[Create], *, zone, actor, stamps) -> dict:
    """Insert the new projects with their stage history and leaders, and put them on
    record, BATCH at a time; returns their names by id (for the fund arrivals' records)."""
    project_ids, change_ids = bulk.Ids(Project), bulk.Ids(StageChange)
    actor_id = getattr(actor, "pk", None)
    names = {}
    labels = {stage.value: str(stage.label) for stage in Stage}
    for start in range(0, len(creates), BATCH):
        rows, history, leaders, records, changes = [], [], [], [], []
        for create in creates[start:start + BATCH]:
            create.id = pk = project_ids.take()
            row = [pk, *_project_values({**_BLANK_PROJECT, **create.values})]
            for position in _RELATED_POSITIONS:
                row[position] = ident(row[position])
            records.append({**dict(zip(_ATTNAMES, row[1:])), "id": pk, "zone_id": zone.pk})
            row[_EXTRA_POSITION] = _EXTRA.get_db_prep_save(row[_EXTRA_POSITION] or {}, connection)
            row.append(search_key(create.values.get("name") or ""))
            rows.append(row)
            names[pk] = create.values["name"]
            previous = ""
            for to_stage, date in create.history:
                change_id = change_ids.take()
                history.append((change_id, pk, previous, to_stage, date))
                changes.append({"id": change_id, "project_id": pk, "from_stage": previous, "to_stage": to_stage, "date": date,
                                "recorded_by_id": actor_id})
                previous = to_stage
            leaders += [(pk, ident(person)) for person in create.leaders]
            # What the summary, the preview and the fund arrivals still need.
            create.values = {name: create.values[name] for name in _KEPT if name in create.values}
            create.history = create.leaders = ()
        # People and enterprises are in already; projects go before their history and leaders.
        bulk.insert(Project, ["id", *PROJECT_FIELDS, "name_pinyin"], rows, {"zone": zone.pk, "version": 1, **stamps})
        bulk.insert(StageChange, ["id", "project", "from_stage", "to_stage", "date"], history,
                    {"reason": "", "is_backward": False, "recorded_by": actor_id, **stamps})
        bulk.insert(Project.leaders.through, ["project", "person"], leaders)
        record_bulk(Project, records, "create", zone=zone)
        record_bulk(StageChange, changes, "create", zone=zone, describe=lambda change: (
            f"{names[change['project_id']]}: {labels.get(change['from_stage']) or '—'} → {labels[change['to_stage']]}"
            f"（{change['date']}）"))
    return names


def _insert_arrivals(arrivals: list, names: dict, *, zone, actor, stamps) -> None:
    ids = bulk.Ids(FundArrival)
    rows = [(ids.take(), target.id if isinstance(target, Create) else ident(target), date, amount, note or "")
            for _sheet, _row, target, date, amount, note in arrivals]
    actor_id = getattr(actor, "pk", None)
    bulk.insert(FundArrival, ["id", "project", "date", "amount", "note"], rows, {"recorded_by": actor_id, **stamps})
    names = {**dict(Project.objects.filter(pk__in={row[1] for row in rows} - set(names)).values_list("pk", "name")), **names}
    record_bulk(FundArrival, ({"id": pk, "project_id": project, "date": date, "amount": amount, "note": note,
                               "recorded_by_id": actor_id} for pk, project, date, amount, note in rows),
                "create", zone=zone, describe=lambda arrival: f"{names.get(arrival['project_id'], '')} {arrival['date']} {arrival['amount']}万元")


# Changes the stage rules and the zone checks of projects.actions.update_project have
# nothing to say about once plan.py has made them (values read from the zone's own units,
# parks and chains; amounts checked by the cell reader): written in bulk. Codes, dates,
# sources, leaders and stage moves go through the action, one project at a time.
_PLAIN_CHANGES = {"name", "investor", "contact_person", "contact_phone", "cluster", "chain", "industry_label", "kind",
                  "total_investment", "is_fixed_asset", "responsible_unit", "park", "notes", "drop_reason", "category", "extra"}


def _is_plain(update) -> bool:
    return not update.moves and update.leaders is None and update.changes.keys() <= _PLAIN_CHANGES


def _update_plain(updates: list, *, zone, stamps) -> None:
    """UPDATE the projects whose changes are plain, one statement per set of fields
    changed, and put each change on record."""
    groups = {}
    for update in updates:
        groups.setdefault(tuple(sorted(update.changes)), []).append(update)
    quote = connection.ops.quote_name
    table = quote(Project._meta.db_table)
    instances, before = [], {}
    for names, group in groups.items():
        attnames = [Project._meta.get_field(name).attname for name in names]
        assignments = ", ".join(f"{quote(name)} = %s" for name in attnames)
        prepared = [(lambda value: _EXTRA.get_db_prep_save(value, connection)) if name == "extra"
                    else _PHONE.get_prep_value if name == "contact_phone" else ident for name in names]
        rows = [(*[prep(update.changes[name]) for prep, name in zip(prepared, names)], stamps["updated_at"], update.project_id)
                for update in group]
        if "name" in names:  # and the search key save() would keep in step (core.pinyin)
            assignments += f", {quote('name_pinyin')} = %s"
            rows = [(*row[:-2], search_key(update.changes["name"]), *row[-2:]) for row, update in zip(rows, group)]
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {table} SET {assignments}, {quote('version')} = {quote('version')} + 1, "
                               f"{quote('updated_at')} = %s WHERE id = %s", rows)
        for update in group:
            values = {attname: ident(update.changes[name]) for name, attname in zip(names, attnames)}
            instances.append({"name": update.name, **values, "id": update.project_id})
            before[update.project_id] = update.before
    record_bulk(Project, instances, "update", before=before, zone=zone)


def _update_project(update, actor, result: Result, header) -> None:
    project = Project.objects.get(pk=update.project_id)
    changes = {}
    related = {"investor": Enterprise, "responsible_unit": OrgUnit, "park": Park, "category": ProjectCategory}
    for name, value in update.changes.items():
        if name in related:
            changes[name] = related[name].objects.get(pk=ident(value))
        elif name in ("chain", "cluster"):
            changes[f"{name}_id"] = value
        else:
            changes[name] = value
    # update_project takes relations as objects; chain/cluster ids are set on the instance.
    for name in ("chain_id", "cluster_id"):
        if name in changes:
            setattr(project, name, changes.pop(name))
            changes.setdefault(name[:-3], getattr(project, name[:-3]))
    leaders = None
    if update.leaders is not None:
        leaders = list(Person.objects.filter(pk__in=[ident(person) for person in update.leaders]))
    try:
        with transaction.atomic():
            if changes or leaders is not None:
                project = project_actions.update_project(project, actor=actor, leaders=leaders, **changes)
            for to_stage, on, reason in update.moves:
                project_actions.change_stage(project, to_stage=to_stage, on=on, actor=actor, reason=reason)
                project.refresh_from_db()
    except ValidationError as error:
        messages = error.message_dict if hasattr(error, "message_dict") else {"name": error.messages}
        for name, texts in messages.items():
            for text in texts:
                result.errors.append(Issue(update.sheet, update.row, header(update.sheet, name), text))


def export_projects(projects, out, *, actor=None, zone=None, period=None, filters=None, description: str = "",
                    title: str = "", filters_text: str = "") -> int:
    """Write `projects` as a ledger workbook (zhaoshang.ledger.export.write_projects) and put
    the export on record: who, when, which filter, how many rows. Returns the row count."""
    from zhaoshang.core.changelog import record_data_transfer
    from zhaoshang.ledger.export import write_projects

    count = write_projects(projects, period=period, out=out, title=title, filters_text=filters_text,
                           zone_name=getattr(zone, "name", ""))
    record_data_transfer(actor, "export", description or _("导出项目台账"), filters=filters or {}, row_count=count,
                         zone=zone, model=Project)
    return count
