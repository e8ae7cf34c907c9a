"""What an import would do, worked out in memory before anything is written: which rows
create a project, which update one (and what changes), which leave it as it is; the
units, parks, people and enterprises to create; the fund arrivals to add; and every
warning and error, each naming its sheet, row, column and reason.

Rows are matched to projects by 项目编号, else by name within the zone; fund arrivals by
project, date and amount. A column the ledger lacks, or a blank cell, leaves the field as
it was. New projects are checked here with the stage rules of projects.actions (dates
decide the stage; where a stage word disagrees, the dates win with a warning).
"""

import datetime as dt
import decimal
import functools
import itertools
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _

from zhaoshang.core import numbering
from zhaoshang.core.fields import EncryptedCharField
from zhaoshang.core.models import OrgUnit, Park, Person
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.industry.actions import find_chain
from zhaoshang.industry.models import IndustryChain, IndustryCluster
from zhaoshang.ledger.columns import LABELS
from zhaoshang.ledger.models import NameMapping
from zhaoshang.ledger.names import KIND_LABELS, KINDS, NEW_WORDS, NameAnswers
from zhaoshang.ledger.parsing import Issue
from zhaoshang.projects import actions as project_actions
from zhaoshang.projects.models import FundArrival, Project, ProjectCategory
from zhaoshang.projects.regions import region_of, split_source
from zhaoshang.projects.stages import DATE_FIELD, DATED_STAGES, RANK, Stage, stage_from_dates


class New:
    """Something the import will create; its id is known once it is written."""

    __slots__ = ("name", "extra", "id")

    def __init__(self, name, **extra):
        self.name, self.extra, self.id = name, extra, None

    def __repr__(self):
        return f"New({self.name!r})"


def ident(ref):
    return ref.id if isinstance(ref, New) else ref


# The project fields a ledger row can set, in the order new projects are inserted.
PROJECT_FIELDS = [
    "code", "name", "investor", "contact_person", "contact_phone", "cluster", "chain", "industry_label", "kind",
    "total_investment", "is_fixed_asset", "source_province", "source_city", "source_region", "responsible_unit", "park",
    "stage", "signed_on", "planned_start_on", "started_on", "producing_on", "dropped_on", "drop_reason", "notes", "category",
    "extra",
]
FK_FIELDS = {"investor", "cluster", "chain", "responsible_unit", "park", "category"}
PLAIN_FIELDS = ["kind", "total_investment", "is_fixed_asset", "contact_person", "contact_phone", "notes", "planned_start_on", "drop_reason"]
_EXISTING_FIELDS = [
    "id", "code", "name", "investor_id", "contact_person", "contact_phone", "cluster_id", "chain_id", "industry_label", "kind",
    "total_investment", "is_fixed_asset", "source_province", "source_city", "responsible_unit_id", "park_id", "stage",
    "signed_on", "planned_start_on", "started_on", "producing_on", "dropped_on", "drop_reason", "notes", "category_id", "extra",
]


# Existing rows are read with plain cursors (a re-import reads every project of the zone;
# model rows or the ORM's per-value converters would cost more than the comparison).
# PostgreSQL gives dates, Decimals and bools; SQLite gives text, numbers and 0/1, made
# here what Django's SQLite converters make of them.
_DATE_FIELDS = {"signed_on", "planned_start_on", "started_on", "producing_on", "dropped_on", "date"}
_SQLITE_DECIMAL = decimal.Context(prec=15).create_decimal_from_float  # as django.db.backends.sqlite3
_CENT = Decimal("0.01")


def _sqlite_date(value):
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _sqlite_decimal(value):
    return _SQLITE_DECIMAL(value).quantize(_CENT)


def raw_rows(queryset) -> list[tuple]:
    """The rows of a values_list() queryset as the database gives them."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def _decrypted(field, value):
    return field.from_db_value(value, None, connection)


def typed_rows(queryset, names: list[str]) -> list[tuple]:
    """raw_rows() with the date, amount and yes/no columns among `names` as Python values."""
    rows = raw_rows(queryset.values_list(*names))
    # JSON comes back as text on both databases (Django decodes it in the field, skipped here).
    converters = [(index, _json) for index, name in enumerate(names) if name == "extra"]
    # Phones come back as their tokens (core.fields): read as the field reads them.
    columns = [queryset.model._meta.get_field(name) for name in names]
    converters += [(index, functools.partial(_decrypted, column)) for index, column in enumerate(columns)
                   if isinstance(column, EncryptedCharField)]
    if connection.vendor == "sqlite":
        converters += [(index, _sqlite_date) for index, name in enumerate(names) if name in _DATE_FIELDS]
        converters += [(index, _sqlite_decimal) for index, name in enumerate(names) if name in ("total_investment", "amount")]
        converters += [(index, bool) for index, name in enumerate(names) if name == "is_fixed_asset"]
    if not converters:
        return rows
    typed = []
    for row in rows:
        row = list(row)
        for index, convert in converters:
            value = row[index]
            if value is not None:
                row[index] = convert(value)
        typed.append(row)
    return typed


def _chunks(ids, size=2000):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


_COPIED = PLAIN_FIELDS + ["signed_on", "started_on", "producing_on", "dropped_on", "extra"]  # as written
_STAGES = {stage.value: stage for stage in Stage}
_COLUMN = {name: f"{name}_id" for name in FK_FIELDS}  # field → its key in a current row
_NOT_COMPARED = {"signed_on", "started_on", "producing_on", "dropped_on", "source_region"}
_DATED_FIELDS = [(dated, DATE_FIELD[dated]) for dated in DATED_STAGES]


# The plausible window for a ledger's dates: what happened (签约, 开工, 投产, 终止, 到位)
# lies between EARLIEST_DATE and today; a planned start up to PLANNED_YEARS ahead.
EARLIEST_DATE = dt.date(1990, 1, 1)
PLANNED_YEARS = 10
FACT_DATES = ("signed_on", "started_on", "producing_on", "dropped_on", "date")


def date_window(field_name: str, today: dt.date) -> tuple[dt.date, dt.date]:
    if field_name in FACT_DATES:
        return EARLIEST_DATE, today
    return EARLIEST_DATE, today.replace(year=today.year + PLANNED_YEARS, day=min(today.day, 28))


def _name_of(known: dict, target) -> str:
    return next((name for name, pk in known.items() if pk == target), "")


_CATEGORY_SUFFIX = re.compile("(?:类项目|项目|类)$")


def category_key(name: str) -> str:
    """工业项目, 工业类 and 工业 are one 项目类别."""
    return _CATEGORY_SUFFIX.sub("", name.strip()) or name.strip()


def guess_unit_kind(name: str) -> str:
    if "专班" in name:
        return OrgUnit.Kind.TASK_FORCE
    if name.endswith(("集团", "公司")):
        return OrgUnit.Kind.SOE
    if name.endswith(("局", "委", "办", "委员会", "中心", "所")):
        return OrgUnit.Kind.DEPARTMENT
    return OrgUnit.Kind.TASK_FORCE


def _value_changes(values: dict, current: dict, stage: Stage) -> dict:
    """The row's values that differ from the project's (dates and the region aside: see
    _date_changes); a 终止原因 only for a project already ended."""
    changes = {}
    for name, value in values.items():
        if name in _NOT_COMPARED:
            continue
        if value.__class__ is New or current[_COLUMN.get(name, name)] != value:
            if name == "drop_reason" and stage != Stage.DROPPED:
                continue
            changes[name] = value
    return changes


def _date_changes(values: dict, current: dict, stage: Stage, changes: dict) -> list:
    """Dates of stages already reached are corrections (into `changes`); later ones move
    the project on: returns those moves, (stage, date, reason) in stage order."""
    moves = []
    for dated, date_field in _DATED_FIELDS:
        date = values.get(date_field)
        if date is None or date == current[date_field]:
            continue
        if stage is Stage.DROPPED or RANK[dated] <= RANK[stage]:
            changes[date_field] = date
        else:
            moves.append((dated, date, ""))
    return moves


class _NewProject:
    """The attributes of a new project that the stage checks of projects.actions read."""

    __slots__ = ("stage", "signed_on", "started_on", "producing_on", "dropped_on", "drop_reason")

    def __init__(self, stage, signed_on, started_on, producing_on, dropped_on, drop_reason):
        self.stage, self.signed_on, self.started_on = stage, signed_on, started_on
        self.producing_on, self.dropped_on, self.drop_reason = producing_on, dropped_on, drop_reason


@dataclass(slots=True)
class Create:
    sheet: str
    row: int
    values: dict  # PROJECT_FIELDS → value (FKs as ids or New)
    leaders: list  # ids or New
    history: list  # (to_stage, date)
    id: int | None = None  # once written


@dataclass
class Update:
    sheet: str
    row: int
    project_id: int
    name: str
    changes: dict  # field → value (FKs as ids or New)
    leaders: list | None
    moves: list  # (to_stage, date, reason)
    before: dict = field(default_factory=dict)  # field → its current value (FKs as ids), for the change log


@dataclass
class Plan:
    creates: list[Create] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    unchanged: int = 0
    arrivals: list = field(default_factory=list)  # (sheet, row, project ref, date, amount, note)
    arrivals_unchanged: int = 0
    new_units: list = field(default_factory=list)
    new_parks: list = field(default_factory=list)
    new_people: list = field(default_factory=list)
    new_enterprises: list = field(default_factory=list)
    new_categories: list = field(default_factory=list)
    unknown: dict = field(default_factory=dict)  # (kind, name) → (sheet, row) first naming it: the mapping step asks
    mapped: list = field(default_factory=list)  # {kind, written, target, remembered}
    answered_new: list = field(default_factory=list)  # (kind, name) answered 新建 (or created as missing)
    enterprise_uscc: dict = field(default_factory=dict)  # existing enterprise id → 统一社会信用代码 to add
    warnings: list = field(default_factory=list)
    errors: list = field(default_factory=list)


# Fields whose problems are reported under another field's column.
_MESSAGE_COLUMN = {"on": "stage", "to_stage": "stage", "reason": "stage", "chain": "industry", "cluster": "industry",
                   "industry_label": "industry", "source_province": "source", "source_city": "source"}


class Planner:
    def __init__(self, zone, *, headers: dict, today: dt.date | None = None, names: NameAnswers | None = None):
        """`headers`: sheet → {field: column header as written}, for messages; it may be
        filled in as sheets are read. `names`: the answers of the mapping step (names.py);
        None creates every unit, park and leader not yet known."""
        self.answers = names
        self.remembered = {kind: {} for kind in KINDS}
        for kind, written, target in NameMapping.objects.filter(zone=zone).values_list("kind", "written", "target_id"):
            self.remembered[kind][written] = target
        self.zone = zone
        self.today = today or dt.date.today()
        self.headers = headers
        self.plan = Plan()
        # Projects as the rows come: codes and names seen, projects already claimed by a
        # row, rows matching existing projects, codes given to new projects without one.
        self.seen_codes, self.seen_names, self.claimed = {}, {}, {}
        self.matched = []
        self.numbered, self.counters = {}, {}
        self.units = dict(OrgUnit.objects.filter(zone=zone).values_list("name", "id"))
        self.parks = dict(Park.objects.filter(zone=zone).values_list("name", "id"))
        self.people = {}
        for name, pk in Person.objects.filter(zone=zone).order_by("-is_leader", "id").values_list("name", "id"):
            self.people.setdefault(name, pk)
        self.by_uscc, self.enterprise_names = {}, {}
        for pk, name, code in raw_rows(Enterprise.objects.filter(zone=zone).order_by("id").values_list("id", "name", "uscc")):
            if code:
                self.by_uscc[code] = pk
            self.enterprise_names.setdefault(name, (pk, code))
        self.codes = {}
        self.names = {}
        for pk, code, name in raw_rows(Project.objects.filter(zone=zone).values_list("id", "code", "name")):
            self.codes[code] = pk
            self.names.setdefault(name, []).append(pk)
        self.highest_existing_id = max(self.codes.values(), default=0)
        self.categories = {category_key(name): pk for name, pk in ProjectCategory.objects.filter(zone=zone).values_list("name", "id")}
        self.clusters = dict(IndustryCluster.objects.filter(zone=zone).values_list("name", "id"))
        self.chain_cluster = dict(IndustryChain.objects.filter(zone=zone).values_list("id", "cluster_id"))
        self.industry_cache = {}
        self.industry_values = {}  # an industry match → a new project's chain/cluster/industry_label
        self.sources = {}  # 项目来源地 as written → (province, city, region)
        self.unknown_industries = {}  # label → (sheet, row, header, count)

    # ------------------------------------------------------------- messages

    def header(self, sheet, name):
        name = _MESSAGE_COLUMN.get(name, name)
        return self.headers.get(sheet, {}).get(name) or LABELS.get(name, "")

    def error(self, record, field_name, message):
        self.plan.errors.append(Issue(record["sheet"], record["row"], self.header(record["sheet"], field_name), message))

    def warn(self, record, field_name, message):
        self.plan.warnings.append(Issue(record["sheet"], record["row"], self.header(record["sheet"], field_name), message))

    def validation_error(self, record, error: ValidationError, default_field="name"):
        if hasattr(error, "message_dict"):
            for name, messages in error.message_dict.items():
                for message in messages:
                    self.error(record, name if name != "__all__" else default_field, message)
        else:
            for message in error.messages:
                self.error(record, default_field, message)

    # ------------------------------------------------------------- references

    def mapped(self, kind, name, known: dict, record):
        """An existing id for a name the zone does not have: a remembered answer, or the
        one given; None to create it. Without either, the name is noted as unknown."""
        target = self.remembered[kind].get(name)
        if target is not None and target in known.values():
            self.plan.mapped.append({"kind": kind, "written": name, "target": _name_of(known, target), "remembered": True})
            return target
        if self.answers is None:
            return None
        answer = self.answers.given.get(kind, {}).get(name)
        if answer is not None and answer.strip() not in NEW_WORDS:
            if answer not in known:
                self.error(record, {"unit": "responsible_unit", "park": "park", "leader": "leaders"}[kind],
                           _("对应文件把“%(name)s”对应到“%(answer)s”，但本园区没有这个%(kind)s") % {"name": name, "answer": answer, "kind": KIND_LABELS[kind]})
                return None
            self.plan.mapped.append({"kind": kind, "written": name, "target": answer, "remembered": False})
            return known[answer]
        if answer is None and not self.answers.create_missing:
            self.plan.unknown.setdefault((kind, name), (record["sheet"], record["row"]))
        else:
            self.plan.answered_new.append((kind, name))
        return None

    def unit(self, name, record=None):
        if name not in self.units:
            found = self.mapped("unit", name, self.units, record)
            if found is not None:
                self.units[name] = found
                return found
            self.units[name] = New(name, kind=guess_unit_kind(name))
            self.plan.new_units.append(self.units[name])
        return self.units[name]

    def park(self, name, record=None):
        if name not in self.parks:
            found = self.mapped("park", name, self.parks, record)
            if found is not None:
                self.parks[name] = found
                return found
            self.parks[name] = New(name)
            self.plan.new_parks.append(self.parks[name])
        return self.parks[name]

    def category(self, name):
        key = category_key(name)
        if key not in self.categories:
            self.categories[key] = New(key)
            self.plan.new_categories.append(self.categories[key])
        return self.categories[key]

    def person(self, name, record=None):
        if name not in self.people:
            found = self.mapped("leader", name, self.people, record)
            if found is not None:
                self.people[name] = found
                return found
            self.people[name] = New(name)
            self.plan.new_people.append(self.people[name])
        return self.people[name]

    def enterprise(self, record):
        name, code = record.get("investor"), record.get("uscc")
        if code and code in self.by_uscc:
            return self.by_uscc[code]
        if not name:
            self.warn(record, "uscc", _("只有统一社会信用代码、没有投资主体名称，未关联投资主体"))
            return None
        found = self.enterprise_names.get(name)
        if found is not None:
            pk, existing_code = found
            if not code or existing_code == code:
                return pk
            if not existing_code:
                # As find_or_create_enterprise: a name match without a code gains the code.
                if not isinstance(pk, New):
                    self.plan.enterprise_uscc[pk] = code
                else:
                    pk.extra["uscc"] = code
                self.enterprise_names[name] = (pk, code)
                self.by_uscc[code] = pk
                return pk
        new = New(name, uscc=code or "")
        self.plan.new_enterprises.append(new)
        if code:
            self.by_uscc[code] = new
        if name not in self.enterprise_names:
            self.enterprise_names[name] = (new, code or "")
        return new

    def industry(self, record):
        """('chain', chain id, cluster id) | ('cluster', cluster id) | ('label', text)."""
        label = record["industry"]
        if label not in self.industry_cache:
            chain = find_chain(self.zone, label)
            if chain is not None:
                self.industry_cache[label] = ("chain", chain.pk, chain.cluster_id)
            elif label in self.clusters:
                self.industry_cache[label] = ("cluster", self.clusters[label])
            else:
                self.industry_cache[label] = ("label", label)
        found = self.industry_cache[label]
        if found[0] == "label":
            if label in self.unknown_industries:
                self.unknown_industries[label][3] += 1
            else:
                self.unknown_industries[label] = [record["sheet"], record["row"], self.header(record["sheet"], "industry"), 1]
        return found

    # ------------------------------------------------------------- projects

    def take_project(self, record: dict) -> None:
        """Plan one project row, as it is read."""
        code, name = record.get("code"), record["name"]
        if self._repeats_a_row(record, code, name):
            return
        found, pk = self._existing_project(record, code, name)
        if not found:
            return
        if record.pop("bad", False):
            return  # its cell errors are already listed
        if not self.dates_in_window(record, ("signed_on", "planned_start_on", "started_on", "producing_on", "dropped_on")):
            return
        resolved = self.resolve(record)
        if pk is None:
            self.plan_create(record, resolved)
        else:
            self.matched.append((pk, record, resolved))

    def _repeats_a_row(self, record, code, name) -> bool:
        """A code or name an earlier row of the ledger already gave (an error); else notes them."""
        seen_codes, seen_names = self.seen_codes, self.seen_names
        if code:
            if code in seen_codes:
                self.error(record, "code", _("项目编号“%(code)s”与第%(row)s行重复") % {"code": code, "row": seen_codes[code]})
                return True
            seen_codes[code] = record["row"]
            if code in self.numbered:
                self.renumber(self.numbered.pop(code))
        # The same name under two different codes is two projects.
        if name in seen_names and not (code and seen_names[name][1] and seen_names[name][1] != code):
            self.error(record, "name", _("项目“%(name)s”与第%(row)s行重复") % {"name": name, "row": seen_names[name][0]})
            return True
        seen_names.setdefault(name, (record["row"], code))
        return False

    def _existing_project(self, record, code, name) -> tuple[bool, int | None]:
        """(fine, the zone's project the row matches or None): by code, else by a unique name.
        Not fine (an error) when the name is not unique or an earlier row took the project."""
        pk = None
        if code and code in self.codes:
            pk = self.codes[code]
        elif name in self.names:
            candidates = self.names[name]
            if len(candidates) > 1:
                self.error(record, "name", _("本园区有%(count)s个名为“%(name)s”的项目，请填写项目编号以区分") % {"count": len(candidates), "name": name})
                return False, None
            pk = candidates[0]
        if pk is not None:
            if pk in self.claimed:
                self.error(record, "name", _("与第%(row)s行是同一个项目") % {"row": self.claimed[pk]})
                return False, None
            self.claimed[pk] = record["row"]
        return True, pk

    def finish_projects(self) -> None:
        """After the last project row: the rows that match existing projects."""
        self.plan_updates(self.matched)
        self.matched = []
        for label, (sheet, row, header, count) in self.unknown_industries.items():
            self.plan.warnings.append(Issue(sheet, row, header, _("产业“%(label)s”未对应到产业链或产业集群（共%(count)s行），已按原文保存，请在产业链设置中补充别名")
                                            % {"label": label, "count": count}))

    def dates_in_window(self, record, names) -> bool:
        """Each date of the row within its plausible window (date_window); else an error."""
        fine = True
        for name in names:
            value = record.get(name)
            if value is None:
                continue
            earliest, latest = date_window(name, self.today)
            if not earliest <= value <= latest:
                self.error(record, name, _("日期 %(date)s 不在合理范围内（%(earliest)s 至 %(latest)s）")
                           % {"date": value.isoformat(), "earliest": earliest.isoformat(), "latest": latest.isoformat()})
                fine = False
        return fine

    def resolve(self, record) -> dict:
        """The row's values as project fields (only those the row gives)."""
        values = {name: record[name] for name in _COPIED if name in record}
        if "investor" in record or "uscc" in record:
            investor = self.enterprise(record)
            if investor is not None:
                values["investor"] = investor
        if "responsible_unit" in record:
            values["responsible_unit"] = self.unit(record["responsible_unit"], record)
        if "park" in record:
            values["park"] = self.park(record["park"], record)
        if "category" in record:
            values["category"] = self.category(record["category"])
        if "industry" in record:
            values["industry"] = self.industry(record)
        if "source" in record:
            source = record["source"]
            if source not in self.sources:
                province, city = split_source(source)
                self.sources[source] = (province, city, region_of(province, self.zone.province))
            values["source_province"], values["source_city"], values["source_region"] = self.sources[source]
        if "leaders" in record:
            people = self.people
            values["leaders"] = [people[name] if name in people else self.person(name, record) for name in record["leaders"]]
        return values

    def new_stage(self, record, values) -> Stage:
        """A new project's stage: what the dates show; the stage word only where dates say nothing."""
        word = record.get("stage")
        dates = stage_from_dates(values.get("signed_on"), values.get("started_on"), values.get("producing_on"), default=None)
        if word == Stage.DROPPED:
            if values.get("dropped_on"):
                values.setdefault("drop_reason", values.get("notes") or _("台账标注为终止"))
                return Stage.DROPPED
            self.warn(record, "stage", _("项目进展为“终止”，但未填写终止日期，未按终止处理"))
            word = None
        if values.get("dropped_on"):
            self.warn(record, "dropped_on", _("项目进展不是“终止”，已忽略终止日期"))
            values.pop("dropped_on")
        if dates is None:
            if word in DATED_STAGES:
                self.warn(record, "stage", _("项目进展为“%(word)s”，但未填写%(word)s日期：以日期为准，按“在谈”处理") % {"word": Stage(word).label})
                return Stage.NEGOTIATING
            return word or Stage.LEAD
        if word and word != dates:
            labels = {"word": Stage(word).label, "dates": Stage(dates).label}
            if RANK[word] < RANK[dates]:
                self.warn(record, "stage", _("项目进展为“%(word)s”，但日期显示已到“%(dates)s”阶段：以日期为准") % labels)
            else:
                self.warn(record, "stage", _("项目进展为“%(word)s”，但未填写%(word)s日期：以日期为准，按“%(dates)s”处理") % labels)
        return dates

    def _industry_fields(self, found, current=None):
        """chain/cluster/industry_label for an industry match; None where it changes nothing."""
        if found[0] == "chain":
            return {"chain": found[1], "cluster": found[2], "industry_label": ""}
        if found[0] == "cluster":
            if current and current["chain_id"] and self.chain_cluster.get(current["chain_id"]) == found[1]:
                return {}
            return {"cluster": found[1], "chain": None, "industry_label": ""}
        if current and current["chain_id"]:
            return {}  # already mapped by hand; the ledger's wording is not better
        return {"industry_label": found[1]}

    def plan_create(self, record, values) -> None:
        leaders = values.pop("leaders", [])
        found = values.pop("industry", None)
        if found:
            if found not in self.industry_values:
                self.industry_values[found] = self._industry_fields(found)
            values.update(self.industry_values[found])
        values["code"] = record.get("code") or ""
        values["name"] = record["name"]
        values["stage"] = self.new_stage(record, values)
        # The stage checks read only these attributes; a model instance per row would cost
        # more than the whole insert.
        get = values.get
        scratch = _NewProject(values["stage"], get("signed_on"), get("started_on"), get("producing_on"), get("dropped_on"),
                              get("drop_reason", ""))
        try:
            project_actions.check_dates_match_stage(scratch)
            project_actions.check_date_order(scratch)
        except ValidationError as error:
            self.validation_error(record, error)
            return
        values.setdefault("source_region", "")
        history = project_actions.initial_stage_history(scratch, self.today)
        create = Create(record["sheet"], record["row"], values, leaders, history)
        if not values["code"]:
            values["code"] = self.next_code(values)
            self.numbered[values["code"]] = create
        self.plan.creates.append(create)

    def next_code(self, values) -> str:
        """A code for a new project without one, from the zone's project sequence
        (core.numbering, as projects.actions.next_code), skipping any code already taken by
        the zone's projects or the rows read so far. (A later row holding the code makes
        renumber() give the project another.) Numbers are reserved in growing blocks, inside
        the import's transaction: a dry run gives them back, an import may leave a few unused."""
        year = (values.get("signed_on") or self.today).year
        prefix = f"{self.zone.code.upper()}-{year}-"
        while True:
            taken, end, block = self.counters.get(prefix, (0, 0, 1))
            if taken == end:
                taken = numbering.allocate(self.zone, "project", year, count=block, floor=lambda: numbering.highest(
                    itertools.chain(self.codes, self.seen_codes), prefix)) - 1
                end, block = taken + block, min(block * 2, 1024)
            self.counters[prefix] = (taken + 1, end, block)
            code = f"{prefix}{taken + 1:04d}"
            if code not in self.codes and code not in self.seen_codes and code not in self.numbered:
                return code

    def renumber(self, create) -> None:
        """A later row holds the code a new project was numbered with: number it again."""
        create.values["code"] = code = self.next_code(create.values)
        self.numbered[code] = create

    def plan_updates(self, matched) -> None:
        if not matched:
            return
        ids = [pk for pk, _record, _values in matched]
        current, leaders = {}, {}
        through = Project.leaders.through.objects
        if len(ids) * 2 >= len(self.codes):
            # Most of the zone's projects: one pass over the zone beats id lists.
            wanted = set(ids)
            existing = Project.objects.filter(zone=self.zone, pk__lte=self.highest_existing_id)  # not this import's
            for row in typed_rows(existing, _EXISTING_FIELDS):
                if row[0] in wanted:
                    current[row[0]] = dict(zip(_EXISTING_FIELDS, row))
            pairs = raw_rows(through.filter(project__zone=self.zone, project_id__lte=self.highest_existing_id)
                             .values_list("project_id", "person_id"))
        else:
            pairs = []
            for chunk in _chunks(ids):
                for row in typed_rows(Project.objects.filter(pk__in=chunk), _EXISTING_FIELDS):
                    current[row[0]] = dict(zip(_EXISTING_FIELDS, row))
                pairs += raw_rows(through.filter(project_id__in=chunk).values_list("project_id", "person_id"))
        for pk, person in pairs:
            leaders.setdefault(pk, set()).add(person)
        for pk, record, values in matched:
            self.plan_update(record, values, current[pk], leaders.get(pk, set()))

    def plan_update(self, record, values, current, current_leaders) -> None:
        """What a row matching an existing project changes: its fields, its leaders and the
        stages its dates move it on to; a row changing nothing is counted as unchanged."""
        stage = _STAGES[current["stage"]]
        new_leaders = values.pop("leaders", None)
        changes = self._named_changes(record, values.pop("industry", None), current)
        if "extra" in values:  # columns kept from earlier ledgers stay; this one's win
            values["extra"] = {**(current["extra"] or {}), **values["extra"]}
        changes.update(_value_changes(values, current, stage))
        moves = _date_changes(values, current, stage, changes)
        self._follow_stage_word(record, values, current, stage, changes, moves)
        leaders_change = None
        if new_leaders is not None and (set(new_leaders) != current_leaders or any(person.__class__ is New for person in new_leaders)):
            leaders_change = new_leaders
        if changes.get("source_province") is not None or changes.get("source_city") is not None:
            # 来源地 is one answer: a change to the province or the city writes both.
            changes.setdefault("source_province", values.get("source_province", current["source_province"]))
            changes.setdefault("source_city", values.get("source_city", current["source_city"]))
        if not changes and not moves and leaders_change is None:
            self.plan.unchanged += 1
            return
        before = {name: current[_COLUMN.get(name, name)] for name in changes if _COLUMN.get(name, name) in current}
        self.plan.updates.append(Update(record["sheet"], record["row"], current["id"], current["name"], changes, leaders_change, moves,
                                        before))

    def _named_changes(self, record, industry, current) -> dict:
        """The code and name the row gives where they differ, and what its 所属产业 changes."""
        changes = {}
        if record.get("code") and record["code"] != current["code"]:
            changes["code"] = record["code"]
        if record["name"] != current["name"]:
            changes["name"] = record["name"]
        if industry:
            for name, value in self._industry_fields(industry, current).items():
                if (current[f"{name}_id"] if name in FK_FIELDS else current[name]) != value:
                    changes[name] = value
        return changes

    def _follow_stage_word(self, record, values, current, stage, changes, moves) -> None:
        """The row's stage word (项目进展) beside what its dates do: 终止 with a date ends the
        project; otherwise the dates win and a disagreeing word is a warning."""
        word = record.get("stage")
        if stage is Stage.DROPPED:
            if word and word != Stage.DROPPED:
                self.warn(record, "stage", _("系统中该项目已终止，台账写“%(word)s”：阶段未改动，如需恢复请在项目页办理") % {"word": Stage(word).label})
        elif word == Stage.DROPPED:
            on = values.get("dropped_on")
            if on:
                moves.append((Stage.DROPPED, on, values.get("drop_reason") or values.get("notes") or current["notes"] or _("台账标注为终止")))
                changes.pop("drop_reason", None)
            else:
                self.warn(record, "stage", _("项目进展为“终止”，但未填写终止日期，未按终止处理"))
        else:
            self._weigh_stage_word(record, word, stage, moves)

    def _weigh_stage_word(self, record, word, stage, moves) -> None:
        """A stage word other than 终止: 在谈 moves a 线索 on; the dates win over any other
        word that disagrees with them, with a warning."""
        reached = moves[-1][0] if moves else stage
        if stage == Stage.LEAD and not moves and word == Stage.NEGOTIATING:
            moves.append((Stage.NEGOTIATING, self.today, ""))
            reached = Stage.NEGOTIATING
        if not word or word == reached or word not in RANK:
            return
        labels = {"word": Stage(word).label, "stage": Stage(reached).label}
        if RANK[word] > RANK[reached]:
            self.warn(record, "stage", _("项目进展为“%(word)s”，但未填写%(word)s日期：以日期为准，仍为“%(stage)s”") % labels)
        else:
            self.warn(record, "stage", _("项目进展为“%(word)s”，但日期显示已到“%(stage)s”阶段：以日期为准") % labels)

    # ------------------------------------------------------------- fund arrivals

    def plan_arrivals(self, records: list[dict]) -> None:
        """The fund-arrival rows: each names its project (a row of this ledger or one of the
        zone's) and a date and amount; one already recorded for that project is unchanged."""
        in_file_codes, in_file_names = {}, {}
        for create in self.plan.creates:
            in_file_codes[create.values["code"]] = create
            in_file_names[create.values["name"]] = create
        for update in self.plan.updates:
            if "code" in update.changes:
                in_file_codes[update.changes["code"]] = update.project_id
        wanted = []
        for record in records:
            if record.pop("bad", False):
                continue
            ok = self._arrival_values_ok(record)
            target = self._arrival_project(record, in_file_codes, in_file_names)
            if target is not None and ok:
                wanted.append((record, target))
        existing = self._existing_arrivals({target for _record, target in wanted if isinstance(target, int)})
        for record, target in wanted:
            key = (target, record["date"], record["amount"])
            if isinstance(target, int) and existing[key] > 0:
                existing[key] -= 1
                self.plan.arrivals_unchanged += 1
                continue
            self.plan.arrivals.append((record["sheet"], record["row"], target, record["date"], record["amount"], record.get("note", "")))

    def _arrival_values_ok(self, record) -> bool:
        """A fund arrival's date (within its window) and amount (above zero); else an error."""
        ok = True
        if record.get("date") is None:
            self.error(record, "date", _("缺少到位时间"))
            ok = False
        elif not self.dates_in_window(record, ("date",)):
            ok = False
        amount = record.get("amount")
        if amount is None:
            self.error(record, "amount", _("缺少到位金额"))
            ok = False
        elif amount <= 0:
            self.error(record, "amount", _("到位金额应大于零"))
            ok = False
        return ok

    def _arrival_project(self, record, in_file_codes: dict, in_file_names: dict):
        """The project a fund arrival names: by code, else by name, this ledger's rows first;
        None (with an error) when there is none or the name is not unique."""
        code, name = record.get("code"), record.get("name")
        target = None
        if code:
            target = in_file_codes.get(code) or self.codes.get(code)
        if target is None and name:
            target = in_file_names.get(name)
            if target is None and name in self.names:
                if len(self.names[name]) > 1:
                    self.error(record, "name", _("本园区有多个名为“%(name)s”的项目，请填写项目编号") % {"name": name})
                    return None
                target = self.names[name][0]
        if target is None:
            self.error(record, "code" if code and not name else "name", _("未找到项目“%(name)s”（台账和系统中都没有）") % {"name": name or code})
        return target

    def _existing_arrivals(self, projects: set) -> Counter:
        """(project, date, amount) → how many fund arrivals the zone already has."""
        known = sorted(projects)
        fields = ["project_id", "date", "amount"]
        if len(known) * 2 >= len(self.codes):
            found = typed_rows(FundArrival.objects.filter(project__zone=self.zone), fields)
        else:
            found = [row for chunk in _chunks(known) for row in typed_rows(FundArrival.objects.filter(project_id__in=chunk), fields)]
        existing = Counter()
        for pk, date, amount in found:
            existing[(pk, date, Decimal(amount).quantize(_CENT))] += 1
        return existing
