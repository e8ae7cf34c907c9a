"""The bulletin (通报) of a ranking: its data, as plain JSON, and the .docx and .xlsx made
from that data alone — so a published bulletin, stored with its data and files, reads
the same whatever changes afterwards."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from zhaoshang.assessment import indicators, scoring
from zhaoshang.assessment.documents import GovDocument
from zhaoshang.assessment.periods import describe
from zhaoshang.core import numbers, xlsx
from zhaoshang.core.models import OrgUnit, Zone
from zhaoshang.projects import kpi
from zhaoshang.projects.kpi import Period

HEADLINE = ["signed_count", "signed_investment", "started_count", "start_rate", "major_signed_count",
            "new_started_count", "new_started_investment", "funds_in_place", "fai_funds_in_place"]
UNIT_TABLE = ["signed_count", "signed_investment", "started_count", "start_rate", "funds_in_place"]
PROJECT_KINDS = [OrgUnit.Kind.TASK_FORCE, OrgUnit.Kind.SOE]


def issuer_of(zone: Zone) -> str:
    bureau = OrgUnit.objects.filter(zone=zone, kind=OrgUnit.Kind.BUREAU).order_by("sort_order", "name").first()
    return f"{zone.name}{bureau.name if bureau else '投资促进局'}"


def _figure(code, value) -> dict:
    return {"code": code, "label": str(indicators.LABELS[code]), "value": None if value is None else str(value),
            "display": indicators.format_value(code, value)}


def build(zone: Zone, period: Period, *, title: str = "", number: str = "", today: dt.date | None = None) -> dict:
    """Everything a bulletin shows, as JSON-ready data."""
    today = today or timezone.localdate()
    label = describe(period)
    ranking = scoring.ranking(zone, period)
    figures = kpi.compute(kpi.scope(zone), period)
    by_unit = kpi.compute_by(kpi.scope(zone), period, "responsible_unit")
    units = list(OrgUnit.objects.filter(zone=zone, is_active=True, kind__in=PROJECT_KINDS))
    unit_rows = []
    for unit in units:
        f = by_unit.get(unit.pk) or scoring.empty_figures()
        unit_rows.append({"unit_id": unit.pk, "unit": unit.name, "kind": str(unit.get_kind_display()),
                          "figures": {code: _figure(code, f[code]) for code in UNIT_TABLE}})
    unit_rows.sort(key=lambda r: (-Decimal(r["figures"]["signed_investment"]["value"]), r["unit"]))
    majors = kpi.projects_behind("signed_count", kpi.scope(zone), period).filter(
        total_investment__gte=zone.major_project_threshold
    ).order_by("-total_investment", "code")[:5]
    data = {
        "version": 1,
        "zone": {"id": zone.pk, "code": zone.code, "name": zone.name},
        "issuer": issuer_of(zone),
        "number": number,
        "title": title or f"关于{title_period(period, label)}招商引资工作考核情况的通报",
        "period_label": label,
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat(), "as_of": period.as_of.isoformat()},
        "date": today.isoformat(),
        "figures": [_figure(code, figures[code]) for code in HEADLINE],
        "unit_table": unit_rows,
        "ranking": ranking.to_dict(),
        "major_projects": [
            {"id": p.pk, "code": p.code, "name": p.name, "amount": kpi.format_amount(p.total_investment),
             "unit": p.responsible_unit.name if p.responsible_unit_id else ""}
            for p in majors.select_related("responsible_unit")
        ],
    }
    data["summary"] = _summary(data)
    data["highlights"], data["lagging"] = _highlights(data, ranking)
    return data


def title_period(period: Period, label: str) -> str:
    """The period as a title reads it: 2024年度, 2025年第一季度, 2025年3月, or
    2026年1月1日至2026年12月3日 — never ISO dates."""
    whole_year = numbers.period_cn(period.start, period.end)
    if whole_year.endswith("年度"):
        return whole_year
    if any(ch.isdigit() for ch in label) and "-" in label:
        return whole_year
    return label


def _summary(data: dict) -> str:
    f = {item["code"]: item for item in data["figures"]}
    return (
        f"{data['period_label']}（数据截至{numbers.date_cn(data['period']['as_of'])}），全区共签约项目{f['signed_count']['display']}，"
        f"签约总投资{f['signed_investment']['display']}，其中亿元以上项目{f['major_signed_count']['display']}；"
        f"已开工项目{f['started_count']['display']}，开工率{f['start_rate']['display']}；"
        f"新开工项目{f['new_started_count']['display']}，计划投资{f['new_started_investment']['display']}；"
        f"资金到位{f['funds_in_place']['display']}，其中固定资产投资类项目资金到位{f['fai_funds_in_place']['display']}。"
    )


def _highlights(data: dict, ranking: scoring.Ranking) -> tuple[list[str], list[str]]:
    units = {row["unit_id"]: row for row in data["unit_table"]}
    highlights, lagging = [], []
    for group in ranking.groups:
        if not scoring.was_scored(group):
            continue  # nobody in this group had a target or an adjustment: nothing to praise or blame
        for score in group.red:
            row = units.get(score.unit_id)
            detail = ""
            if row:
                f = row["figures"]
                detail = f"，签约项目{f['signed_count']['display']}、总投资{f['signed_investment']['display']}，开工率{f['start_rate']['display']}"
            highlights.append(f"{score.unit_name}考核得分{score.total}分，位列{group.kind_label}第{score.rank}名{detail}。")
        for score in group.black:
            reasons = [f"{a.label}{a.count}项" for a in score.adjustments if a.kind == "deduction" and a.count and a.rule != "manual"]
            unmet = [line.label for line in score.lines if line.completion is not None and line.completion < 1]
            detail = ""
            if unmet:
                detail += f"，{'、'.join(unmet)}未完成目标"
            if reasons:
                detail += f"，{'；'.join(reasons)}"
            lagging.append(f"{score.unit_name}考核得分{score.total}分，位列{group.kind_label}第{score.rank}名（末位）{detail}。")
    if data["major_projects"]:
        names = "、".join(f"{p['name']}（{p['amount']}）" for p in data["major_projects"])
        highlights.append(f"重大项目招引取得突破，{names}等项目成功签约。")
    for row in data["unit_table"]:
        if row["figures"]["signed_count"]["value"] in ("0", None) and row["kind"] == str(OrgUnit.Kind.TASK_FORCE.label):
            lagging.append(f"{row['unit']}本期无新签约项目。")
    return highlights, lagging


REQUIREMENTS = [
    "各单位要对照年度目标任务，查找差距、补齐短板，确保各项指标按序时进度完成。",
    "已签约项目要加快推进前期手续办理，力促早开工、早投产；对超期未开工项目逐一分析原因、明确责任人和完成时限。",
    "各职能部门要提高服务诉求办理质效，按时办结率、满意率纳入年度考核。",
    "各单位要如实报送数据，对虚报、瞒报数据的，一经核实予以扣分并通报。",
]


def _ranking_rows(group: dict) -> tuple[list[str], list[list]]:
    headers = ["名次", "单位", "总分", "指标得分", "加分", "扣分", "较上期"]
    rows = [
        [s["rank"] or "—", s["unit_name"], s["total"], s["indicator_points"], s["bonus"], s["deduction"], s["arrow"]]
        for s in group["scores"]
    ]
    return headers, rows


def render_docx(data: dict) -> bytes:
    doc = GovDocument()
    doc.masthead(data["issuer"], data["number"])
    doc.title(data["title"])
    doc.addressees("各招商专班、各区属国企、各有关部门：")
    doc.text(f"根据招商引资分类考核办法，现将{data['period_label']}全区招商引资工作情况及考核排名通报如下。")
    doc.heading("总体情况")
    doc.text(data["summary"])
    headers = ["单位", *[str(indicators.LABELS[c]) for c in UNIT_TABLE]]
    rows = [[r["unit"], *[r["figures"][c]["display"] for c in UNIT_TABLE]] for r in data["unit_table"]]
    doc.table(headers, rows, caption="各单位主要指标完成情况")
    doc.heading("考核排名")
    period = data["ranking"]["previous"]
    if period:
        doc.text(f"考核排名按各类单位分组进行，名次变动与上一同长度时期（{numbers.date_cn(period['start'])}至{numbers.date_cn(period['end'])}）比较。{data['ranking']['tie_breaks']}。")
    for group in data["ranking"]["groups"]:
        doc.subheading(f"{group['kind_label']}（{group['scheme']}）")
        headers, rows = _ranking_rows(group)
        doc.table(headers, rows)
    doc.heading("工作亮点")
    for line in data["highlights"] or ["无。"]:
        doc.text(line)
    doc.heading("后进单位及存在问题")
    for line in data["lagging"] or ["无。"]:
        doc.text(line)
    doc.heading("下步工作要求")
    for index, line in enumerate(REQUIREMENTS, start=1):
        doc.text(line, lead=f"（{'一二三四五六七八九'[index - 1]}）")
    doc.signature(data["issuer"], dt.date.fromisoformat(data["date"]))
    return doc.bytes()


def render_xlsx(data: dict) -> bytes:
    book = xlsx.Book()
    head = book.add_format({"bold": True, "align": "center"})
    widths = {0: 22, 1: 22}
    sheet = book.sheet("总体情况", widths=widths)
    sheet.append([data["title"]])
    sheet.append([f"时期：{data['period']['start']}至{data['period']['end']}，数据截至{data['period']['as_of']}"])
    sheet.append(["指标", "数值", "显示"], head)
    for f in data["figures"]:
        sheet.append([f["label"], _number(f["value"]), f["display"]])
    units = book.sheet("分单位情况", widths=widths)
    units.append(["单位", "类型", *[str(indicators.LABELS[c]) for c in UNIT_TABLE]], head)
    for r in data["unit_table"]:
        units.append([r["unit"], r["kind"], *[_number(r["figures"][c]["value"]) for c in UNIT_TABLE]])
    for group in data["ranking"]["groups"]:
        ws = book.sheet(f"排名-{group['kind_label']}", widths=widths)
        headers, rows = _ranking_rows(group)
        codes = [line["code"] for line in (group["scores"][0]["lines"] if group["scores"] else [])]
        labels = [line["label"] for line in (group["scores"][0]["lines"] if group["scores"] else [])]
        ws.append([*headers, *[f"{label}得分" for label in labels]], head)
        for score, row in zip(group["scores"], rows):
            points = {line["code"]: line["points"] for line in score["lines"]}
            ws.append([row[0], row[1], *[_number(v) for v in row[2:6]], row[6], *[_number(points[c]) for c in codes]])
    board = book.sheet("红黑榜", widths=widths)
    board.append(["分组", "榜单", "名次", "单位", "总分"], head)
    for group in data["ranking"]["groups"]:
        by_id = {s["unit_id"]: s for s in group["scores"]}
        for label, ids in (("红榜", group["red"]), ("黑榜", group["black"])):
            for unit_id in ids:
                s = by_id[unit_id]
                board.append([group["kind_label"], label, s["rank"] or "—", s["unit_name"], _number(s["total"])])
    return book.close()


def _number(value):
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except Exception:
        return value
    return int(number) if number == number.to_integral_value() else float(number)
