"""The project list as an Excel workbook: exactly the filtered rows, in the list's order.

Prefers the ledger's workbook writer (zhaoshang.ledger.export.write_projects) when it is
there, so an exported list reads back through the ledger import; otherwise writes a plain
sheet with the same columns as the list page."""

import io

from django.utils.translation import gettext as _

from zhaoshang.projects import kpi


def _ledger_writer():
    try:
        from zhaoshang.ledger.export import write_projects
    except ImportError:
        return None
    return write_projects


def projects_workbook(queryset, drill=None, *, zone_name: str = "", filters_text: str = "") -> tuple[bytes, int]:
    """(xlsx bytes, number of project rows)."""
    writer = _ledger_writer()
    if writer is not None:
        stream = io.BytesIO()
        result = writer(queryset, drill.period if drill else None, stream, zone_name=zone_name, filters_text=filters_text)
        count = result if isinstance(result, int) else queryset.count()
        return stream.getvalue(), count
    return _plain_workbook(queryset, drill)


def _plain_workbook(queryset, drill=None) -> tuple[bytes, int]:
    import xlsxwriter

    stream = io.BytesIO()
    book = xlsxwriter.Workbook(stream, {"in_memory": True, "constant_memory": True, "remove_timezone": True})
    sheet = book.add_worksheet(_("项目清单"))
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"})
    money = book.add_format({"num_format": "#,##0.00"})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    headers = [
        _("序号"), _("项目编号"), _("项目名称"), _("投资主体"), _("统一社会信用代码"), _("项目类型"), _("产业集群"), _("产业链"),
        _("计划总投资（万元）"), _("固定资产投资类项目"), _("来源省份"), _("来源城市"), _("来源地区"), _("责任单位"), _("包联领导"),
        _("落地园区"), _("阶段"), _("签约日期"), _("计划开工日期"), _("开工日期"), _("投产日期"), _("终止日期"), _("终止原因"), _("备注"),
    ]
    with_arrivals = bool(drill and drill.is_arrivals)
    if with_arrivals:
        headers.append(_("期内资金到位（万元）"))
    widths = [6, 18, 30, 30, 20, 10, 14, 16, 14, 10, 10, 10, 8, 18, 16, 18, 8, 12, 12, 12, 12, 12, 20, 30, 14]
    for col, header in enumerate(headers):
        sheet.write(0, col, header, bold)
        sheet.set_column(col, col, widths[col] if col < len(widths) else 14)
    sheet.freeze_panes(1, 3)
    row = 0
    total = kpi.ZERO
    for row, p in enumerate(queryset.iterator(chunk_size=2000), start=1):
        values = [
            row, p.code, p.name, p.investor.name if p.investor_id else "", p.investor.uscc if p.investor_id else "",
            p.get_kind_display(), p.cluster.name if p.cluster_id else "", p.chain.name if p.chain_id else "",
        ]
        for col, value in enumerate(values):
            sheet.write(row, col, value)
        sheet.write_number(row, 8, float(p.total_investment), money)
        total += p.total_investment
        rest = [
            _("是") if p.is_fixed_asset else _("否"), p.source_province, p.source_city, p.get_source_region_display(),
            p.responsible_unit.name if p.responsible_unit_id else "", "、".join(person.name for person in p.leaders.all()),
            p.park.name if p.park_id else "", p.get_stage_display(),
        ]
        for offset, value in enumerate(rest):
            sheet.write(row, 9 + offset, value)
        for offset, value in enumerate([p.signed_on, p.planned_start_on, p.started_on, p.producing_on, p.dropped_on]):
            if value:
                sheet.write_datetime(row, 17 + offset, value, date)
        sheet.write(row, 22, p.drop_reason)
        sheet.write(row, 23, p.notes)
        if with_arrivals:
            sheet.write_number(row, 24, float(getattr(p, "arrivals_amount", 0) or 0), money)
    count = row
    sheet.write(count + 1, 2, _("合计：%(count)s个项目") % {"count": count}, bold)
    sheet.write_number(count + 1, 8, float(total), money)
    book.close()
    return stream.getvalue(), count

