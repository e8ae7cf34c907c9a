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
    factor = Decimal(1)
    percent = False
    for suffix, multiplier in (("亿元", 10000), ("亿", 10000), ("万元", 1), ("万", 1)):
        if text.endswith(suffix):
            if kind != indicators.AMOUNT:
                raise CellError(f"“{raw}”带金额单位，但该指标不是金额")
            text, factor = text[: -len(suffix)], Decimal(multiplier)
            break
    else:
        if kind == indicators.AMOUNT and unit_hint == "亿元":
            factor = Decimal(10000)
    if text.endswith("%"):
        if kind != indicators.RATE:
            raise CellError(f"“{raw}”是百分比，但该指标不是比率")
        text, percent = text[:-1], True
    for suffix in ("个", "件", "个工作日", "工作日", "天"):
        if text.endswith(suffix) and kind in (indicators.COUNT, indicators.DAYS):
            text = text[: -len(suffix)]
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise CellError(f"“{raw}”不是有效的数值") from None
    if value < 0:
        raise CellError("不能为负数")
    if kind == indicators.RATE:
        if percent or value > 1 or unit_hint in ("%", "％"):
            value = value / 100
        if value > 1:
            raise CellError(f"比率“{raw}”超过100%")
        return value.quantize(Decimal("0.0001"))
    if kind == indicators.COUNT and value != value.to_integral_value():
        raise CellError(f"个数“{raw}”应为整数")
    return (value * factor).quantize(Decimal("0.0001"))


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


def read(content: bytes) -> tuple[list[Row], list[str]]:
    """(rows, errors) from an .xlsx file; errors name sheet, row and column."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        return [], ["无法读取该文件：请上传 .xlsx 格式的 Excel 工作簿"]
    sheet = book.worksheets[0]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    book.close()
    name = sheet.title
    header_at = None
    for index, row in enumerate(values[:15]):
        if any(header_key(c)[0] in UNIT_HEADERS for c in row if c is not None):
            header_at = index
            break
    if header_at is None:
        return [], [f"工作表“{name}”前15行中找不到“单位”表头"]
    headers = [str(c).strip() if c is not None else "" for c in values[header_at]]
    keys = [header_key(h) for h in headers]
    columns = {k: i for i, (k, _u) in enumerate(keys) if k}
    unit_col = next(i for i, (k, _u) in enumerate(keys) if k in UNIT_HEADERS)
    indicator_col = next((i for i, (k, _u) in enumerate(keys) if k in INDICATOR_HEADERS), None)
    year_col = next((i for i, (k, _u) in enumerate(keys) if k in YEAR_HEADERS), None)
    rows: list[Row] = []
    errors: list[str] = []

    def cell(row, col):
        return row[col] if col is not None and col < len(row) else None

    if indicator_col is not None:
        annual_col = next((i for i, (k, _u) in enumerate(keys) if k in ANNUAL_HEADERS), None)
        if annual_col is None:
            return [], [f"工作表“{name}”第{header_at + 1}行缺少“年度目标”列"]
        quarter_cols = {q: next((i for i, (k, _u) in enumerate(keys) if k in names), None) for q, names in QUARTER_HEADERS.items()}
    else:
        indicator_columns = [(i, find_indicator(h), keys[i][1]) for i, h in enumerate(headers) if i != unit_col and find_indicator(h)]
        unknown = [h for i, h in enumerate(headers) if h and i not in (unit_col, year_col) and not find_indicator(h)]
        if not indicator_columns:
            return [], [f"工作表“{name}”第{header_at + 1}行既没有“指标”列，也没有可识别的指标列"]
        if unknown:
            errors.append(f"工作表“{name}”第{header_at + 1}行：无法识别的指标列“{'”“'.join(unknown)}”")
    del columns

    for offset, row in enumerate(values[header_at + 1:], start=header_at + 2):
        if all(c is None or str(c).strip() == "" for c in row):
            continue
        unit_raw = cell(row, unit_col)
        unit_name = str(unit_raw).strip() if unit_raw is not None else ""
        if not unit_name:
            errors.append(f"{_cell_name(name, offset, headers[unit_col])}：单位为空")
            continue
        unit = None if normalize(unit_name) in ZONE_NAMES else unit_name
        year = None
        if year_col is not None and cell(row, year_col) not in (None, ""):
            try:
                year = int(Decimal(normalize(cell(row, year_col)).rstrip("年")))
            except (InvalidOperation, ValueError):
                errors.append(f"{_cell_name(name, offset, headers[year_col])}：年度“{cell(row, year_col)}”无效")
                continue
        if indicator_col is not None:
            label = cell(row, indicator_col)
            code = find_indicator(label) if label not in (None, "") else None
            if code is None:
                errors.append(f"{_cell_name(name, offset, headers[indicator_col])}：无法识别的指标“{label or ''}”")
                continue
            unit_hint = header_key(label)[1] or keys[annual_col][1]
            if cell(row, annual_col) in (None, "") and all(
                col is None or cell(row, col) in (None, "") for col in quarter_cols.values()
            ):
                continue  # a row left blank (as in the downloaded template): no target
            try:
                annual = parse_value(code, cell(row, annual_col), unit_hint)
            except CellError as error:
                errors.append(f"{_cell_name(name, offset, headers[annual_col])}：{error}")
                continue
            quarters = []
            for q, col in quarter_cols.items():
                raw = cell(row, col)
                if col is None or raw in (None, ""):
                    quarters.append(None)
                    continue
                try:
                    quarters.append(parse_value(code, raw, unit_hint or keys[col][1]))
                except CellError as error:
                    errors.append(f"{_cell_name(name, offset, headers[col])}：{error}")
                    quarters.append(None)
            rows.append(Row(unit, year, code, annual, quarters, _cell_name(name, offset, headers[annual_col])))
        else:
            for col, code, unit_hint in indicator_columns:
                raw = cell(row, col)
                if raw in (None, ""):
                    continue
                try:
                    annual = parse_value(code, raw, unit_hint)
                except CellError as error:
                    errors.append(f"{_cell_name(name, offset, headers[col])}：{error}")
                    continue
                rows.append(Row(unit, year, code, annual, [None] * 4, _cell_name(name, offset, headers[col])))
    return rows, errors


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
