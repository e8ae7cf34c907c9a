"""Every write the ledger makes: importing a ledger (all or nothing) and putting imports
and exports on record.

    result = import_ledger(path, zone=zone, actor=user, dry_run=True)

Units and parks are created through core.actions, existing projects are updated and
moved along their stages through projects.actions (update_project, change_stage), and an
enterprise found by name gains its 统一社会信用代码 through enterprises.actions. New
projects, their stage history and leaders, new people and enterprises and fund arrivals
take the bulk path (zhaoshang.ledger.bulk), after plan.py has checked each one under the
same rules, so that a 100,000-row ledger imports in seconds.

The steps overlap: reading.py reads the file (in a second process on Linux), the planner
takes each project row as it arrives, and _Writes hands each new project to a writer
thread at once. All of it happens in one transaction, rolled back on the first error
(or for a dry run), so that nothing is written unless everything is.
"""

import datetime as dt
import gc
import operator
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from zhaoshang.core import actions as core_actions
from zhaoshang.core.models import OrgUnit, Park, Person
from zhaoshang.core.pinyin import search_key
from zhaoshang.enterprises import actions as enterprise_actions
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.ledger import bulk, readers, reading
from zhaoshang.ledger.export import FIGURES_SHEET
from zhaoshang.ledger.parsing import Issue
from zhaoshang.ledger.plan import PROJECT_FIELDS, FK_FIELDS, Create, New, Planned, Planner, ident
from zhaoshang.projects import actions as project_actions
from zhaoshang.review import actions as review_actions
from zhaoshang.projects.models import FundArrival, Project, StageChange

PREVIEW_ROWS = 200


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
    created: list = field(default_factory=list)  # the first PREVIEW_ROWS: {sheet, row, code, name, stage}
    updated: list = field(default_factory=list)  # the first PREVIEW_ROWS: {sheet, row, name, fields}
    sheets: list = field(default_factory=list)  # {name, kind, rows}
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
            "new_units", "new_parks", "new_people", "created", "updated", "sheets", "rows_total",
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


def _progress_noop(done, total, phase=""):
    pass


def import_ledger(path, *, zone, actor=None, dry_run: bool = False, filename: str = "", today: dt.date | None = None,
                  progress=None) -> Result:
    """Import a ledger file into `zone`: all or nothing. Returns what was done; with
    errors (or dry_run) nothing is written. `progress(done, total, phase)` is called as
    rows are read and written."""
    # A ledger makes millions of small objects that all live until the end; the cyclic
    # garbage collector would walk them again and again for nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _import_ledger(path, zone=zone, actor=actor, dry_run=dry_run, filename=filename, today=today, progress=progress)
    finally:
        if collecting:
            gc.enable()


def _import_ledger(path, *, zone, actor, dry_run, filename, today, progress) -> Result:
    progress = progress or _progress_noop
    path = Path(path)
    filename = filename or path.name
    result = Result(dry_run=dry_run)
    # New projects are written while the ledger is still being read (see reading.py and
    # _Writes); the first error stops the writing, and the transaction is rolled back.
    try:
        with bulk.import_pragmas(), transaction.atomic():
            issues = []
            with _Writes(zone, actor, issues) as writes, connection.execute_wrapper(writes.wait_for_writer):
                planner = Planner(zone, headers={}, today=today, sink=writes)
                writes.plan = planner.plan
                consumer = _Reading(result, planner, issues, progress)
                reading.read(path, filename, consumer)
                result.errors.extend(issues)
                if not result.sheets:
                    result.errors.append(Issue(filename, None, "", _("文件中没有找到台账表头：需要一行列名，至少包含“项目名称”及签约时间、总投资等列")))
                    raise _Rollback
                progress(result.rows_total, result.rows_total, "plan")
                planner.finish_projects()
                planner.plan_arrivals(consumer.arrival_records)
                del consumer
                plan = planner.plan
                result.errors.extend(plan.errors)
                result.warnings.extend(plan.warnings)
                _summarise(result, plan)
                if result.errors:
                    raise _Rollback
                writes.finish()
                _apply(plan, writes, zone=zone, actor=actor, result=result, progress=progress, header=planner.header)
            if result.errors or dry_run:
                raise _Rollback
            _record(actor, zone, filename, result)
    except _Rollback:
        pass
    except readers.LedgerFileError as error:
        return Result(dry_run=dry_run, rows_total=result.rows_total, errors=[Issue(filename, None, "", str(error))])
    if result.errors:
        # Nothing was written: the counts describe what would have been.
        result.errors.sort(key=lambda issue: (issue.sheet, issue.row or 0))
    return result


class _Reading:
    """Takes the events of reading.read(): project rows go to the planner as they come;
    fund-arrival rows are kept (they may name projects of rows further down)."""

    def __init__(self, result: Result, planner: Planner, issues: list, progress):
        self.result, self.planner, self.issues, self.progress = result, planner, issues, progress
        self.arrival_records = []
        self.take = None
        self.counts = Counter()
        self.done = 0  # rows of the sheets read to their end

    def __call__(self, event):
        kind, sheet = event[0], event[1]
        if kind == "rows":
            _kind, _sheet, records, issues = event
            self.issues.extend(issues)
            take = self.take
            for record in records:
                take(record)
            self.counts[sheet] += len(records)
        elif kind == "progress":
            self.progress(self.done + event[2], self.result.rows_total, "read")
        elif kind == "layout":
            layout = event[2]
            self.planner.headers[sheet] = {name: column.header for name, column in layout.columns.items()}
            self.take = self.planner.take_project if layout.kind == "projects" else self.arrival_records.append
        elif kind == "sheet":
            self.sheet_read(sheet, event[2], event[3])
        elif kind == "sheets":
            self.result.rows_total = sum(rows for _name, rows in sheet)
            self.progress(0, self.result.rows_total, "read")

    def sheet_read(self, name, layout, rows_read):
        self.done += rows_read
        result = self.result
        if layout is None:
            if rows_read and name != FIGURES_SHEET:
                result.warnings.append(Issue(name, None, "", _("没有找到台账表头（项目名称等），已跳过这个工作表")))
            return
        result.sheets.append({"name": name, "kind": layout.kind, "rows": self.counts[name]})
        for unknown in layout.unknown:
            result.warnings.append(Issue(name, None, unknown, _("未识别的列，已忽略")))
        for extra in layout.extra:
            if extra.field not in ("notes", "note"):
                result.warnings.append(Issue(name, None, extra.header, _("与“%(other)s”列含义相同，已忽略") % {"other": layout.columns[extra.field].header}))


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
    from zhaoshang.projects.stages import Stage

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


def _apply(plan, writes: "_Writes", *, zone, actor, result: Result, progress, header) -> None:
    """The writes that follow the new projects: credit codes found for existing
    enterprises, changes to existing projects (through the actions, one by one), and
    the fund arrivals."""
    # New projects were written as they were read; they count as done.
    done = len(plan.creates)
    total = done + len(plan.updates) + len(plan.arrivals)
    progress(done, total, "write")
    review_actions.claim_unclaimed_facts(zone, actor=actor)  # 认定 of the new projects' dated facts
    for pk, code in plan.enterprise_uscc.items():
        enterprise_actions.update_enterprise(Enterprise.objects.get(pk=pk), uscc=code, actor=actor)
    for update in plan.updates:
        _update_project(update, actor, result, header)
        done += 1
        if done % 500 == 0:
            progress(done, total, "write")
    if plan.arrivals:
        writes.arrivals(plan.arrivals)
    progress(total, total, "write")


_DEFAULTS = {field.name: field.get_default() for field in Project._meta.concrete_fields}
for _name in ("contact_person", "contact_phone", "industry_label", "source_province", "source_city", "source_region", "drop_reason", "notes"):
    _DEFAULTS[_name] = ""
_BLANK_PROJECT = {name: _DEFAULTS.get(name) for name in PROJECT_FIELDS}
_project_values = operator.itemgetter(*PROJECT_FIELDS)
_RELATED_POSITIONS = [position + 1 for position, name in enumerate(PROJECT_FIELDS) if name in FK_FIELDS]
_DATE_POSITIONS = [position + 1 for position, name in enumerate(PROJECT_FIELDS) if name.endswith("_on")]


class _DatesAsStored(dict):
    """date → what the database stores for it, worked out once per distinct date: on
    SQLite the ISO text its adapter would otherwise make again for every value, with
    the GIL held by the writer thread."""

    def __missing__(self, date):
        self[date] = stored = connection.ops.adapt_datefield_value(date)
        return stored


class _Writes(Planned):
    """Writes what the planner plans, as it plans it: new units and parks through the
    core actions, new people, enterprises and projects (with their stage history and
    leaders) through bulk.Writer, which on SQLite runs the INSERTs beside the reading.
    Once the ledger has an error nothing more is written; the import rolls back."""

    def __init__(self, zone, actor, issues: list):
        self.zone, self.zone_id, self.actor = zone, zone.pk, actor
        self.issues = issues  # cell errors, as the sheets are read
        self.plan = None  # the planner's, for its errors
        self.now = bulk.now()
        self.ids = {model: bulk.Ids(model) for model in (Person, Enterprise, Project)}
        self.take_project_id = self.ids[Project].take
        self.writer = bulk.Writer()
        writer = self.writer
        now, zone_id = self.now, zone.pk
        stamps = {"created_at": now, "updated_at": now}
        self.people = bulk.Table(writer, Person, ["id", "name"],
                                 {"zone": zone_id, "title": "", "phone": "", "is_leader": True, **stamps})
        # name_pinyin: the key save() would set (core.pinyin), these rows bypass save().
        self.enterprises = bulk.Table(writer, Enterprise, ["id", "name", "uscc", "name_pinyin"], {
            "zone": zone_id, "province": "", "city": "", "address": "", "contact_person": "", "contact_phone": "", "notes": "", **stamps})
        # Not numbered constants here: on a table this wide SQLite runs them slower.
        self.projects = bulk.Table(writer, Project, ["id", *PROJECT_FIELDS, "zone", "phase", "version", "created_at", "updated_at",
                                                     "name_pinyin"])
        self.project_tail = (zone_id, "", 1, now, now)
        self.history = bulk.Table(writer, StageChange, ["project", "from_stage", "to_stage", "date"],
                                  {"reason": "", "is_backward": False, "recorded_by": getattr(actor, "pk", None), **stamps})
        self.leaders = bulk.Table(writer, Project.leaders.through, ["project", "person"])
        self.actor_id = getattr(actor, "pk", None)
        self.dates = _DatesAsStored()

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        self.writer.__exit__(kind, value, traceback)

    @property
    def failed(self) -> bool:
        return bool(self.issues or self.plan.errors)

    def wait_for_writer(self, execute, sql, params, many, context):
        """Django's own queries (units, parks, chains, existing projects …) wait for the
        statements the writer thread still has: they share its connection."""
        self.writer.drain()
        return execute(sql, params, many, context)

    def unit(self, new):
        if not self.failed:
            new.id = core_actions.create_unit(zone=self.zone, name=new.name, kind=new.extra["kind"], actor=self.actor).pk

    def park(self, new):
        if not self.failed:
            new.id = core_actions.create_park(zone=self.zone, name=new.name, actor=self.actor).pk

    def person(self, new):
        if not self.failed:
            new.id = self.ids[Person].take()
            self.people.add((new.id, new.name))

    def enterprise(self, new):
        if not self.failed:
            new.id = self.ids[Enterprise].take()
            self.enterprises.add((new.id, new.name, new.extra.get("uscc", ""), search_key(new.name)))

    def enterprise_code(self, new):
        if not self.failed and new.id is not None:
            self.enterprises.flush()  # its INSERT goes first
            self.writer.update(Enterprise, new.id, uscc=new.extra["uscc"])

    def recode(self, create):
        if not self.failed and create.id is not None:
            self.flush()  # its INSERT goes first, and the row now holding its old code after
            self.writer.update(Project, create.id, code=create.values["code"])

    def create(self, create):
        if self.failed:
            return
        create.id = pk = self.take_project_id()
        row = [pk, *_project_values({**_BLANK_PROJECT, **create.values}), *self.project_tail,
               search_key(create.values.get("name") or "")]
        for position in _RELATED_POSITIONS:
            if row[position].__class__ is New:
                row[position] = row[position].id
        dates = self.dates
        for position in _DATE_POSITIONS:
            if row[position] is not None:
                row[position] = dates[row[position]]
        projects = self.projects.rows
        projects.append(row)
        previous, history = "", self.history.rows
        for to_stage, date in create.history:
            history.append((pk, previous, to_stage, dates[date]))
            previous = to_stage
        if create.leaders:
            self.leaders.rows += [(pk, ident(person)) for person in create.leaders]
        if len(projects) >= self.projects.per:
            self.flush(partial=False)

    def flush(self, partial=True):
        # People and enterprises before the projects naming them, projects before their
        # history and leaders: SQLite then never has a deferred foreign key to look up.
        self.people.flush()
        self.enterprises.flush()
        for table in (self.projects, self.history, self.leaders):
            table.flush(partial)

    def finish(self):
        """Every new project is planned: write what is left and wait for it."""
        self.flush()
        self.writer.drain()

    def arrivals(self, arrivals):
        table = bulk.Table(self.writer, FundArrival, ["project", "date", "amount", "note"],
                           {"recorded_by": self.actor_id, "created_at": self.now, "updated_at": self.now})
        table.extend((ident(target) if not isinstance(target, Create) else target.id, date, amount, note or "")
                     for _sheet, _row, target, date, amount, note in arrivals)
        table.flush()
        self.writer.drain()


def _update_project(update, actor, result: Result, header) -> None:
    project = Project.objects.get(pk=update.project_id)
    changes = {}
    related = {"investor": Enterprise, "responsible_unit": OrgUnit, "park": Park}
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
