"""Finding a ledger's header row and what each column holds (docs/design.md §7).

Headers are matched after removing spaces, full-width forms, line breaks, required-field
marks and a bracketed suffix such as （万元）; the unit in that suffix (万元, 亿元, 元) is
the column's unit. A header may span two rows under merged cells (时间节点 over
签约日期/开工日期/投产日期): the lower row names the columns the upper one groups.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from zhaoshang.ledger import cells

# field → headers seen in real ledgers (already normalised).
PROJECT_HEADERS = {
    "code": ["项目编号", "编号", "项目代码", "项目编码"],
    "name": ["项目名称", "项目", "项目名"],
    "investor": ["投资主体", "投资方", "投资企业", "签约企业", "企业名称", "项目单位", "投资方名称", "签约主体", "项目业主", "建设单位"],
    "uscc": ["统一社会信用代码", "信用代码", "社会信用代码", "统一信用代码", "企业信用代码"],
    "industry": ["所属产业", "产业类别", "产业领域", "行业", "所属行业", "产业链", "所属产业链", "产业", "行业类别", "产业分类", "所属领域"],
    "kind": ["项目类型", "项目分类"],
    "category": ["项目类别", "项目行业类别", "项目性质"],
    "total_investment": ["总投资", "计划总投资", "总投资额", "投资额", "协议投资额", "投资总额", "计划投资", "协议总投资", "签约总投资"],
    "is_fixed_asset": ["是否固定资产投资项目", "固投项目", "固定资产投资类", "是否固投项目", "是否固投", "固定资产投资类项目", "是否固定资产投资类项目"],
    "source": ["项目来源地", "来源地", "投资方所在地", "客商来源地", "项目来源", "投资来源地", "企业来源地"],
    "responsible_unit": ["责任单位", "招商单位", "牵头单位", "责任专班", "招商专班", "责任部门", "包联单位"],
    "park": ["落地园区", "入驻园区", "园区", "建设地点", "载体园区", "落地载体", "项目地点"],
    "signed_on": ["签约时间", "签约日期"],
    "planned_start_on": ["计划开工时间", "计划开工日期"],
    "started_on": ["开工时间", "开工日期", "实际开工时间", "实际开工日期"],
    "producing_on": ["投产时间", "投产日期", "实际投产时间", "实际投产日期"],
    "dropped_on": ["终止时间", "终止日期"],
    "drop_reason": ["终止原因"],
    "stage": ["项目进展", "当前阶段", "进展情况", "项目状态", "项目阶段", "目前进展", "进展阶段", "推进情况"],
    "leaders": ["包联领导", "包抓领导", "联系领导", "分包领导"],
    "contact_person": ["联系人", "企业联系人", "投资方联系人"],
    "contact_phone": ["联系电话", "联系方式", "企业联系电话"],
    "notes": ["备注", "存在问题", "存在问题及困难", "需协调解决的问题", "说明"],
}
ARRIVAL_HEADERS = {
    "code": PROJECT_HEADERS["code"],
    "name": PROJECT_HEADERS["name"],
    "date": ["到位时间", "到位日期", "资金到位时间", "资金到位日期"],
    "amount": ["到位金额", "到位资金", "资金到位", "资金到位金额", "到位资金额", "本次到位金额", "实际到位资金"],
    "note": ["备注", "说明"],
}
AMOUNT_FIELDS = {"total_investment", "amount"}
# Only a project sheet has these; a sheet with 到位时间+到位金额 and none of them is a fund sheet.
PROJECT_ONLY = set(PROJECT_HEADERS) - {"code", "name", "notes"}

# Headers shown in exports and the blank template, in order.
LABELS = {
    "code": "项目编号", "name": "项目名称", "investor": "投资主体", "uscc": "统一社会信用代码", "industry": "所属产业",
    "kind": "项目类型", "category": "项目类别", "total_investment": "计划总投资", "is_fixed_asset": "是否固定资产投资项目", "source": "项目来源地",
    "responsible_unit": "责任单位", "park": "落地园区", "signed_on": "签约日期", "planned_start_on": "计划开工日期",
    "started_on": "开工日期", "producing_on": "投产日期", "stage": "当前阶段", "dropped_on": "终止日期",
    "drop_reason": "终止原因", "leaders": "包联领导", "contact_person": "联系人", "contact_phone": "联系电话", "notes": "备注",
}

_UNIT_SUFFIX = re.compile(r"[(（\[【]\s*(?:单位[:：])?\s*(?P<unit>亿元|万元|元|亿|万)?[^)）\]】]*[)）\]】]$")
_BARE_UNIT = re.compile(r"(?P<unit>亿元|万元)$")
_SPACES = re.compile(r"\s+")
UNIT_ROW = re.compile(r"单位[:：]\s*(?P<unit>亿元|万元|元)")


def normalise(header) -> tuple[str, str | None]:
    """'计划总投资（亿元）' → ('计划总投资', '亿元'); '* 项目 名称' → ('项目名称', None)."""
    raw = _SPACES.sub("", cells.text(header)).strip("*＊:：")
    unit = None
    while True:
        match = _UNIT_SUFFIX.search(raw)
        if not match or match.start() == 0:
            break
        if match.group("unit"):
            unit = {"亿": "亿元", "万": "万元"}.get(match.group("unit"), match.group("unit"))
        raw = raw[: match.start()]
    match = _BARE_UNIT.search(raw)
    if match and match.start() > 0:
        unit = unit or match.group("unit")
        raw = raw[: match.start()]
    return raw, unit


def _lookup(headers: dict[str, list[str]]) -> dict[str, str]:
    return {synonym: field for field, synonyms in headers.items() for synonym in synonyms}


PROJECT_LOOKUP = _lookup(PROJECT_HEADERS)
ARRIVAL_LOOKUP = _lookup(ARRIVAL_HEADERS)
LOOKUPS = {"projects": PROJECT_LOOKUP, "arrivals": ARRIVAL_LOOKUP}  # in the order a tie is decided


def match(header, lookup: dict[str, str]) -> str | None:
    name, _unit = normalise(header)
    if not name:
        return None
    if name in lookup:
        return lookup[name]
    # 签约时间（年月日）, 总投资额度 … : a known header followed by words we do not need.
    for suffix in ("情况", "额度", "金额", "(年月日)", "年月日"):
        if name.endswith(suffix) and name[: -len(suffix)] in lookup:
            return lookup[name[: -len(suffix)]]
    return None


@dataclass
class Column:
    index: int
    field: str
    header: str  # as the ledger writes it, for messages
    unit: str = cells.DEFAULT_UNIT
    usd_rate: object = None  # 元 per 美元, from the zone's ledger settings


@dataclass
class Layout:
    """Where a sheet's header is and what its columns hold."""

    kind: str  # "projects" or "arrivals"
    header_rows: list[int]  # 0-based indexes into the sheet's rows
    columns: dict[str, Column] = field(default_factory=dict)
    extra: list[Column] = field(default_factory=list)  # a second column for a field already mapped
    unknown: list[str] = field(default_factory=list)  # headers the platform does not model …
    kept: list[Column] = field(default_factory=list)  # … whose cells are kept as the project's extra fields

    @property
    def first_data_row(self) -> int:
        return self.header_rows[-1] + 1


SCAN_ROWS = 30


def _labels(row) -> list[str]:
    return [cells.text(value) for value in row]


def _score(labels: list[str], lookup: dict[str, str]) -> set[str]:
    return {found for found in (match(label, lookup) for label in labels) if found}


def find_layout(rows: list[list], merged=()) -> Layout | None:
    """Find the header among the first rows of a sheet; None when the sheet has none.
    `rows` are the sheet's first rows (at least SCAN_ROWS+1 of them if it has them);
    `merged` are calamine's merged ranges ((row, col), (row, col)) relative to them."""
    labels, shown = _header_labels(rows[: SCAN_ROWS + 1], merged)
    best = _best_header(labels)
    if best is None:
        return None
    index, kind = best
    lookup = LOOKUPS[kind]
    top, below = labels[index], _row_below(labels, index)
    use_below = bool(_score(below, lookup) - _score(top, lookup)) and not _looks_like_data(rows[index + 1])
    layout = Layout(kind=kind, header_rows=[index, index + 1] if use_below else [index])
    if not use_below:
        below = []
    default_unit = _unit_above(labels[:index])
    for col in range(max(len(top), len(below))):
        upper = top[col] if col < len(top) else ""
        lower = below[col] if col < len(below) else ""
        _read_column(layout, col, upper, lower, lookup, shown, default_unit)
    return layout



def _header_labels(rows: list[list], merged) -> tuple[list[list[str]], list[list[str]]]:
    """The rows' cells as header labels (for matching) and as the ledger shows them (for
    messages), each merged header cell's label carried into every cell it covers."""
    labels = [_labels(row) for row in rows]
    shown = [[" ".join(str(value).split()) if value is not None else "" for value in row] for row in rows]
    for (top, left), (bottom, right) in merged:
        if top < len(labels) and left < len(labels[top]):
            value, display = labels[top][left], shown[top][left]
            for r in range(top, min(bottom, len(labels) - 1) + 1):
                for c in range(left, right + 1):
                    if c < len(labels[r]) and not labels[r][c]:
                        labels[r][c], shown[r][c] = value, display
    return labels, shown


def _row_below(labels: list[list[str]], index: int) -> list[str]:
    return labels[index + 1] if index + 1 < len(labels) else []


def _best_header(labels: list[list[str]]) -> tuple[int, str] | None:
    """(row index, kind) of the row naming the most known columns; the first one wins a tie."""
    best = None
    for index in range(min(SCAN_ROWS, len(labels))):
        for kind, lookup in LOOKUPS.items():
            score = _header_score(labels, index, kind, lookup)
            if score is not None and (best is None or score > best[0]):
                best = (score, index, kind)
    return best[1:] if best else None


def _header_score(labels: list[list[str]], index: int, kind: str, lookup: dict[str, str]) -> int | None:
    """How many known columns the row names as a header of `kind` (with the columns a
    sub-header below a merged group adds); None when it is no such header."""
    found = _score(labels[index], lookup)
    if not _is_header(kind, found):
        return None
    score = len(found)
    sub = _score(_row_below(labels, index), lookup)
    # A row below naming more columns with 项目名称 is a header of its own, not a sub-header.
    if sub and not ("name" in sub and len(sub) > len(found)):
        score += len(sub - found)
    return score


def _is_header(kind: str, found: set[str]) -> bool:
    if not {"name", "code"} & found:
        return False
    if kind == "arrivals":
        return {"date", "amount"} <= found
    return bool(found & PROJECT_ONLY)


def _read_column(layout: Layout, col: int, upper: str, lower: str, lookup: dict[str, str], shown, default_unit: str) -> None:
    """Add column `col` to the layout: the field its lower (sub-header) label names, else its
    upper one; a label naming no field is kept as an extra field (序号 and the like are not)."""
    index = layout.header_rows[0]
    found, label = _field_label(upper, lower, lookup)
    from_below = bool(lower) and label == lower
    if not found:
        unread = lower or upper
        if unread and not _ignored(unread):
            layout.unknown.append(unread)
            header = _shown_at(shown, index + 1 if lower else index, col, unread)
            layout.kept.append(Column(index=col, field="extra", header=header))
        return
    _name, unit = normalise(label)
    if unit is None and from_below:
        _group, unit = normalise(upper)  # 投资额 under 计划总投资（亿元）
    header = _shown_at(shown, index + 1 if from_below else index, col, label)
    column = Column(index=col, field=found, header=header, unit=unit or default_unit)
    if found in layout.columns:
        layout.extra.append(column)
    else:
        layout.columns[found] = column


def _field_label(upper: str, lower: str, lookup: dict[str, str]) -> tuple[str | None, str]:
    """(field, the label naming it): the sub-header's label first; (None, "") when neither names one."""
    for label in (lower, upper) if lower and lower != upper else (upper,):
        found = match(label, lookup)
        if found:
            return found, label
    return None, ""


def _shown_at(shown: list[list[str]], row: int, col: int, fallback: str) -> str:
    return shown[row][col] if col < len(shown[row]) and shown[row][col] else fallback


def _ignored(label: str) -> bool:
    name, _unit = normalise(label)
    return name in {"序号", "序", "No", "NO", "no", "排序", "编码序号"}


def _looks_like_data(row) -> bool:
    """A row under the header whose cells are values, not header words."""
    values = [value for value in row if not cells.is_blank(value)]
    return any(isinstance(value, (int, float)) and not isinstance(value, bool) for value in values[1:])


def _unit_above(rows: list[list[str]]) -> str:
    """The unit a '单位：亿元' line above the header gives every amount column."""
    for row in rows:
        for label in row:
            found = UNIT_ROW.search(label.replace(" ", "")) if label else None
            if found:
                return found.group("unit")
    return cells.DEFAULT_UNIT


def describe_missing(layout: Layout) -> str | None:
    if layout.kind == "projects" and "name" not in layout.columns and "code" not in layout.columns:
        return _("未找到“项目名称”列")
    return None
