"""Bulletins: the demo zone's 2024 figures in the .docx, laid out as a government
document, the same tables in .xlsx, and a published bulletin frozen against later edits."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from zhaoshang.assessment import actions, bulletins
from zhaoshang.assessment.models import Bulletin
from zhaoshang.core.models import OrgUnit
from zhaoshang.projects import actions as project_actions
from zhaoshang.projects.kpi import Period
from zhaoshang.projects.models import Project

YEAR_2024 = Period.year(2024)


def text_of(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def tables_of(document) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def east_asian_font(paragraph) -> str:
    run = paragraph.runs[0]
    return run._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


@pytest.fixture
def demo_with_schemes(demo_zone):
    from zhaoshang.assessment import demo

    demo.seed(demo_zone)
    return demo_zone


def test_published_bulletin_reads_back_and_stays_as_published(demo_with_schemes, make_user):
    zone = demo_with_schemes
    bureau = make_user("chief", zone, "bureau")
    bulletin = actions.publish_bulletin(zone=zone, period=YEAR_2024, number="阳高投促〔2025〕1号", actor=bureau)

    document = Document(io.BytesIO(bytes(bulletin.docx)))
    text = text_of(document)
    assert "全区共签约项目31个，签约总投资141.34亿元" in text
    assert "开工率80.65%" in text
    assert "已开工项目25个" in text
    # GB/T 9704 habits: red masthead, centred 小标宋 title, numbered sections in 黑体, 仿宋 三号 body.
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    assert paragraphs[0].text == bulletins.issuer_of(zone) and east_asian_font(paragraphs[0]) == "方正小标宋简体"
    title = next(p for p in paragraphs if p.text == "关于2024年度招商引资工作考核情况的通报")
    assert title.alignment == 1 and east_asian_font(title) == "方正小标宋简体"
    assert title.runs[0].font.size.pt == 22
    headings = [p.text for p in paragraphs if p.text[:2] in ("一、", "二、", "三、", "四、", "五、")]
    assert headings == ["一、总体情况", "二、考核排名", "三、工作亮点", "四、后进单位及存在问题", "五、下步工作要求"]
    body = next(p for p in paragraphs if p.text.startswith("2024年（数据截至2024年12月31日）"))
    assert east_asian_font(body) == "仿宋_GB2312" and body.runs[0].font.size.pt == 16
    assert "阳高投促〔2025〕1号" in text
    # the font table names fallbacks for the GB2312-era fonts
    font_table = document.part.part_related_by("http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable")
    assert "仿宋_GB2312" in font_table.blob.decode() and "FangSong" in font_table.blob.decode()

    # the ranking tables: every task force and SOE, ranked 1..n
    tables = tables_of(document)
    ranking_tables = [t for t in tables if t[0][:3] == ["名次", "单位", "总分"]]
    task_forces = set(OrgUnit.objects.filter(zone=zone, kind=OrgUnit.Kind.TASK_FORCE).values_list("name", flat=True))
    in_tables = {row[1] for t in ranking_tables for row in t[1:]}
    assert task_forces <= in_tables
    for table in ranking_tables:
        # A group where every unit scored the same is not ranked (each shows —).
        unranked = len({row[2] for row in table[1:]}) == 1
        assert [row[0] for row in table[1:]] == (["—"] * (len(table) - 1) if unranked else [str(n) for n in range(1, len(table))])
    unit_table = next(t for t in tables if t[0][0] == "单位")
    row = next(r for r in unit_table if r[0] == "新能源新材料专班")
    assert row[1:3] == ["5个", "38.20亿元"]

    book = load_workbook(io.BytesIO(bytes(bulletin.xlsx)))
    assert {"总体情况", "分单位情况", "排名-招商专班", "红黑榜"} <= set(book.sheetnames)
    figures = {r[0]: r[1] for r in book["总体情况"].iter_rows(min_row=4, values_only=True)}
    assert figures["签约项目数"] == 31 and figures["签约总投资"] == 1413400
    ranked = [r[1] for r in book["排名-招商专班"].iter_rows(min_row=2, values_only=True)]
    assert set(ranked) == task_forces

    # later edits to the projects change a fresh bulletin, not the published one
    project = Project.objects.filter(zone=zone, signed_on__year=2024).order_by("code").first()
    project_actions.update_project(project, total_investment=project.total_investment + Decimal("100000"))
    fresh = bulletins.build(zone, YEAR_2024)
    assert "151.34亿元" in fresh["summary"]
    stored = Bulletin.objects.get(pk=bulletin.pk)
    assert bytes(stored.docx) == bytes(bulletin.docx) and bytes(stored.xlsx) == bytes(bulletin.xlsx)
    assert "141.34亿元" in stored.data["summary"]
    assert "141.34亿元" in text_of(Document(io.BytesIO(bytes(stored.docx))))
    stored.title = "改过的标题"
    with pytest.raises(ValueError, match="cannot be changed"):
        stored.save()


def test_ranking_and_bulletin_commands(demo_with_schemes, tmp_path):
    from zhaoshang.assessment import selectors

    # the demo targets: 30 projects for the zone in 2024, 31 signed
    assert selectors.completion(demo_with_schemes, 2024)["signed_count"] == {
        "target": Decimal("30.0000"), "actual": 31, "completion": Decimal("1.0333")}
    out = io.StringIO()
    call_command("ranking", "--zone", "yqgxq", "--from", "2024-01-01", "--to", "2024-12-31", "--json", stdout=out)
    data = json.loads(out.getvalue())
    groups = {g["kind_label"]: g for g in data["groups"]}
    assert [s["rank"] for s in groups["招商专班"]["scores"]] == [1, 2, 3, 4, 5, 6]
    assert data["period"] == {"start": "2024-01-01", "end": "2024-12-31", "as_of": "2024-12-31"}
    assert data["previous"]["start"] == "2023-01-01"

    out = io.StringIO()
    call_command("ranking", "--zone", "yqgxq", "--from", "2024-01-01", "--to", "2024-12-31", stdout=out)
    assert "招商专班" in out.getvalue() and "名次" in out.getvalue()

    target = tmp_path / "通报.docx"
    out = io.StringIO()
    published = Bulletin.objects.count()  # the demo comes with one bulletin of its own
    call_command("bulletin", "--zone", "yqgxq", "--from", "2024-01-01", "--to", "2024-12-31", "--out", str(target), stdout=out)
    text = text_of(Document(str(target)))
    assert "签约项目31个" in text and "141.34亿元" in text and "80.65%" in text
    assert (tmp_path / "通报.xlsx").exists()
    assert Bulletin.objects.count() == published  # the command does not publish

    with pytest.raises(CommandError, match="--from"):
        call_command("bulletin", "--zone", "yqgxq", "--from", "2024-12-31", "--to", "2024-01-01", "--out", str(target))
    with pytest.raises(CommandError, match="不存在"):
        call_command("ranking", "--zone", "nowhere", "--from", "2024-01-01", "--to", "2024-12-31")
    with pytest.raises(CommandError, match=".docx"):
        call_command("bulletin", "--zone", "yqgxq", "--from", "2024-01-01", "--to", "2024-12-31", "--out", str(tmp_path / "a.txt"))


def test_bulletin_titles_read_chinese_dates(db):
    from zhaoshang.assessment.bulletins import title_period
    from zhaoshang.assessment.periods import describe

    year = Period.year(2024)
    assert title_period(year, describe(year)) == "2024年度"
    odd = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 3))
    assert title_period(odd, describe(odd)) == "2026年1月1日至2026年12月3日"
    quarter = Period.quarter(2025, 1)
    assert title_period(quarter, describe(quarter)) == describe(quarter)


def test_the_preview_uses_the_period_typed_in_the_publish_form(client, demo_zone, make_user):
    make_user("bulletin-bureau", demo_zone, "bureau")
    client.login(username="bulletin-bureau", password="pass-for-tests-1")
    from django.urls import reverse

    page = client.get(reverse("assessment:bulletins")).content.decode()
    assert f'formmethod="get" formaction="{reverse("assessment:bulletin_preview", args=["docx"])}"' in page
    response = client.get(reverse("assessment:bulletin_preview", args=["docx"]),
                          {"start": "2024-01-01", "end": "2024-12-31", "as_of": "2024-12-31", "title": "", "number": ""})
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "关于2024年度招商引资工作考核情况的通报" in text and "141.34亿元" in text
