"""The workbook a bureau sends: a title row, units in the headers, amounts in 万元, a
frozen header, sensible widths; a fund-arrival sheet; and a sheet of the period's
figures (docs/figures.md). Its sheets read back through the importer unchanged.

    write_projects(Project.objects.visible_to(user).filter(...), period=kpi.Period.year(2024), out=path_or_file)
"""

import datetime as dt
from decimal import Decimal

from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from zhaoshang.core import xlsx as platform_xlsx
from zhaoshang.ledger import xlsx
from zhaoshang.ledger.columns import LABELS
from zhaoshang.projects import kpi
from zhaoshang.projects.models import FundArrival, Project
from zhaoshang.projects.stages import Stage

# (field, header, width) in the order the sheet shows them.
PROJECT_COLUMNS = [
    ("code", "项目编号", 16), ("name", "项目名称", 34), ("investor", "投资主体", 28), ("uscc", "统一社会信用代码", 21),
    ("industry", "所属产业", 16), ("kind", "项目类型", 9), ("category", "项目类别", 10), ("total_investment", "计划总投资（万元）", 14),
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
    "category__name", "total_investment", "is_fixed_asset", "source_province", "source_city", "responsible_unit__name", "park__name",
    "signed_on", "planned_start_on", "started_on", "producing_on", "stage", "dropped_on", "drop_reason", "contact_person",
    "contact_phone", "notes", "extra",
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
    """xlsxwriter version, for the template."""
    last = len(columns) - 1
    sheet.merge_range(0, 0, 0, last, title, formats["title"])
    sheet.set_row(0, 26)
    sheet.merge_range(1, 0, 1, last, subtitle, formats["note"])
    for index, (_field, header, width) in enumerate(columns):
        sheet.set_column(index, index, width)
        sheet.write_string(2, index, header, formats["header"])
    sheet.set_row(2, 32)
    sheet.freeze_panes(3, 2 if len(columns) > 5 else 0)


def _start(book, name, title, subtitle, columns, freeze_cols=0):
    sheet = book.sheet(name, widths=[width for _field, _header, width in columns], freeze=(3, freeze_cols))
    last = len(columns) - 1
    sheet.merge(0, 0, 0, last)
    sheet.row([title], style=xlsx.TITLE, height=26)
    sheet.merge(1, 0, 1, last)
    sheet.row([subtitle], style=xlsx.NOTE)
    sheet.row([header for _field, header, _width in columns], style=xlsx.HEADER, height=32)
    return sheet


def _kept_headers(projects: QuerySet) -> list[str]:
    """The headers of the extra fields the projects carry, in the order first met."""
    headers = {}
    for extra in projects.exclude(extra={}).order_by("pk").values_list("extra", flat=True).iterator(chunk_size=5000):
        for header in extra or {}:
            headers.setdefault(header, None)
    taken = {header for _name, header, _width in PROJECT_COLUMNS}
    return [header for header in headers if header not in taken]


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
    if out is None and period is not None and not isinstance(period, kpi.Period):
        period, out = None, period  # called as write_projects(queryset, stream)
    today = dt.date.today()
    figures_period = period or kpi.Period(dt.date(today.year, 1, 1), dt.date(today.year, 12, 31), today)
    if not zone_name:
        zones = list(projects.order_by().values_list("zone__name", flat=True).distinct()[:3])
        zone_name = "、".join(zones)
    stamp = _("导出时间：%(now)s") % {"now": dt.datetime.now().strftime("%Y-%m-%d %H:%M")}
    period_text = _("期间：%(start)s 至 %(end)s") % {"start": period.start, "end": period.end} if period else ""
    subtitle = "　".join(part for part in (_("单位：万元"), period_text, filters_text, stamp) if part)

    with xlsx.Workbook(out) as book:
        # Columns a ledger brought that the platform does not model go out again under their headers.
        kept = _kept_headers(projects)
        columns = PROJECT_COLUMNS + [("extra", header, 16) for header in kept]
        sheet = _start(book, _("项目台账"), title or _("%(zone)s招商项目台账") % {"zone": zone_name}, subtitle, columns, 2)
        leaders = _leaders(projects)
        stage_labels = {value: str(label) for value, label in Stage.choices}
        kind_labels = {value: str(label) for value, label in Project.Kind.choices}
        styles = [{"total_investment": xlsx.AMOUNT}.get(name) for name, _header, _width in columns]
        total = Decimal(0)
        count = 0
        # The caller's order (the project list's sort) when it gives one, else by signing date.
        ordered = projects if projects.query.order_by else projects.order_by(F("signed_on").asc(nulls_last=True), "code", "pk")
        amount_col = next(index for index, column in enumerate(PROJECT_COLUMNS) if column[0] == "total_investment")
        for values in ordered.values_list(*_VALUES).iterator(chunk_size=5000):
            (pk, code, name, investor, uscc, chain, cluster, label, kind, category, investment, fixed, province, city, unit, park,
             signed, planned, started, producing, stage, dropped, reason, contact, phone, notes, extra) = values
            extra = extra or {}
            sheet.row([
                code, name, investor, uscc, chain or cluster or label, kind_labels.get(kind, kind), category, investment,
                "是" if fixed else "否", province + city, unit, park, signed, planned, started, producing,
                stage_labels.get(stage, stage), dropped, reason, leaders.get(pk), contact, phone, notes,
                *[extra.get(header) for header in kept],
            ], styles=styles)
            total += investment or 0
            count += 1
        totals = [_("合计"), _("%(count)s个项目") % {"count": count}] + [None] * (len(columns) - 2)
        totals[amount_col] = total
        sheet.row(totals, styles=[xlsx.TOTAL_LABEL, xlsx.TOTAL_LABEL] + [xlsx.TOTAL] * (len(columns) - 2))
        sheet.set_autofilter(2, 0, max(count + 2, 3), len(columns) - 1)

        funds = _start(book, _("资金到位"), _("%(zone)s项目资金到位情况") % {"zone": zone_name}, subtitle, ARRIVAL_COLUMNS, 2)
        arrivals = FundArrival.objects.filter(project__in=projects.values("pk"))
        if period:
            arrivals = arrivals.filter(date__gte=period.start, date__lte=period.cut)
        arrival_total = Decimal(0)
        arrival_styles = [None, None, xlsx.DATE, xlsx.AMOUNT, None]
        for code, name, date, amount, note in arrivals.order_by("date", "project__code", "pk").values_list(
                "project__code", "project__name", "date", "amount", "note").iterator(chunk_size=5000):
            funds.row([code, name, date, amount, note], styles=arrival_styles)
            arrival_total += amount
        funds.row([_("合计"), None, None, arrival_total, None], styles=[xlsx.TOTAL_LABEL, None, None, xlsx.TOTAL, None])

        _figures(book, projects, figures_period, zone_name)
    return count


def _figures(book, projects, period, zone_name) -> None:
    sheet = book.sheet(FIGURES_SHEET, widths=[28, 18, 10])
    sheet.merge(0, 0, 0, 2)
    sheet.row([_("%(zone)s招商指标") % {"zone": zone_name}], style=xlsx.TITLE, height=26)
    sheet.merge(1, 0, 1, 2)
    sheet.row([_("期间：%(start)s 至 %(end)s（数据截至 %(as_of)s）") % {"start": period.start, "end": period.end, "as_of": period.as_of}],
              style=xlsx.NOTE)
    sheet.row([_("指标"), _("数值"), _("单位")], style=xlsx.HEADER)
    figures = kpi.compute(projects, period)
    for code in kpi.CODES:
        value = figures[code]
        kind = kpi.KINDS[code]
        label = str(kpi.LABELS[code])
        if value is None:
            sheet.row([label, "—", None])
        elif kind == kpi.RATE:
            sheet.row([label, value, None], styles=[None, xlsx.PERCENT, None])
        elif kind == kpi.AMOUNT:
            sheet.row([label, value, _("万元")], styles=[None, xlsx.AMOUNT, None])
        else:
            sheet.row([label, value, _("个")])


def write_template(out) -> None:
    """A blank ledger to fill in: the standard headers with their units and one example row."""
    book = platform_xlsx.Book(out).workbook
    formats = _formats(book)
    sheet = book.add_worksheet(_("项目台账"))
    _header(sheet, formats, _("招商项目台账（模板）"),
            _("单位：万元。日期可写 2024-03-05、2024.3.5、2024年3月5日 或 2024年3月；金额可写 3.5亿、800万。带 * 的列必填。"),
            [(name, ("* " if name == "name" else "") + header, width) for name, header, width in PROJECT_COLUMNS])
    funds = book.add_worksheet(_("资金到位"))
    _header(funds, formats, _("项目资金到位（模板）"), _("单位：万元。按项目编号或项目名称对应到项目。"), ARRIVAL_COLUMNS)
    book.close()
