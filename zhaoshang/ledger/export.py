"""The workbook a bureau sends: a title row, units in the headers, amounts in 万元, a
frozen header, sensible widths; a fund-arrival sheet; and a sheet of the period's
figures (DESIGN.md §3). Its sheets read back through the importer unchanged.

    write_projects(Project.objects.visible_to(user).filter(...), period=kpi.Period.year(2024), out=path_or_file)
"""

import datetime as dt
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from zhaoshang.ledger.columns import LABELS
from zhaoshang.projects import kpi
from zhaoshang.projects.models import FundArrival, Project
from zhaoshang.projects.stages import Stage

# (field, header, width) in the order the sheet shows them.
PROJECT_COLUMNS = [
    ("code", "项目编号", 16), ("name", "项目名称", 34), ("investor", "投资主体", 28), ("uscc", "统一社会信用代码", 21),
    ("industry", "所属产业", 16), ("kind", "项目类型", 9), ("total_investment", "计划总投资（万元）", 14),
    ("is_fixed_asset", "是否固定资产投资项目", 10), ("source", "项目来源地", 14), ("responsible_unit", "责任单位", 18),
    ("park", "落地园区", 20), ("signed_on", "签约日期", 11), ("planned_start_on", "计划开工日期", 11),
    ("started_on", "开工日期", 11), ("producing_on", "投产日期", 11), ("stage", "当前阶段", 8),
    ("dropped_on", "终止日期", 11), ("drop_reason", "终止原因", 16), ("leaders", "包联领导", 14),
    ("contact_person", "联系人", 10), ("contact_phone", "联系电话", 14), ("notes", "备注", 30),
]
FIGURES_SHEET = "指标汇总"  # read back, the importer skips it without a warning
ARRIVAL_COLUMNS = [("code", "项目编号", 16), ("name", "项目名称", 34), ("date", "到位日期", 11), ("amount", "到位金额（万元）", 14), ("note", "说明", 24)]
_VALUES = [
    "id", "code", "name", "investor__name", "investor__uscc", "chain__name", "cluster__name", "industry_label", "kind",
    "total_investment", "is_fixed_asset", "source_province", "source_city", "responsible_unit__name", "park__name",
    "signed_on", "planned_start_on", "started_on", "producing_on", "stage", "dropped_on", "drop_reason", "contact_person",
    "contact_phone", "notes",
]
assert all(name in LABELS for name, _header, _width in PROJECT_COLUMNS)


def _formats(book):
    return {
        "title": book.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"}),
        "note": book.add_format({"font_size": 9, "font_color": "#555555"}),
        "header": book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "align": "center", "valign": "vcenter"}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "amount": book.add_format({"num_format": "#,##0.00"}),
        "total": book.add_format({"bold": True, "num_format": "#,##0.00", "top": 1}),
        "total_label": book.add_format({"bold": True, "top": 1}),
        "percent": book.add_format({"num_format": "0.00%"}),
    }


def _header(sheet, formats, title, subtitle, columns):
    last = len(columns) - 1
    sheet.merge_range(0, 0, 0, last, title, formats["title"])
    sheet.set_row(0, 26)
    sheet.merge_range(1, 0, 1, last, subtitle, formats["note"])
    for index, (_field, header, width) in enumerate(columns):
        sheet.set_column(index, index, width)
        sheet.write_string(2, index, header, formats["header"])
    sheet.set_row(2, 32)
    sheet.freeze_panes(3, 2 if len(columns) > 5 else 0)


def _leaders(projects: QuerySet) -> dict:
    through = Project.leaders.through
    names = {}
    rows = through.objects.filter(project__in=projects.values("pk")).order_by("project_id", "person__name").values_list("project_id", "person__name")
    for pk, name in rows.iterator(chunk_size=5000):
        names.setdefault(pk, []).append(name)
    return {pk: "、".join(found) for pk, found in names.items()}


def write_projects(projects: QuerySet, period: kpi.Period | None = None, out=None, *, title: str = "", zone_name: str = "",
                   filters_text: str = "") -> int:
    """Write `projects` (exactly these rows) as a ledger workbook to `out` (a path or a
    binary file); with a period, the fund-arrival sheet holds that period's arrivals and
    the figures sheet that period's figures (default: this year to date). Returns the
    number of project rows written."""
    import xlsxwriter

    if out is None and period is not None and not isinstance(period, kpi.Period):
        period, out = None, period  # called as write_projects(queryset, stream)
    today = dt.date.today()
    figures_period = period or kpi.Period(dt.date(today.year, 1, 1), dt.date(today.year, 12, 31), today)
    if not zone_name:
        zones = list(projects.order_by().values_list("zone__name", flat=True).distinct()[:3])
        zone_name = "、".join(zones)
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "in_memory": False, "strings_to_numbers": False,
                                     "strings_to_formulas": False, "strings_to_urls": False})
    formats = _formats(book)
    stamp = _("导出时间：%(now)s") % {"now": dt.datetime.now().strftime("%Y-%m-%d %H:%M")}
    period_text = _("期间：%(start)s 至 %(end)s") % {"start": period.start, "end": period.end} if period else ""
    subtitle = "　".join(part for part in (_("单位：万元"), period_text, filters_text, stamp) if part)

    sheet = book.add_worksheet(_("项目台账"))
    _header(sheet, formats, title or _("%(zone)s招商项目台账") % {"zone": zone_name}, subtitle, PROJECT_COLUMNS)
    leaders = _leaders(projects)
    stage_labels = {value: str(label) for value, label in Stage.choices}
    kind_labels = {value: str(label) for value, label in Project.Kind.choices}
    row = 3
    total = Decimal(0)
    ordered = projects.order_by("signed_on", "code", "pk")
    amount_col = next(index for index, column in enumerate(PROJECT_COLUMNS) if column[0] == "total_investment")
    for values in ordered.values_list(*_VALUES).iterator(chunk_size=5000):
        (pk, code, name, investor, uscc, chain, cluster, label, kind, investment, fixed, province, city, unit, park, signed,
         planned, started, producing, stage, dropped, reason, contact, phone, notes) = values
        cells = [
            code, name, investor or "", uscc or "", chain or cluster or label or "", kind_labels.get(kind, kind), investment,
            "是" if fixed else "否", f"{province}{city}", unit or "", park or "", signed, planned, started, producing,
            stage_labels.get(stage, stage), dropped, reason, leaders.get(pk, ""), contact, phone, notes,
        ]
        for col, value in enumerate(cells):
            if value is None or value == "":
                continue
            if isinstance(value, dt.date):
                sheet.write_datetime(row, col, dt.datetime(value.year, value.month, value.day), formats["date"])
            elif isinstance(value, Decimal):
                sheet.write_number(row, col, float(value), formats["amount"])
            else:
                sheet.write_string(row, col, value)
        total += investment or 0
        row += 1
    count = row - 3
    sheet.write_string(row, 0, _("合计"), formats["total_label"])
    sheet.write_string(row, 1, _("%(count)s个项目") % {"count": count}, formats["total_label"])
    sheet.write_number(row, amount_col, float(total), formats["total"])
    sheet.autofilter(2, 0, max(row - 1, 2), len(PROJECT_COLUMNS) - 1)

    funds = book.add_worksheet(_("资金到位"))
    _header(funds, formats, _("%(zone)s项目资金到位情况") % {"zone": zone_name}, subtitle, ARRIVAL_COLUMNS)
    arrivals = FundArrival.objects.filter(project__in=projects.values("pk"))
    if period:
        arrivals = arrivals.filter(date__gte=period.start, date__lte=period.cut)
    row = 3
    arrival_total = Decimal(0)
    for code, name, date, amount, note in arrivals.order_by("date", "project__code", "pk").values_list(
            "project__code", "project__name", "date", "amount", "note").iterator(chunk_size=5000):
        funds.write_string(row, 0, code)
        funds.write_string(row, 1, name)
        funds.write_datetime(row, 2, dt.datetime(date.year, date.month, date.day), formats["date"])
        funds.write_number(row, 3, float(amount), formats["amount"])
        if note:
            funds.write_string(row, 4, note)
        arrival_total += amount
        row += 1
    funds.write_string(row, 0, _("合计"), formats["total_label"])
    funds.write_number(row, 3, float(arrival_total), formats["total"])

    _figures(book, formats, projects, figures_period, zone_name)
    book.close()
    return count


def _figures(book, formats, projects, period, zone_name) -> None:
    sheet = book.add_worksheet(FIGURES_SHEET)
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 18)
    sheet.set_column(2, 2, 10)
    sheet.merge_range(0, 0, 0, 2, _("%(zone)s招商指标") % {"zone": zone_name}, formats["title"])
    sheet.merge_range(1, 0, 1, 2, _("期间：%(start)s 至 %(end)s（数据截至 %(as_of)s）")
                      % {"start": period.start, "end": period.end, "as_of": period.as_of}, formats["note"])
    for col, header in enumerate((_("指标"), _("数值"), _("单位"))):
        sheet.write_string(2, col, header, formats["header"])
    figures = kpi.compute(projects, period)
    for row, code in enumerate(kpi.CODES, start=3):
        sheet.write_string(row, 0, str(kpi.LABELS[code]))
        value = figures[code]
        kind = kpi.KINDS[code]
        if value is None:
            sheet.write_string(row, 1, "—")
        elif kind == kpi.RATE:
            sheet.write_number(row, 1, float(value), formats["percent"])
        elif kind == kpi.AMOUNT:
            sheet.write_number(row, 1, float(value), formats["amount"])
            sheet.write_string(row, 2, _("万元"))
        else:
            sheet.write_number(row, 1, value)
            sheet.write_string(row, 2, _("个"))


def write_template(out) -> None:
    """A blank ledger to fill in: the standard headers with their units and one example row."""
    import xlsxwriter

    book = xlsxwriter.Workbook(out, {"in_memory": True})
    formats = _formats(book)
    sheet = book.add_worksheet(_("项目台账"))
    _header(sheet, formats, _("招商项目台账（模板）"),
            _("单位：万元。日期可写 2024-03-05、2024.3.5、2024年3月5日 或 2024年3月；金额可写 3.5亿、800万。带 * 的列必填。"),
            [(name, ("* " if name == "name" else "") + header, width) for name, header, width in PROJECT_COLUMNS])
    funds = book.add_worksheet(_("资金到位"))
    _header(funds, formats, _("项目资金到位（模板）"), _("单位：万元。按项目编号或项目名称对应到项目。"), ARRIVAL_COLUMNS)
    book.close()
