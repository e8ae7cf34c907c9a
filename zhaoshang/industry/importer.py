"""Importing a target list (目标企业名单) from xlsx/xls/csv through the ledger machinery:
the same file reading (ledger.readers), header normalisation (ledger.columns.normalise:
spaces, full-width forms, unit suffixes), cell parsing (ledger.cells) and error
reporting (ledger.parsing.Issue: sheet, row as Excel shows it, column header, reason).

All or nothing: every row of every sheet is read and checked first; if anything is
wrong, nothing is written and every problem is listed. Rows are matched to the pool by
统一社会信用代码, else by normalised name, so re-importing the same list changes nothing.
"""

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils import timezone

from zhaoshang.enterprises import uscc as uscc_rules
from zhaoshang.industry import actions
from zhaoshang.industry.models import APPROACH_STEPS, ApproachStatus, ChainNode, RevenueBand, TargetCompany
from zhaoshang.industry.names import normalize_name
from zhaoshang.ledger import cells, parsing, readers
from zhaoshang.ledger.columns import SCAN_ROWS, normalise
from zhaoshang.projects.regions import split_source

HEADERS = {
    "name": ["企业名称", "公司名称", "目标企业", "目标企业名称", "企业", "单位名称", "名称"],
    "uscc": ["统一社会信用代码", "信用代码", "社会信用代码", "统一信用代码", "企业信用代码"],
    "province": ["所在省份", "省份", "省"],
    "city": ["所在城市", "城市", "市"],
    "location": ["所在地", "企业所在地", "注册地", "所在地区", "地区", "区域", "来源地"],
    "tags": ["企业标签", "标签", "企业类型", "企业资质", "资质", "企业类别"],
    "chain": ["产业链", "所属产业链", "所属产业", "产业", "行业", "所属行业"],
    "nodes": ["产业链节点", "对应节点", "节点", "链上环节", "产业链环节", "环节", "细分领域"],
    "revenue": ["营收规模", "营业收入", "年营收", "营收", "年营业收入", "销售收入"],
    "main_products": ["主营产品", "主营业务", "主要产品", "主导产品"],
    "contact_person": ["联系人", "企业联系人"],
    "contact_phone": ["联系电话", "联系方式", "电话"],
    "status": ["对接状态", "对接情况", "状态", "跟进状态", "对接进展"],
    "notes": ["备注", "说明"],
}
LOOKUP = {header: name for name, headers in HEADERS.items() for header in headers}
COLUMN_HELP = [
    (label, HEADERS[key]) for key, label in [
        ("name", gettext_lazy("企业名称（必填）")), ("uscc", gettext_lazy("统一社会信用代码")),
        ("location", gettext_lazy("所在地（如“江苏省常州市”）")), ("province", gettext_lazy("所在省份")),
        ("city", gettext_lazy("所在城市")), ("tags", gettext_lazy("标签（用顿号分隔）")), ("chain", gettext_lazy("产业链")),
        ("nodes", gettext_lazy("产业链节点（用顿号分隔）")), ("revenue", gettext_lazy("营收规模（金额或档位）")),
        ("main_products", gettext_lazy("主营产品")), ("contact_person", gettext_lazy("联系人")),
        ("contact_phone", gettext_lazy("联系电话")), ("status", gettext_lazy("对接状态（未接触/已接触/洽谈中）")),
        ("notes", gettext_lazy("备注")),
    ]
]
STATUS_WORDS = {
    "未接触": ApproachStatus.UNTOUCHED, "未对接": ApproachStatus.UNTOUCHED, "待接触": ApproachStatus.UNTOUCHED,
    "已接触": ApproachStatus.CONTACTED, "已对接": ApproachStatus.CONTACTED, "初步接触": ApproachStatus.CONTACTED,
    "已联系": ApproachStatus.CONTACTED, "洽谈中": ApproachStatus.NEGOTIATING, "在谈": ApproachStatus.NEGOTIATING,
    "洽谈": ApproachStatus.NEGOTIATING, "正在洽谈": ApproachStatus.NEGOTIATING, "深度洽谈": ApproachStatus.NEGOTIATING,
}
BAND_WORDS = {label.replace("–", "-"): value for value, label in RevenueBand.choices}
# Band lower bounds in 万元.
BAND_LIMITS = [(Decimal(10_000_000), RevenueBand.OVER_1000), (Decimal(1_000_000), RevenueBand.FROM_100),
               (Decimal(100_000), RevenueBand.FROM_10), (Decimal(10_000), RevenueBand.FROM_1), (Decimal(0), RevenueBand.UNDER_1)]
LIMITS = {"name": 200, "main_products": 200, "contact_person": 50, "contact_phone": 30, "province": 20, "city": 30}


class ImportFailed(Exception):
    """Nothing was imported; `errors` lists every problem found (ledger Issues)."""

    def __init__(self, errors):
        super().__init__(_("名单未导入：%(count)d处问题") % {"count": len(errors)})
        self.errors = errors


@dataclass
class Row:
    sheet: str
    number: int
    values: dict = field(default_factory=dict)
    nodes: list = field(default_factory=list)


@dataclass
class Result:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0

    def counts(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


def _find_header(rows):
    """(index of the header row, {column index: (field, header text, unit)}) or None: the
    row among the first ones that names the most known columns, 企业名称 among them."""
    best = None
    for index, row in enumerate(rows[:SCAN_ROWS]):
        found = {}
        for col, value in enumerate(row):
            label = cells.text(value)
            name, unit = normalise(label)
            key = LOOKUP.get(name)
            if key and key not in {f for f, _h, _u in found.values()}:
                found[col] = (key, label, unit)
        if "name" in {f for f, _h, _u in found.values()} and (best is None or len(found) > len(best[1])):
            best = (index, found)
    return best


def _plain(value) -> str:
    """Text as written (company names keep their full-width brackets), trimmed."""
    if isinstance(value, str):
        return " ".join(value.split())
    return cells.text(value)


def _split(value) -> list[str]:
    return cells.names(value)


def _band(value, unit) -> str:
    word = cells.text(value).replace("–", "-").replace("—", "-").replace(" ", "")
    if word in BAND_WORDS:
        return BAND_WORDS[word]
    if word in RevenueBand.values:
        return word
    amount = cells.amount(value, unit or cells.DEFAULT_UNIT)
    for limit, band in BAND_LIMITS:
        if amount >= limit:
            return band
    return RevenueBand.UNDER_1


class _Nodes:
    """Chain nodes of the zone found by name, within a chain when the row names one."""

    def __init__(self, zone):
        from zhaoshang.industry.actions import find_chain

        self.zone = zone
        self.find_chain = find_chain
        self.by_name = {}
        for node in ChainNode.objects.filter(chain__zone=zone).select_related("chain"):
            self.by_name.setdefault(node.name, []).append(node)

    def resolve(self, names, chain_text):
        chain = self.find_chain(self.zone, chain_text) if chain_text else None
        if chain_text and chain is None:
            raise cells.CellError(_("本园区没有产业链“%(chain)s”") % {"chain": chain_text})
        found = []
        for name in names:
            candidates = self.by_name.get(name, [])
            if chain is not None:
                candidates = [node for node in candidates if node.chain_id == chain.pk]
            if not candidates:
                where = _("产业链“%(chain)s”") % {"chain": chain.name} if chain else _("本园区的产业链")
                raise cells.CellError(_("节点“%(node)s”不在%(where)s中") % {"node": name, "where": where})
            if len(candidates) > 1:
                raise cells.CellError(_("节点“%(node)s”在多条产业链中都有，请填写“产业链”列") % {"node": name})
            found.append(candidates[0])
        return found


def read(path, zone, filename: str = ""):
    """Every target row of every sheet, checked; (rows, issues)."""
    issues = []
    rows = []
    nodes = _Nodes(zone)
    try:
        sheets = readers.open_sheets(path, filename)
    except readers.LedgerFileError as error:
        return [], [parsing.Issue(filename or str(path), None, "", str(error))]
    for sheet in sheets:
        head = []
        for number, values in sheet.rows:
            head.append((number, values))
            if len(head) > SCAN_ROWS:
                break
        header = _find_header([values for _n, values in head])
        if header is None:
            if any(any(not cells.is_blank(v) for v in values) for _n, values in head):
                issues.append(parsing.Issue(sheet.name, None, "", _("未找到“企业名称”列")))
            continue
        index, columns = header

        def rows_after():
            yield from head[index + 1:]
            yield from sheet.rows

        name_header = next(label for _f, label, _u in columns.values() if _f == "name")
        for number, values in rows_after():
            row = _read_row(sheet.name, number, values, columns, name_header, nodes, issues)
            if row is not None:
                rows.append(row)
    _check_repeats(rows, issues)
    return rows, issues


def _read_row(sheet, number, values, columns, name_header, nodes, issues):
    texts = [cells.text(v) for v in values]
    filled = [t for t in texts if t and not cells.is_blank(t)]
    if not filled:
        return None
    first = filled[0]
    if first.startswith(parsing.TOTAL_WORDS):
        return None
    if len(filled) == 1 and (parsing._SECTION.match(first) or parsing._COUNT_SUFFIX.search(first)):
        return None  # 一、新能源电池（12家） and the like
    row = Row(sheet=sheet, number=number)
    chain_text = ""
    node_names = []
    for col, (key, label, unit) in columns.items():
        value = values[col] if col < len(values) else None
        if cells.is_blank(value):
            continue
        try:
            if key == "uscc":
                try:
                    row.values["uscc"] = uscc_rules.validate(cells.text(value))
                except uscc_rules.InvalidUSCC as error:
                    raise cells.CellError(str(error)) from None
            elif key == "tags":
                row.values["tags"] = _split(value)
            elif key == "nodes":
                node_names = _split(value)
            elif key == "chain":
                chain_text = cells.text(value)
            elif key == "revenue":
                row.values["revenue_band"] = _band(value, unit)
            elif key == "status":
                word = cells.text(value).replace(" ", "")
                if word not in STATUS_WORDS:
                    raise cells.CellError(_("无法识别的对接状态“%(value)s”，应为未接触、已接触或洽谈中") % {"value": word})
                row.values["status"] = STATUS_WORDS[word]
            elif key == "location":
                province, city = split_source(cells.text(value))
                row.values.setdefault("province", province)
                if city:
                    row.values.setdefault("city", city)
            else:
                text = _plain(value)
                if key in LIMITS and len(text) > LIMITS[key]:
                    raise cells.CellError(_("内容过长（%(length)s 字，最多 %(limit)s 字）") % {"length": len(text), "limit": LIMITS[key]})
                row.values[key] = text
        except cells.CellError as error:
            issues.append(parsing.Issue(sheet, number, label, str(error)))
    if "name" not in row.values:
        issues.append(parsing.Issue(sheet, number, name_header, _("缺少企业名称")))
        return None
    if node_names or chain_text:
        node_header = next((label for key, label, _u in columns.values() if key == ("nodes" if node_names else "chain")), "")
        try:
            row.nodes = nodes.resolve(node_names, chain_text)
        except cells.CellError as error:
            issues.append(parsing.Issue(sheet, number, node_header, str(error)))
    return row


def _check_repeats(rows, issues):
    seen_code, seen_name = {}, {}
    for row in rows:
        code = row.values.get("uscc")
        key = normalize_name(row.values["name"])
        earlier = (seen_code.get(code) if code else None) or seen_name.get(key)
        if earlier is not None:
            issues.append(parsing.Issue(row.sheet, row.number, "", _("与%(sheet)s第%(row)s行是同一企业") % {"sheet": earlier.sheet, "row": earlier.number}))
            continue
        if code:
            seen_code[code] = row
        seen_name[key] = row


def _match(zone, row) -> TargetCompany | None:
    pool = TargetCompany.objects.filter(zone=zone, merged_into__isnull=True)
    code = row.values.get("uscc")
    if code:
        found = pool.filter(uscc=code).first()
        if found:
            return found
    return pool.filter(name_key=normalize_name(row.values["name"])).first()


FACTS = ("uscc", "province", "city", "revenue_band", "main_products", "contact_person", "contact_phone", "notes")


def _apply(zone, row, actor, today, result: Result) -> None:
    target = _match(zone, row)
    values = dict(row.values)
    tags = values.pop("tags", [])
    status = values.pop("status", None)
    if target is None:
        actions.create_target(zone=zone, actor=actor, today=today, nodes=row.nodes, tags=tags,
                              status=status or ApproachStatus.UNTOUCHED, note=_("名单导入"), **values)
        result.created += 1
        return
    changes = {key: values[key] for key in FACTS if key in values and values[key] != getattr(target, key)}
    if target.uscc and "uscc" in changes:
        changes.pop("uscc")  # a known code is never overwritten by a list
    new_tags = set(tags) - set(target.tags.values_list("name", flat=True))
    new_nodes = set(row.nodes) - set(target.nodes.all())
    moves_on = (status and target.status in APPROACH_STEPS
                and APPROACH_STEPS.index(status) > APPROACH_STEPS.index(target.status))
    if not (changes or new_tags or new_nodes or moves_on):
        result.unchanged += 1
        return
    if changes or new_tags or new_nodes:
        actions.update_target(
            target, actor=actor, **changes,
            tags=[*target.tags.all(), *sorted(new_tags)] if new_tags else None,
            nodes=[*target.nodes.all(), *new_nodes] if new_nodes else None,
        )
    if moves_on:
        actions.set_target_status(target, to_status=status, on=today, note=_("名单导入"), actor=actor)
    result.updated += 1


def import_targets(zone, data: bytes, *, filename: str = "targets.xlsx", actor=None, today: dt.date | None = None) -> Result:
    """Import a target list; raises ImportFailed (nothing written) on any problem."""
    today = today or timezone.localdate()
    suffix = "." + filename.rsplit(".", 1)[-1] if "." in filename else ""
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        handle.write(data)
        handle.flush()
        rows, issues = read(handle.name, zone, filename)
    if issues:
        raise ImportFailed(issues)
    if not rows:
        raise ImportFailed([parsing.Issue(filename, None, "", _("文件中没有企业"))])
    result = Result(rows=len(rows))
    with transaction.atomic():
        for row in rows:
            _apply(zone, row, actor, today, result)
    _record(actor, zone, filename, result)
    return result


def _record(actor, zone, filename, result):
    from zhaoshang.core.changelog import record_data_transfer

    record_data_transfer(actor, "import", _("导入目标企业名单：%(file)s") % {"file": filename}, filters=filename,
                         row_count=result.rows, zone=zone, model=TargetCompany)
