"""Target tables in Excel: reading the bureau's own 目标任务分解表 and writing a blank one.

Two layouts are read, whichever the sheet has:
- long: one row per unit and indicator, columns 单位, 指标, 年度目标 (or 目标值),
  optionally 年度, 一季度 … 四季度;
- wide: one row per unit, one column per indicator (年度目标 only), e.g.
  单位 | 签约项目数 | 签约总投资（亿元） | 开工率.
The header row is found among the first 15 rows (title rows above it are skipped). A unit
named 全区 (or 合计 / 全区合计 in the long layout) sets the zone's own target.
Values: counts as numbers; amounts in 万元, or in 亿元 when the header says so, or with
their own unit (3.5亿, 800万); rates as 80%, 0.8 or 80.
"""

import io
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from zhaoshang.assessment import indicators
from zhaoshang.core import xlsx

UNIT_HEADERS = {"单位", "责任单位", "单位名称", "考核单位", "考核对象"}
INDICATOR_HEADERS = {"指标", "指标名称", "考核指标"}
ANNUAL_HEADERS = {"年度目标", "目标", "目标值", "全年目标", "年度任务", "目标任务"}
YEAR_HEADERS = {"年度", "年份"}
QUARTER_HEADERS = {
    1: {"一季度", "第一季度", "q1", "1季度"}, 2: {"二季度", "第二季度", "q2", "2季度"},
    3: {"三季度", "第三季度", "q3", "3季度"}, 4: {"四季度", "第四季度", "q4", "4季度"},
}
ZONE_NAMES = {"全区", "全区合计", "合计", "园区"}
ALIASES = {
    "签约个数": "signed_count", "签约项目": "signed_count", "签约项目个数": "signed_count", "签约数": "signed_count",
    "签约投资": "signed_investment", "签约金额": "signed_investment", "签约总投资额": "signed_investment",
    "签约投资额": "signed_investment", "开工个数": "started_count", "开工项目": "started_count",
    "开工项目个数": "started_count", "新开工项目": "new_started_count", "新开工项目个数": "new_started_count",
    "新开工投资": "new_started_investment", "到位资金": "funds_in_place", "资金到位额": "funds_in_place",
    "固投资金到位": "fai_funds_in_place", "亿元以上项目": "major_signed_count", "亿元以上签约项目数": "major_signed_count",
    "受理诉求": "received", "诉求数": "received", "办结率": "closed_rate", "按时办结": "on_time_rate",
    "满意度": "satisfaction_rate", "平均办理时长": "avg_working_days", "平均办理天数": "avg_working_days",
}
SUFFIX = re.compile(r"[（(]\s*(万元|亿元|个|%|％|件|天|工作日|元)\s*[)）]$")


def normalize(text) -> str:
    """Full-width to half-width, no spaces, lower case."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    return re.sub(r"\s+", "", text).lower()


def header_key(text) -> tuple[str, str]:
    """(header without a unit suffix, the suffix's unit or '')."""
    key = normalize(text)
    match = SUFFIX.search(key)
    if match:
        return key[: match.start()], match.group(1)
    return key, ""


def _indicator_lookup() -> dict[str, str]:
    lookup = {normalize(code): code for code in indicators.CODES}
    for code, label in indicators.LABELS.items():
        lookup[header_key(str(label))[0]] = code
    lookup.update({normalize(k): v for k, v in ALIASES.items()})
    return lookup


def find_indicator(text) -> str | None:
    return _indicator_lookup().get(header_key(text)[0])


class CellError(ValueError):
    pass


def parse_value(code: str, raw, unit_hint: str = "") -> Decimal:
    """A target value in the indicator's stored unit (万元, fraction, count, days)."""
    kind = indicators.KINDS[code]
    if isinstance(raw, bool):
        raise CellError("不是数值")
    text = normalize(raw).replace(",", "")
    if not text:
        raise CellError("为空")
    text, factor = _amount_unit(text, raw, kind, unit_hint)
    percent = text.endswith("%")
    if percent:
        if kind != indicators.RATE:
            raise CellError(f"“{raw}”是百分比，但该指标不是比率")
        text = text[:-1]
    if kind in (indicators.COUNT, indicators.DAYS):
        text = _without_count_units(text)
    value = _number(text, raw)
    if kind == indicators.RATE:
        return _rate(value, raw, percent or unit_hint in ("%", "％"))
    if kind == indicators.COUNT and value != value.to_integral_value():
        raise CellError(f"个数“{raw}”应为整数")
    return (value * factor).quantize(Decimal("0.0001"))


def _amount_unit(text: str, raw, kind: str, unit_hint: str) -> tuple[str, Decimal]:
    """(the text without its 亿元/万元, the factor to 万元): the cell's own unit first, else the header's."""
    for suffix, multiplier in (("亿元", 10000), ("亿", 10000), ("万元", 1), ("万", 1)):
        if text.endswith(suffix):
            if kind != indicators.AMOUNT:
                raise CellError(f"“{raw}”带金额单位，但该指标不是金额")
            return text[: -len(suffix)], Decimal(multiplier)
    if kind == indicators.AMOUNT and unit_hint == "亿元":
        return text, Decimal(10000)
    return text, Decimal(1)


def _without_count_units(text: str) -> str:
    # Each at most once, in this order.
    for suffix in ("个", "件", "个工作日", "工作日", "天"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text


def _number(text: str, raw) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise CellError(f"“{raw}”不是有效的数值") from None
    if value < 0:
        raise CellError("不能为负数")
    return value


def _rate(value: Decimal, raw, percent: bool) -> Decimal:
    """A rate as a fraction: 80%, 80 and 0.8 are all 0.8."""
    if percent or value > 1:
        value = value / 100
    if value > 1:
        raise CellError(f"比率“{raw}”超过100%")
    return value.quantize(Decimal("0.0001"))


@dataclass
class Row:
    """One target read from the sheet; `where` names its cell for error messages."""

    unit_name: str | None  # None = the zone's own target
    year: int | None
    indicator: str
    annual: Decimal
    quarters: list
    where: str


def _cell_name(sheet: str, row: int, header: str) -> str:
    return f"工作表“{sheet}”第{row}行“{header}”列"


@dataclass
class _Layout:
    """Where things are in the sheet: the header row and the columns read (indices), for
    the long layout (indicator_col set) or the wide one (indicator_columns)."""

    sheet: str
    header_at: int  # index of the header row in the sheet's values
    headers: list[str]
    keys: list[tuple[str, str]]  # header_key() of each header
    unit_col: int
    year_col: int | None
    indicator_col: int | None
    annual_col: int | None = None
    quarter_cols: dict | None = None  # quarter → column (None where absent)
    indicator_columns: list | None = None  # wide: [(column, indicator code, unit hint)]

    def where(self, offset: int, col: int) -> str:
        return _cell_name(self.sheet, offset, self.headers[col])

    def header_problem(self, text: str) -> str:
        return f"工作表“{self.sheet}”第{self.header_at + 1}行{text}"


def _cell(row, col):
    return row[col] if col is not None and col < len(row) else None


def _blank(value) -> bool:
    return value in (None, "")


def _column(keys, names) -> int | None:
    return next((i for i, (k, _u) in enumerate(keys) if k in names), None)


def read(content: bytes) -> tuple[list[Row], list[str]]:
    """(rows, errors) from an .xlsx file; errors name sheet, row and column."""
    values, sheet, problem = _load(content)
    if problem:
        return [], [problem]
    layout, errors = _layout(values, sheet)
    if layout is None:
        return [], errors
    rows: list[Row] = []
    for offset, row in enumerate(values[layout.header_at + 1:], start=layout.header_at + 2):
        if all(c is None or str(c).strip() == "" for c in row):
            continue
        rows += _read_row(layout, row, offset, errors)
    return rows, errors


def _load(content: bytes) -> tuple[list[list], str, str]:
    """(the first sheet's values, its name, a problem reading the file or '')."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        return [], "", "无法读取该文件：请上传 .xlsx 格式的 Excel 工作簿"
    sheet = book.worksheets[0]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    book.close()
    return values, sheet.title, ""


def _layout(values: list[list], sheet: str) -> tuple[_Layout | None, list[str]]:
    """The sheet's layout and the header's warnings, or None and why it cannot be read."""
    header_at = next((index for index, row in enumerate(values[:15])
                      if any(header_key(c)[0] in UNIT_HEADERS for c in row if c is not None)), None)
    if header_at is None:
        return None, [f"工作表“{sheet}”前15行中找不到“单位”表头"]
    headers = [str(c).strip() if c is not None else "" for c in values[header_at]]
    keys = [header_key(h) for h in headers]
    layout = _Layout(sheet=sheet, header_at=header_at, headers=headers, keys=keys, unit_col=_column(keys, UNIT_HEADERS),
                     year_col=_column(keys, YEAR_HEADERS), indicator_col=_column(keys, INDICATOR_HEADERS))
    return _long_layout(layout) if layout.indicator_col is not None else _wide_layout(layout)


def _long_layout(layout: _Layout) -> tuple[_Layout | None, list[str]]:
    layout.annual_col = _column(layout.keys, ANNUAL_HEADERS)
    if layout.annual_col is None:
        return None, [layout.header_problem("缺少“年度目标”列")]
    layout.quarter_cols = {q: _column(layout.keys, names) for q, names in QUARTER_HEADERS.items()}
    return layout, []


def _wide_layout(layout: _Layout) -> tuple[_Layout | None, list[str]]:
    unit_col, year_col, headers = layout.unit_col, layout.year_col, layout.headers
    layout.indicator_columns = [(i, find_indicator(h), layout.keys[i][1]) for i, h in enumerate(headers)
                                if i != unit_col and find_indicator(h)]
    if not layout.indicator_columns:
        return None, [layout.header_problem("既没有“指标”列，也没有可识别的指标列")]
    unknown = [h for i, h in enumerate(headers) if h and i not in (unit_col, year_col) and not find_indicator(h)]
    return layout, [layout.header_problem(f"：无法识别的指标列“{'”“'.join(unknown)}”")] if unknown else []


def _read_row(layout: _Layout, row: list, offset: int, errors: list[str]) -> list[Row]:
    """The targets of one sheet row (none where it has an error, which goes to `errors`)."""
    unit_raw = _cell(row, layout.unit_col)
    unit_name = str(unit_raw).strip() if unit_raw is not None else ""
    if not unit_name:
        errors.append(f"{layout.where(offset, layout.unit_col)}：单位为空")
        return []
    unit = None if normalize(unit_name) in ZONE_NAMES else unit_name
    year = None
    if layout.year_col is not None and not _blank(_cell(row, layout.year_col)):
        try:
            year = int(Decimal(normalize(_cell(row, layout.year_col)).rstrip("年")))
        except (InvalidOperation, ValueError):
            errors.append(f"{layout.where(offset, layout.year_col)}：年度“{_cell(row, layout.year_col)}”无效")
            return []
    if layout.indicator_col is not None:
        return _long_row(layout, row, offset, unit, year, errors)
    return _wide_row(layout, row, offset, unit, year, errors)


def _long_row(layout: _Layout, row: list, offset: int, unit, year, errors: list[str]) -> list[Row]:
    """One unit's target of one indicator: the year's and, where given, the quarters'."""
    label = _cell(row, layout.indicator_col)
    code = find_indicator(label) if not _blank(label) else None
    if code is None:
        errors.append(f"{layout.where(offset, layout.indicator_col)}：无法识别的指标“{label or ''}”")
        return []
    annual_col = layout.annual_col
    unit_hint = header_key(label)[1] or layout.keys[annual_col][1]
    if _blank(_cell(row, annual_col)) and all(col is None or _blank(_cell(row, col)) for col in layout.quarter_cols.values()):
        return []  # a row left blank (as in the downloaded template): no target
    try:
        annual = parse_value(code, _cell(row, annual_col), unit_hint)
    except CellError as error:
        errors.append(f"{layout.where(offset, annual_col)}：{error}")
        return []
    quarters = [_quarter(layout, row, offset, code, col, unit_hint, errors) for col in layout.quarter_cols.values()]
    return [Row(unit, year, code, annual, quarters, layout.where(offset, annual_col))]


def _quarter(layout: _Layout, row: list, offset: int, code: str, col, unit_hint: str, errors: list[str]):
    """A quarter's target, or None where the column is absent, the cell blank or wrong."""
    raw = _cell(row, col)
    if col is None or _blank(raw):
        return None
    try:
        return parse_value(code, raw, unit_hint or layout.keys[col][1])
    except CellError as error:
        errors.append(f"{layout.where(offset, col)}：{error}")
        return None


def _wide_row(layout: _Layout, row: list, offset: int, unit, year, errors: list[str]) -> list[Row]:
    """One unit's targets, one per indicator column (the year's only)."""
    rows = []
    for col, code, unit_hint in layout.indicator_columns:
        raw = _cell(row, col)
        if _blank(raw):
            continue
        try:
            annual = parse_value(code, raw, unit_hint)
        except CellError as error:
            errors.append(f"{layout.where(offset, col)}：{error}")
            continue
        rows.append(Row(unit, year, code, annual, [None] * 4, layout.where(offset, col)))
    return rows


def template(zone, year: int, units, codes) -> bytes:
    """A blank long-layout table for the year: one row per unit and indicator, with the
    targets already set filled in."""
    from zhaoshang.assessment.models import Target

    existing = {(t.unit_id, t.indicator): t for t in Target.objects.filter(zone=zone, year=year)}
    book = xlsx.Book()
    sheet = book.sheet(f"{year}年目标任务", widths=dict(enumerate((20, 8, 24, 14, 10, 10, 10, 10, 16))))
    sheet.append([f"{zone.name}{year}年招商引资目标任务分解表"], book.title)
    sheet.append(["单位", "年度", "指标", "年度目标", "一季度", "二季度", "三季度", "四季度", "说明"],
                 book.add_format({"bold": True, "align": "center"}))
    for unit in units:
        for code in codes:
            t = existing.get((unit.pk if unit else None, code))
            kind = indicators.KINDS[code]
            hint = {"amount": "万元", "rate": "百分比，如 80%", "days": "工作日"}.get(kind, "个")
            values = [t.annual, *t.quarters] if t else [None] * 5
            if kind == indicators.RATE:
                values = [f"{(v * 100).normalize():f}%" if v is not None else None for v in values]
            sheet.append([unit.name if unit else "全区", year, str(indicators.LABELS[code]), *values, hint])
    return book.close()
