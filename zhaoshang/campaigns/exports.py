"""The documents the campaigns area sends up: a trip's 上报表 (.docx and .xlsx) and a
signing ceremony's list of projects as a press release prints it, with the total
computed from the rows."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from zhaoshang.assessment.documents import GovDocument
from zhaoshang.campaigns.models import Event, Trip
from zhaoshang.core import xlsx

CENT = Decimal("0.01")
TEN_THOUSAND = Decimal("10000")


def _chinese_date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _yi(amount: Decimal) -> Decimal:
    """万元 → 亿元, two decimals."""
    return (amount / TEN_THOUSAND).quantize(CENT, rounding=ROUND_HALF_UP)


def _xlsx(title: str, headers: list[str], rows: list[list], total: list | None = None, widths: list[int] | None = None) -> bytes:
    """One sheet: a title row, the header, the rows and an optional total row. Every text is
    written as a string, so a name such as "=HYPERLINK(...)" stays text in Excel."""
    book = xlsx.Book()
    sheet = book.sheet(title[:31].translate(str.maketrans("[]:*?/\\", "_______")) or "Sheet1",
                       widths=[(widths or [])[column] if widths and column < len(widths) else 16 for column in range(len(headers))])
    bold = book.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter", "bg_color": "#DDEBF7"})
    cell = book.add_format({"border": 1, "valign": "vcenter", "text_wrap": True})
    number = book.add_format({"border": 1, "num_format": "#,##0.00"})
    heading = book.add_format({"bold": True, "font_size": 14, "align": "center"})
    sheet.title(title, len(headers) - 1, heading)
    sheet.append([str(header) for header in headers], bold)

    def put(values, style=cell):
        sheet.append(values, style, formats=[number if isinstance(value, Decimal) else None for value in values])

    for values in rows:
        put(values)
    if total is not None:
        put(total, bold)
    return book.close()


# --------------------------------------------------------------------------- trips


def trip_rows(trip: Trip) -> list[list]:
    rows = []
    for index, visit in enumerate(trip.visits.select_related("project"), start=1):
        outcome = visit.get_outcome_display()
        if visit.project is not None:
            outcome = f"{outcome}：{visit.project.name}"
        rows.append([index, _chinese_date(visit.date), visit.company_name, visit.met_with, visit.discussion, outcome])
    return rows


TRIP_HEADERS = [_("序号"), _("日期"), _("拜访企业"), _("会见人员"), _("洽谈内容"), _("成果")]


def _trip_facts(trip: Trip) -> list[tuple[str, str]]:
    team = "、".join(person.name for person in trip.team.all()) or "—"
    return [
        (_("组织单位"), str(trip.unit)),
        (_("出访时间"), f"{_chinese_date(trip.start_on)}至{_chinese_date(trip.end_on)}"),
        (_("目的地"), f"{trip.province}{trip.city}（{trip.get_region_display()}）"),
        (_("出访人员"), team),
        (_("出访目的"), trip.purpose),
    ]


def trip_report_xlsx(trip: Trip) -> bytes:
    title = _("外出招商情况上报表：%(title)s") % {"title": trip.title}
    facts = [[label, value, "", "", "", ""] for label, value in _trip_facts(trip)]
    rows = facts + [["", "", "", "", "", ""], [str(h) for h in TRIP_HEADERS]] + trip_rows(trip)
    rows.append([_("出访总结"), trip.summary or "—", "", "", "", ""])
    return _xlsx(title, [_("项目"), _("内容"), "", "", "", ""], rows, widths=[10, 14, 28, 18, 48, 28])


def trip_report_docx(trip: Trip, brought: dict) -> bytes:
    doc = GovDocument()
    doc.title(_("关于%(title)s的情况报告") % {"title": trip.title})
    doc.addressees(_("区投资促进局："))
    doc.text(
        _("%(unit)s于%(start)s至%(end)s赴%(place)s开展外出招商，%(team)s参加。出访目的：%(purpose)s")
        % {"unit": trip.unit, "start": _chinese_date(trip.start_on), "end": _chinese_date(trip.end_on),
           "place": f"{trip.province}{trip.city}", "team": "、".join(p.name for p in trip.team.all()) or _("组内人员"),
           "purpose": trip.purpose}
    )
    doc.heading(_("拜访企业情况"))
    doc.text(_("共拜访企业%(count)s家，形成新线索%(leads)s个，跟进已有项目%(follow)s个。") % {
        "count": trip.visits.count(), "leads": brought["leads"], "follow": brought["follow_ups"]})
    doc.table([str(h) for h in TRIP_HEADERS], trip_rows(trip), widths_mm=[12, 26, 40, 28, 0, 30][:6])
    doc.heading(_("成效"))
    doc.text(_("截至%(date)s，本次出访带来的项目中已签约%(signed)s个，签约总投资%(amount)s亿元。") % {
        "date": _chinese_date(brought["as_of"]), "signed": brought["signed_count"], "amount": _yi(brought["signed_investment"])})
    doc.heading(_("出访总结"))
    doc.text(trip.summary or _("（未填写）"))
    doc.signature(str(trip.unit), brought["as_of"])
    return doc.bytes()


# --------------------------------------------------------------------------- ceremonies

CEREMONY_HEADERS = [_("序号"), _("项目名称"), _("投资主体"), _("所属产业"), _("投资额（亿元）")]


def ceremony_rows(event: Event) -> tuple[list[list], Decimal]:
    """The signed projects in their order, with amounts in 亿元; the total is the sum of the
    rounded row amounts, so the table adds up exactly as printed."""
    rows, total = [], Decimal("0.00")
    signings = event.signings.select_related("project__investor", "project__chain", "project__cluster")
    for index, signing in enumerate(signings, start=1):
        project = signing.project
        amount = _yi(project.total_investment)
        total += amount
        industry = project.chain or project.cluster or project.industry_label or ""
        rows.append([index, project.name, project.investor.name if project.investor else "", str(industry), amount])
    return rows, total


def ceremony_xlsx(event: Event) -> bytes:
    rows, total = ceremony_rows(event)
    title = _("%(title)s签约项目清单（%(date)s）") % {"title": event.title, "date": _chinese_date(event.date)}
    totals = [_("合计"), _("%(count)s个项目") % {"count": len(rows)}, "", "", total]
    return _xlsx(title, [str(h) for h in CEREMONY_HEADERS], rows, total=totals, widths=[8, 36, 30, 18, 16])


def ceremony_docx(event: Event) -> bytes:
    rows, total = ceremony_rows(event)
    doc = GovDocument()
    doc.title(_("%(title)s签约项目清单") % {"title": event.title})
    doc.text(_("%(date)s，%(title)s在%(place)s举行，现场集中签约项目%(count)s个，总投资%(total)s亿元。") % {
        "date": _chinese_date(event.date), "title": event.title, "place": event.place, "count": len(rows), "total": total})
    body = [[index, name, investor, industry, f"{amount}"] for index, name, investor, industry, amount in rows]
    body.append([_("合计"), "", "", "", f"{total}"])
    doc.table([str(h) for h in CEREMONY_HEADERS], body)
    return doc.bytes()
