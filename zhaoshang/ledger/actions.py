"""Every write the ledger makes: importing a ledger (all or nothing) and putting imports
and exports on record.

    result = import_ledger(path, zone=zone, actor=user, dry_run=True)

Units, parks and people are created through core.actions, existing projects are updated
and moved along their stages through projects.actions (update_project, change_stage),
and an enterprise found by name gains its 统一社会信用代码 through enterprises.actions.
New projects, their stage history and leaders, new enterprises and fund arrivals take
the bulk path (zhaoshang.ledger.bulk), after plan.py has checked each one under the same
rules, so that a 100,000-row ledger imports in seconds.
"""

import datetime as dt
import gc
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhaoshang.core import actions as core_actions
from zhaoshang.core.models import OrgUnit, Park, Person
from zhaoshang.enterprises import actions as enterprise_actions
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.ledger import bulk, readers
from zhaoshang.ledger.export import FIGURES_SHEET
from zhaoshang.ledger.parsing import Issue, parse_sheet
from zhaoshang.ledger.plan import PROJECT_FIELDS, FK_FIELDS, Create, New, Planner, ident, raw_rows
from zhaoshang.projects import actions as project_actions
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
    try:
        sheets = readers.open_sheets(path, filename)
    except readers.LedgerFileError as error:
        result.errors.append(Issue(filename, None, "", str(error)))
        return result
    total = sum(sheet.height for sheet in sheets)
    result.rows_total = total
    progress(0, total, "read")
    issues, project_records, arrival_records, headers = [], [], [], {}
    done = 0
    try:
        for sheet in sheets:
            base = done
            parsed = parse_sheet(sheet, issues, progress=lambda count: progress(base + count, total, "read"))
            done += parsed.rows_read
            layout = parsed.layout
            if layout is None:
                if parsed.rows_read and sheet.name != FIGURES_SHEET:
                    result.warnings.append(Issue(sheet.name, None, "", _("没有找到台账表头（项目名称等），已跳过这个工作表")))
                continue
            result.sheets.append({"name": sheet.name, "kind": layout.kind, "rows": len(parsed.records)})
            headers[sheet.name] = {name: column.header for name, column in layout.columns.items()}
            for unknown in layout.unknown:
                result.warnings.append(Issue(sheet.name, None, unknown, _("未识别的列，已忽略")))
            for extra in layout.extra:
                if extra.field not in ("notes", "note"):
                    result.warnings.append(Issue(sheet.name, None, extra.header, _("与“%(other)s”列含义相同，已忽略") % {"other": layout.columns[extra.field].header}))
            (project_records if layout.kind == "projects" else arrival_records).extend(parsed.records)
    except readers.LedgerFileError as error:
        result.errors.append(Issue(filename, None, "", str(error)))
        return result
    result.errors.extend(issues)
    if not result.sheets:
        result.errors.append(Issue(filename, None, "", _("文件中没有找到台账表头：需要一行列名，至少包含“项目名称”及签约时间、总投资等列")))
        return result
    progress(total, total, "plan")

    planner = Planner(zone, headers=headers, today=today)
    planner.plan_projects(project_records)
    del project_records
    planner.plan_arrivals(arrival_records)
    del arrival_records
    plan = planner.plan
    result.errors.extend(plan.errors)
    result.warnings.extend(plan.warnings)
    _summarise(result, plan)
    if result.errors:
        return result

    try:
        with bulk.import_pragmas(), transaction.atomic():
            _apply(plan, zone=zone, actor=actor, result=result, progress=progress, header=planner.header)
            if result.errors or dry_run:
                raise _Rollback
            _record(actor, zone, filename, result)
    except _Rollback:
        pass
    if result.errors:
        # Nothing was written: the counts describe what would have been.
        result.errors.sort(key=lambda issue: (issue.sheet, issue.row or 0))
    return result


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


def _apply(plan, *, zone, actor, result: Result, progress, header) -> None:
    total = len(plan.creates) + len(plan.updates) + len(plan.arrivals)
    progress(0, total, "write")
    for unit in plan.new_units:
        unit.id = core_actions.create_unit(zone=zone, name=unit.name, kind=unit.extra["kind"], actor=actor).pk
    for park in plan.new_parks:
        park.id = core_actions.create_park(zone=zone, name=park.name, actor=actor).pk
    if plan.new_people:
        _create_people(zone, plan.new_people)
    if plan.new_enterprises:
        _create_enterprises(zone, plan.new_enterprises)
    for pk, code in plan.enterprise_uscc.items():
        enterprise_actions.update_enterprise(Enterprise.objects.get(pk=pk), uscc=code, actor=actor)
    if plan.creates:
        _create_projects(zone, plan.creates, actor, lambda done: progress(done, total, "write"))
    done = len(plan.creates)
    for update in plan.updates:
        _update_project(update, actor, result, header)
        done += 1
        if done % 500 == 0:
            progress(done, total, "write")
    if plan.arrivals:
        _create_arrivals(plan.arrivals, actor)
    progress(total, total, "write")


def _create_people(zone, people: list[New]) -> None:
    before = bulk.max_id(Person)
    now = bulk.now()
    bulk.insert(Person, ["zone", "name", "title", "phone", "is_leader", "created_at", "updated_at"],
                ((zone.pk, person.name, "", "", True, now, now) for person in people))
    ids = dict(Person.objects.filter(zone=zone, pk__gt=before).values_list("name", "id"))
    for person in people:
        person.id = ids[person.name]


def _create_enterprises(zone, enterprises: list[New]) -> None:
    before = bulk.max_id(Enterprise)
    now = bulk.now()
    blank = ("",) * 6
    bulk.insert(Enterprise, ["zone", "name", "uscc", "province", "city", "address", "contact_person", "contact_phone", "notes",
                             "created_at", "updated_at"],
                ((zone.pk, new.name, new.extra.get("uscc", ""), *blank, now, now) for new in enterprises))
    ids = {(name, code): pk for pk, name, code in raw_rows(Enterprise.objects.filter(zone=zone, pk__gt=before).values_list("id", "name", "uscc"))}
    for new in enterprises:
        new.id = ids[(new.name, new.extra.get("uscc", ""))]


_PROJECT_COLUMNS = ["zone"] + PROJECT_FIELDS + ["version", "created_at", "updated_at"]
_DEFAULTS = {field.name: field.get_default() for field in Project._meta.concrete_fields}
for _name in ("contact_person", "contact_phone", "industry_label", "source_province", "source_city", "source_region", "drop_reason", "notes"):
    _DEFAULTS[_name] = ""


def _create_projects(zone, creates: list[Create], actor, progress) -> None:
    now = bulk.now()
    before = bulk.max_id(Project)

    defaults = [_DEFAULTS.get(name) for name in PROJECT_FIELDS]
    related = [position + 1 for position, name in enumerate(PROJECT_FIELDS) if name in FK_FIELDS]
    head, tail = [zone.pk], [1, now, now]

    def rows():
        for index, create in enumerate(creates):
            row = head + list(map(create.values.get, PROJECT_FIELDS, defaults))
            for position in related:
                if row[position].__class__ is New:
                    row[position] = row[position].id
            row += tail
            if index % 5000 == 4999:
                progress(index + 1)
            yield row

    bulk.insert(Project, _PROJECT_COLUMNS, rows())
    ids = dict(raw_rows(Project.objects.filter(zone=zone, pk__gt=before).values_list("code", "id")))
    for create in creates:
        create.id = ids[create.values["code"]]
    actor_id = getattr(actor, "pk", None)

    def history():
        for create in creates:
            previous = ""
            for to_stage, date in create.history:
                yield (create.id, previous, to_stage, date, "", False, actor_id, now, now)
                previous = to_stage

    bulk.insert(StageChange, ["project", "from_stage", "to_stage", "date", "reason", "is_backward", "recorded_by", "created_at", "updated_at"],
                history())
    through = Project.leaders.through
    bulk.insert(through, ["project", "person"],
                ((create.id, ident(person)) for create in creates for person in create.leaders))


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


def _create_arrivals(arrivals, actor) -> None:
    now = bulk.now()
    actor_id = getattr(actor, "pk", None)
    bulk.insert(FundArrival, ["project", "date", "amount", "note", "recorded_by", "created_at", "updated_at"],
                ((ident(target) if not isinstance(target, Create) else target.id, date, amount, note or "", actor_id, now, now)
                 for _sheet, _row, target, date, amount, note in arrivals))


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
