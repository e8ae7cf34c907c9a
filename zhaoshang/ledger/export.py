"""The workbook a bureau sends: a title row, units in the headers, amounts in 万元, a
frozen header, sensible widths; a fund-arrival sheet; and a sheet of the period's
figures (docs/figures.md). Its sheets read back through the importer unchanged.

    write_projects(Project.objects.visible_to(user).filter(...), period=kpi.Period.year(2024), out=path_or_file)
"""

import datetime as dt
from decimal import Decimal

from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from zhaoshang.core import xlsx
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
_KINDS = {"total_investment": xlsx.NUMBER, "signed_on": xlsx.DATE, "planned_start_on": xlsx.DATE, "started_on": xlsx.DATE,
          "producing_on": xlsx.DATE, "dropped_on": xlsx.DATE}
assert all(name in LABELS for name, _header, _width in PROJECT_COLUMNS)


def _formats(book: xlsx.Book) -> dict:
    """Created once per workbook: xlsxwriter keeps every format object it is given."""
    return {
        "title": book.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"}),
        "note": book.add_format({"font_size": 9, "font_color": "#555555"}),
        "header": book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "align": "center", "valign": "vcenter"}),
        "date": book.date,
        "amount": book.amount,
        "total": book.add_format({"bold": True, "num_format": "#,##0.00", "top": 1}),
        "total_label": book.add_format({"bold": True, "top": 1}),
        "percent": book.add_format({"num_format": "0.00%"}),
    }


def _start(book, formats, name, title, subtitle, columns, freeze_cols=0):
    """A sheet with the title, the note under it and the header row, frozen below the header."""
    sheet = book.sheet(name, widths=[width for _field, _header, width in columns], freeze=(3, freeze_cols))
    last = len(columns) - 1
    sheet.title(title, last, formats["title"], height=26)
    sheet.title(subtitle, last, formats["note"])
    sheet.append([header for _field, header, _width in columns], formats["header"], height=32)
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

    with xlsx.Book(out, constant_memory=True) as book:
        formats = _formats(book)
        # Columns a ledger brought that the platform does not model go out again under their headers.
        kept = _kept_headers(projects)
        columns = PROJECT_COLUMNS + [("extra", header, 16) for header in kept]
        sheet = _start(book, formats, _("项目台账"), title or _("%(zone)s招商项目台账") % {"zone": zone_name}, subtitle, columns, 2)
        sheet.columns([_KINDS.get(name, xlsx.TEXT) for name, _header, _width in PROJECT_COLUMNS] + [xlsx.ANY] * len(kept),
                      [formats["amount"] if name == "total_investment" else None for name, _header, _width in columns])
        leaders = _leaders(projects)
        stage_labels = {value: str(label) for value, label in Stage.choices}
        kind_labels = {value: str(label) for value, label in Project.Kind.choices}
        total = Decimal(0)
        count = 0
        # The caller's order (the project list's sort) when it gives one, else by signing date.
        ordered = projects if projects.query.order_by else projects.order_by(F("signed_on").asc(nulls_last=True), "code", "pk")
        amount_col = next(index for index, column in enumerate(PROJECT_COLUMNS) if column[0] == "total_investment")
        append_row = sheet.append_row
        for values in ordered.values_list(*_VALUES).iterator(chunk_size=5000):
            (pk, code, name, investor, uscc, chain, cluster, label, kind, category, investment, fixed, province, city, unit, park,
             signed, planned, started, producing, stage, dropped, reason, contact, phone, notes, extra) = values
            row = [
                code, name, investor, uscc, chain or cluster or label, kind_labels.get(kind, kind), category, investment,
                "是" if fixed else "否", province + city, unit, park, signed, planned, started, producing,
                stage_labels.get(stage, stage), dropped, reason, leaders.get(pk), contact, phone, notes,
            ]
            if kept:
                extra = extra or {}
                row += [extra.get(header) for header in kept]
            append_row(row)
            total += investment or 0
            count += 1
        totals = [_("合计"), _("%(count)s个项目") % {"count": count}] + [None] * (len(columns) - 2)
        totals[amount_col] = total
        sheet.append(totals, formats["total"], formats=[formats["total_label"], formats["total_label"]])
        sheet.autofilter(2, 0, max(count + 2, 3), len(columns) - 1)

        funds = _start(book, formats, _("资金到位"), _("%(zone)s项目资金到位情况") % {"zone": zone_name}, subtitle, ARRIVAL_COLUMNS, 2)
        funds.columns([xlsx.TEXT, xlsx.TEXT, xlsx.DATE, xlsx.NUMBER, xlsx.TEXT], [None, None, formats["date"], formats["amount"], None])
        arrivals = FundArrival.objects.filter(project__in=projects.values("pk"))
        if period:
            arrivals = arrivals.filter(date__gte=period.start, date__lte=period.cut)
        arrival_total = Decimal(0)
        for code, name, date, amount, note in arrivals.order_by("date", "project__code", "pk").values_list(
                "project__code", "project__name", "date", "amount", "note").iterator(chunk_size=5000):
            funds.append_row([code, name, date, amount, note])
            arrival_total += amount
        funds.append([_("合计"), None, None, arrival_total, None], formats=[formats["total_label"], None, None, formats["total"], None])

        _figures(book, formats, projects, figures_period, zone_name)
    return count


def _figures(book, formats, projects, period, zone_name) -> None:
    sheet = book.sheet(FIGURES_SHEET, widths=[28, 18, 10])
    sheet.title(_("%(zone)s招商指标") % {"zone": zone_name}, 2, formats["title"], height=26)
    sheet.title(_("期间：%(start)s 至 %(end)s（数据截至 %(as_of)s）") % {"start": period.start, "end": period.end, "as_of": period.as_of}, 2,
                formats["note"])
    sheet.append([_("指标"), _("数值"), _("单位")], formats["header"])
    figures = kpi.compute(projects, period)
    for code in kpi.CODES:
        value = figures[code]
        kind = kpi.KINDS[code]
        label = str(kpi.LABELS[code])
        if value is None:
            sheet.append([label, "—", None])
        elif kind == kpi.RATE:
            sheet.append([label, value, None], formats=[None, formats["percent"], None])
        elif kind == kpi.AMOUNT:
            sheet.append([label, value, _("万元")], formats=[None, formats["amount"], None])
        else:
            sheet.append([label, value, _("个")])


def write_template(out) -> None:
    """A blank ledger to fill in: the standard headers with their units and one example row."""
    book = xlsx.Book(out)
    formats = _formats(book)
    _start(book, formats, _("项目台账"), _("招商项目台账（模板）"),
           _("单位：万元。日期可写 2024-03-05、2024.3.5、2024年3月5日 或 2024年3月；金额可写 3.5亿、800万。带 * 的列必填。"),
           [(name, ("* " if name == "name" else "") + header, width) for name, header, width in PROJECT_COLUMNS], 2)
    _start(book, formats, _("资金到位"), _("项目资金到位（模板）"), _("单位：万元。按项目编号或项目名称对应到项目。"), ARRIVAL_COLUMNS)
    book.close()
